/* rampart: the container's filesystem view (see rootfs.h).
 *
 * Everything here is done with the "new" mount API (fsopen/fsconfig/fsmount,
 * open_tree, mount_setattr, move_mount) on file descriptors:
 *
 *  - A destination is resolved once, inside the rootfs, with
 *    openat2(RESOLVE_IN_ROOT) (rp_mkpath_in_root), and the mount is attached
 *    with move_mount(MOVE_MOUNT_T_EMPTY_PATH) onto that very fd.  Nothing is
 *    ever looked up again by name, so a symlink swapped into the rootfs after
 *    the check (by the image, another container sharing it, or the host)
 *    cannot redirect a mount outside the rootfs: what was checked is what is
 *    mounted on.  It also needs no /proc, unlike mount(2) on /proc/self/fd/N.
 *  - Filesystems and bind clones are built detached, their flags (ro, nosuid,
 *    ...) applied with fsmount/mount_setattr while still detached, and only
 *    then attached: a "ro" mount is never visible read-write, not even for an
 *    instant, and there is no remount step that could fail half way.
 *  - Bind sources are opened once (O_PATH, following symlinks: they come from
 *    the operator's config) and cloned from the fd.
 */
#include "config-host.h"
#include "rootfs.h"
#include "cleanup.h"
#include "log.h"
#include "namespaces.h"
#include "selinux.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Carried from rp_rootfs_prepare to rp_rootfs_finalize (same process, the
 * container's init): the rootfs mount we resolved everything below.  O_CLOEXEC,
 * so createContainer hooks and the container never inherit it. */
static int prepared_root_fd = -1;
/* From rp_rootfs_finalize to rp_sysctl_apply: the container's /proc/sys,
 * taken before readonlyPaths makes it read-only (sysctls are written later). */
static int proc_sys_fd = -1;

/* ---------------------------------------------------------------- options */

/* What the options of one mount ask for. */
struct mount_plan {
	uint64_t attr_set, attr_clr;   /* MOUNT_ATTR_* for the mount (or tree, for rbind) */
	uint64_t rattr_set, rattr_clr; /* the explicitly recursive "r" variants */
	uint64_t propagation;          /* MS_PRIVATE/MS_SHARED/MS_SLAVE/MS_UNBINDABLE, 0 = leave */
	bool prop_recursive;
	bool bind, rbind, remount;
	bool tmpcopyup;                /* fill a fresh tmpfs with what it covers */
	bool idmap, ridmap;            /* an idmapped bind (ridmap: the whole tree) */
	char *data;                    /* comma-joined filesystem data and superblock
	                                * flags (sync, dirsync, ...), or NULL */
};

enum opt_kind { OPT_SET, OPT_CLR, OPT_ATIME, OPT_SB, OPT_IGNORE, OPT_PROP, OPT_BIND, OPT_RBIND,
		OPT_REMOUNT, OPT_TMPCOPYUP, OPT_IDMAP };

struct opt_def {
	const char *name;
	enum opt_kind kind;
	uint64_t value;    /* MOUNT_ATTR_* bit, atime value, or MS_* propagation */
	bool recursive;
};

/* The per-mount flags and their recursive "r" twins (mount_setattr
 * AT_RECURSIVE).  "atime"/"nostrictatime" mean "kernel default" which is
 * relatime; "norelatime" means atime is always updated (strictatime). */
#define ATTR_PAIR(n, kind, v) { n, kind, v, false }, { "r" n, kind, v, true }
static const struct opt_def opt_defs[] = {
	ATTR_PAIR("ro", OPT_SET, MOUNT_ATTR_RDONLY),
	ATTR_PAIR("rw", OPT_CLR, MOUNT_ATTR_RDONLY),
	ATTR_PAIR("nosuid", OPT_SET, MOUNT_ATTR_NOSUID),
	ATTR_PAIR("suid", OPT_CLR, MOUNT_ATTR_NOSUID),
	ATTR_PAIR("nodev", OPT_SET, MOUNT_ATTR_NODEV),
	ATTR_PAIR("dev", OPT_CLR, MOUNT_ATTR_NODEV),
	ATTR_PAIR("noexec", OPT_SET, MOUNT_ATTR_NOEXEC),
	ATTR_PAIR("exec", OPT_CLR, MOUNT_ATTR_NOEXEC),
	ATTR_PAIR("nodiratime", OPT_SET, MOUNT_ATTR_NODIRATIME),
	ATTR_PAIR("diratime", OPT_CLR, MOUNT_ATTR_NODIRATIME),
	ATTR_PAIR("nosymfollow", OPT_SET, MOUNT_ATTR_NOSYMFOLLOW),
	ATTR_PAIR("symfollow", OPT_CLR, MOUNT_ATTR_NOSYMFOLLOW),
	ATTR_PAIR("noatime", OPT_ATIME, MOUNT_ATTR_NOATIME),
	ATTR_PAIR("atime", OPT_ATIME, MOUNT_ATTR_RELATIME),
	ATTR_PAIR("relatime", OPT_ATIME, MOUNT_ATTR_RELATIME),
	ATTR_PAIR("norelatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME),
	ATTR_PAIR("strictatime", OPT_ATIME, MOUNT_ATTR_STRICTATIME),
	ATTR_PAIR("nostrictatime", OPT_ATIME, MOUNT_ATTR_RELATIME),
	/* Superblock flags: fsconfig() knows these names. */
	{ "sync", OPT_SB, 0, false }, { "async", OPT_SB, 0, false },
	{ "dirsync", OPT_SB, 0, false },
	{ "mand", OPT_SB, 0, false }, { "nomand", OPT_SB, 0, false },
	{ "lazytime", OPT_SB, 0, false }, { "nolazytime", OPT_SB, 0, false },
	/* MS_SILENT only quiets the kernel log; i_version has been chosen by
	 * each filesystem itself since Linux 6.2.  Accepted, nothing to do. */
	{ "silent", OPT_IGNORE, 0, false }, { "loud", OPT_IGNORE, 0, false },
	{ "iversion", OPT_IGNORE, 0, false }, { "noiversion", OPT_IGNORE, 0, false },
	{ "defaults", OPT_IGNORE, 0, false },
	{ "private", OPT_PROP, MS_PRIVATE, false }, { "rprivate", OPT_PROP, MS_PRIVATE, true },
	{ "shared", OPT_PROP, MS_SHARED, false }, { "rshared", OPT_PROP, MS_SHARED, true },
	{ "slave", OPT_PROP, MS_SLAVE, false }, { "rslave", OPT_PROP, MS_SLAVE, true },
	{ "unbindable", OPT_PROP, MS_UNBINDABLE, false }, { "runbindable", OPT_PROP, MS_UNBINDABLE, true },
	{ "bind", OPT_BIND, 0, false }, { "rbind", OPT_RBIND, 0, true },
	{ "remount", OPT_REMOUNT, 0, false },
	/* Prepared by the runtime, outside the container's user namespace
	 * (rp_rootfs_idmap_prepare): setting an idmap takes CAP_SYS_ADMIN over
	 * the filesystem's user namespace. */
	{ "idmap", OPT_IDMAP, 0, false }, { "ridmap", OPT_IDMAP, 0, true },
	{ "tmpcopyup", OPT_TMPCOPYUP, 0, false },
};

static const struct opt_def *find_opt(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if (strcmp(opt_defs[i].name, name) == 0)
			return &opt_defs[i];
	return NULL;
}

/* Later options win over earlier ones, as with mount(8). */
static void attr_apply(uint64_t *set, uint64_t *clr, const struct opt_def *d)
{
	switch (d->kind) {
	case OPT_SET:
		*set |= d->value;
		*clr &= ~d->value;
		break;
	case OPT_CLR:
		*clr |= d->value;
		*set &= ~d->value;
		break;
	case OPT_ATIME:
		*set = (*set & ~(uint64_t)MOUNT_ATTR__ATIME) | d->value;
		*clr |= MOUNT_ATTR__ATIME;
		break;
	default:
		break;
	}
}

static void data_append(char **data, const char *item)
{
	char *n;

	if (!*item)
		return;
	n = *data ? rp_xasprintf("%s,%s", *data, item) : rp_xstrdup(item);
	free(*data);
	*data = n;
}

static int plan_parse(const struct oci_mount *m, struct mount_plan *p, rp_err_t *err)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < m->options.n; i++) {
		const char *o = m->options.v[i];
		const struct opt_def *d = find_opt(o);

		if (!d) {
			data_append(&p->data, o);
			continue;
		}
		switch (d->kind) {
		case OPT_SET:
		case OPT_CLR:
		case OPT_ATIME:
			if (d->recursive)
				attr_apply(&p->rattr_set, &p->rattr_clr, d);
			else
				attr_apply(&p->attr_set, &p->attr_clr, d);
			break;
		case OPT_SB:
			data_append(&p->data, o);
			break;
		case OPT_IGNORE:
			break;
		case OPT_PROP:
			p->propagation = d->value;
			p->prop_recursive = d->recursive;
			break;
		case OPT_RBIND:
			p->rbind = true;
			/* fallthrough */
		case OPT_BIND:
			p->bind = true;
			break;
		case OPT_REMOUNT:
			p->remount = true;
			break;
		case OPT_TMPCOPYUP:
			p->tmpcopyup = true;
			break;
		case OPT_IDMAP:
			p->idmap = true;
			p->ridmap |= d->recursive;
			break;
		}
	}
	if (!m->n_uid_mappings != !m->n_gid_mappings)
		return rp_error(err, 0, "%s: must be given with %s", m->n_uid_mappings ? "uidMappings" : "gidMappings",
				m->n_uid_mappings ? "gidMappings" : "uidMappings");
	/* Mappings say idmap even where an older config forgot the option. */
	if (m->n_uid_mappings)
		p->idmap = true;
	if (m->type && strcmp(m->type, "bind") == 0)
		p->bind = true;
	if (p->idmap && (!p->bind || p->remount))
		return rp_error(err, 0, "options: %s applies to bind mounts only", p->ridmap ? "ridmap" : "idmap");
	return 0;
}

/* ------------------------------------------------------- kernel plumbing */

/* The new mount API reports the reason for a failure as text on the fs
 * context fd ("e devpts: Bad value for 'mode'"): keep the last error line. */
static int fs_error(rp_err_t *err, int fsfd, int errnum, const char *what)
{
	char buf[512], last[512] = "";
	ssize_t n;

	while (fsfd >= 0 && (n = read(fsfd, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (buf[0] == 'e' && buf[1] == ' ') {
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(last, sizeof(last), "%s", buf + 2);
		}
	}
	if (last[0])
		return rp_error(err, errnum, "%s (%s)", what, last);
	return rp_error(err, errnum, "%s", what);
}

/* Split "a,b=c,context=\"x,y\"" on commas outside double quotes, dropping
 * the quotes (fsconfig takes raw values; only the old string interface
 * needed quoting). */
static char *next_data_item(char **cursor)
{
	char *s = *cursor, *out = s, *r = s;
	bool quoted = false;

	if (!s || !*s)
		return NULL;
	for (; *r; r++) {
		if (*r == '"') {
			quoted = !quoted;
			continue;
		}
		if (*r == ',' && !quoted)
			break;
		*out++ = *r;
	}
	*cursor = *r ? r + 1 : r;
	*out = '\0';
	return s;
}

static int fs_configure(int fsfd, const char *data, rp_err_t *err)
{
	_cleanup_free_ char *copy = rp_xstrdup(data);
	char *cursor = copy, *item;

	while ((item = next_data_item(&cursor))) {
		char *eq = strchr(item, '=');
		int r;

		if (!*item)
			continue;
		if (eq) {
			*eq = '\0';
			r = fsconfig(fsfd, FSCONFIG_SET_STRING, item, eq + 1, 0);
		} else {
			r = fsconfig(fsfd, FSCONFIG_SET_FLAG, item, NULL, 0);
		}
		if (r < 0) {
			_cleanup_free_ char *what = rp_xasprintf("option %s", item);
			return fs_error(err, fsfd, errno, what);
		}
	}
	return 0;
}

/* A new, detached instance of `fstype`; returns the mount fd. */
static int fs_new(const char *fstype, const char *source, const char *data, uint64_t attrs, rp_err_t *err)
{
	_cleanup_close_ int fsfd = fsopen(fstype, FSOPEN_CLOEXEC);
	int mfd;

	if (fsfd < 0) {
		if (errno == ENODEV)
			return rp_error(err, 0, "unknown filesystem type '%s'", fstype);
		return rp_error(err, errno, "fsopen %s", fstype);
	}
	if (source && fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return fs_error(err, fsfd, errno, "source");
	if (data && fs_configure(fsfd, data, err) < 0)
		return -1;
	if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return fs_error(err, fsfd, errno, "mount");
	mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, (unsigned int)attrs);
	if (mfd < 0)
		return fs_error(err, fsfd, errno, "fsmount");
	return mfd;
}

static int setattr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation)
{
	struct mount_attr a = { .attr_set = set, .attr_clr = clr, .propagation = propagation };

	if (!set && !clr && !propagation)
		return 0;
	return mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a));
}

/* A detached clone of the mount (tree) at src_fd. */
static int clone_tree(int src_fd, bool recursive, rp_err_t *err)
{
	int fd = open_tree(src_fd, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
			   (recursive ? AT_RECURSIVE : 0));

	if (fd < 0)
		return rp_error(err, errno, "clone mount");
	return fd;
}

static int attach(int mnt_fd, int target_fd, rp_err_t *err)
{
	if (move_mount(mnt_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return rp_error(err, errno, "attach mount");
	return 0;
}

/* Flags of a clone may be locked (a user namespace cannot clear nosuid,
 * nodev, ro, ... set by a more privileged one: mount_setattr says EPERM).
 * Dropping a "clear" keeps the source's stricter flag, which is what an
 * operator asking for "rw" on a read-only host mount gets with mount(8)
 * too; a "set" (ro, nosuid, ...) is never dropped. */
static int setattr_keep_locked(int fd, bool recursive, uint64_t set, uint64_t clr, rp_err_t *err)
{
	if (setattr(fd, recursive, set, clr, 0) == 0)
		return 0;
	if (errno == EPERM && clr) {
		rp_debug("mount flags locked by the host kept (could not clear 0x%llx)",
			 (unsigned long long)clr);
		if (clr & MOUNT_ATTR__ATIME)
			set &= ~(uint64_t)MOUNT_ATTR__ATIME;
		if (setattr(fd, recursive, set, 0, 0) == 0)
			return 0;
	}
	return rp_error(err, errno, "set mount flags");
}

/* --------------------------------------------------------------- mounts */

static bool path_is(const char *path, const char *want)
{
	/* Compare ignoring repeated and trailing slashes ("/dev/" == "//dev"). */
	while (*path || *want) {
		while (*path == '/' && path[1] == '/')
			path++;
		if (*path == '/' && !path[1])
			path++;
		if (*path != *want)
			return false;
		if (!*path)
			return true;
		path++;
		want++;
	}
	return true;
}

static bool is_type(const struct oci_mount *m, const char *t)
{
	return m->type && strcmp(m->type, t) == 0;
}

/* Open the destination, refusing a symlink in the last component: procfs
 * and sysfs carry the keys to the kernel, and a rootfs that points /proc at
 * (say) /tmp would get them mounted where the container can play with
 * them while believing it is fine. */
static int refuse_symlink_dest(int root_fd, const char *dest, rp_err_t *err)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	_cleanup_close_ int fd = (int)syscall(SYS_openat2, root_fd, dest, &how, sizeof(how));
	struct stat st;

	if (fd < 0)
		return 0; /* missing: rp_mkpath_in_root creates a directory */
	if (fstat(fd, &st) < 0)
		return rp_error(err, errno, "stat destination");
	if (S_ISLNK(st.st_mode))
		return rp_error(err, 0, "destination is a symlink in the rootfs; refusing to mount there");
	return 0;
}

static int bind_source_fd(const char *source, const char *bundle, rp_err_t *err)
{
	_cleanup_close_ int dir = AT_FDCWD;
	int fd;

	if (!source || !*source)
		return rp_error(err, 0, "bind mount without a source");
	/* config.md: a relative source is relative to the bundle. */
	if (source[0] != '/' && bundle && (dir = open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rp_error(err, errno, "open bundle %s", bundle);
	fd = openat(dir, source, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return rp_error(err, errno, "open source %s", source);
	return fd;
}

/* A bind mount of src_fd onto the destination, with the plan's flags.  For
 * rbind the plain flags apply to the whole tree: "ro" on an rbind that left
 * submounts writable would be a trap, so rampart makes it recursive.
 * src_fd is either the source, cloned here, or (idmapped) a detached clone
 * the runtime prepared, attached as it is. */
static int mount_bind_fd(int root_fd, const char *dest, int src_fd, bool prepared, const struct mount_plan *p,
			 rp_err_t *err)
{
	_cleanup_close_ int tree = -1, target = -1;
	struct stat st;

	if (fstat(src_fd, &st) < 0)
		return rp_error(err, errno, "stat source");
	target = rp_mkpath_in_root(root_fd, dest, S_ISDIR(st.st_mode), err);
	if (target < 0)
		return -1;
	tree = prepared ? dup(src_fd) : clone_tree(src_fd, p->rbind, err);
	if (tree < 0 && prepared)
		return rp_error(err, errno, "dup");
	if (tree < 0) {
		if (rp_error_errno(*err) == EINVAL && !p->rbind)
			/* The kernel will not uncover what a more privileged
			 * namespace mounted over. */
			return rp_error_prefix(err, "source has mounts below it, which a user "
					       "namespace can only bind with them (rbind)");
		return -1;
	}
	if (setattr_keep_locked(tree, p->rbind, p->attr_set, p->attr_clr, err) < 0)
		return -1;
	if (setattr_keep_locked(tree, true, p->rattr_set, p->rattr_clr, err) < 0)
		return -1;
	if (attach(tree, target, err) < 0)
		return -1;
	if (p->propagation && setattr(tree, p->prop_recursive, 0, 0, p->propagation) < 0)
		return rp_error(err, errno, "set propagation");
	return 0;
}

static int mount_bind(int root_fd, const struct oci_mount *m, int idmapped, const struct mount_plan *p,
		      const struct rp_rootfs_opts *o, rp_err_t *err)
{
	if (p->data)
		rp_debug("mount %s: filesystem options '%s' do not apply to a bind mount",
			 m->destination, p->data);
	if (p->idmap) {
		if (idmapped < 0)
			return rp_error(err, 0, "the runtime prepared no idmapped mount");
		return mount_bind_fd(root_fd, m->destination, idmapped, true, p, err);
	}
	_cleanup_close_ int src = bind_source_fd(m->source, o->bundle, err);
	if (src < 0)
		return -1;
	return mount_bind_fd(root_fd, m->destination, src, false, p, err);
}

/* Bind a host directory tree read-only (sysfs or cgroups when a fresh
 * instance cannot be had). */
static int mount_host_tree_ro(int root_fd, const char *dest, const char *host_path,
			      const struct mount_plan *p, rp_err_t *err)
{
	struct mount_plan ro = *p;
	_cleanup_close_ int src = open(host_path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (src < 0)
		return rp_error(err, errno, "open %s", host_path);
	ro.bind = ro.rbind = true;
	ro.rattr_set |= MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
	ro.rattr_clr &= ~ro.rattr_set;
	ro.attr_clr &= ~ro.rattr_set;
	return mount_bind_fd(root_fd, dest, src, false, &ro, err);
}

/* tmpcopyup: copy what the rootfs holds at a tmpfs's mount point into the
 * fresh, still detached tmpfs, so that covering the directory hides nothing
 * (podman asks for it with --read-only and --tmpfs).  Everything is read
 * through fds below the destination with O_NOFOLLOW: a symlink in the
 * rootfs is copied as a symlink, never followed out of the container. */
/* copy_file_range where the kernel allows it (not across filesystem
 * types: EXDEV), else read and write. */
static int copy_file(int in, int out)
{
	char buf[65536];
	ssize_t n;

	while ((n = copy_file_range(in, NULL, out, NULL, 1 << 20, 0)) > 0)
		;
	if (n == 0)
		return 0;
	if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (rp_write_all(out, buf, (size_t)n) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

static int copy_up(int src_dir, int dst_dir, int depth, rp_err_t *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd;

	if (depth > 64)
		return rp_error(err, ELOOP, "tmpcopyup: directory tree deeper than 64");
	fd = openat(src_dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return rp_error(err, e, "tmpcopyup: read the covered directory");
	}
	while ((errno = 0, de = readdir(d))) {
		const char *name = de->d_name;
		struct stat st;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return rp_error(err, errno, "tmpcopyup: stat %s", name);
		if (S_ISDIR(st.st_mode)) {
			_cleanup_close_ int sub_src = -1, sub_dst = -1;
			if (mkdirat(dst_dir, name, 0700) < 0)
				return rp_error(err, errno, "tmpcopyup: mkdir %s", name);
			sub_src = openat(dirfd(d), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			sub_dst = openat(dst_dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_src < 0 || sub_dst < 0)
				return rp_error(err, errno, "tmpcopyup: open %s", name);
			if (copy_up(sub_src, sub_dst, depth + 1, err) < 0)
				return -1;
		} else if (S_ISREG(st.st_mode)) {
			_cleanup_close_ int in = openat(dirfd(d), name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			_cleanup_close_ int out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
			if (in < 0 || out < 0)
				return rp_error(err, errno, "tmpcopyup: open %s", name);
			if (copy_file(in, out) < 0)
				return rp_error(err, errno, "tmpcopyup: copy %s", name);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t len = readlinkat(dirfd(d), name, target, sizeof(target) - 1);
			if (len < 0)
				return rp_error(err, errno, "tmpcopyup: readlink %s", name);
			target[len] = '\0';
			if (symlinkat(target, dst_dir, name) < 0)
				return rp_error(err, errno, "tmpcopyup: symlink %s", name);
		} else if (mknodat(dst_dir, name, st.st_mode, st.st_rdev) < 0) {
			/* a device node cannot be made in a user namespace: leave it out */
			rp_debug("tmpcopyup: %s not copied: %s", name, strerror(errno));
			continue;
		}
		/* Owner first (it clears set-id bits), then the exact mode.  An id
		 * this user namespace does not map cannot be given: keep ours. */
		if (fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
			rp_debug("tmpcopyup: chown %s: %s", name, strerror(errno));
		if (!S_ISLNK(st.st_mode) && fchmodat(dst_dir, name, st.st_mode & 07777, 0) < 0)
			return rp_error(err, errno, "tmpcopyup: chmod %s", name);
	}
	if (errno)
		return rp_error(err, errno, "tmpcopyup: read the covered directory");
	return 0;
}

static int mount_fresh(int root_fd, const struct oci_mount *m, const char *fstype,
		       const struct mount_plan *p, const struct rp_rootfs_opts *o, rp_err_t *err)
{
	_cleanup_close_ int target = -1, mnt = -1;
	_cleanup_free_ char *labelled = NULL;
	const char *data = p->data;
	/* A fresh mount is a single mount: plain and "r" flags are the same. */
	uint64_t attrs = p->attr_set | p->rattr_set;

	if (o->mount_label && strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0 &&
	    strcmp(fstype, "cgroup2") != 0) {
		labelled = rp_selinux_mount_data(data ? data : "", fstype, o->mount_label);
		data = labelled;
	}
	if (p->tmpcopyup && strcmp(fstype, "tmpfs") != 0)
		return rp_error(err, 0, "options: tmpcopyup is only for tmpfs");
	target = rp_mkpath_in_root(root_fd, m->destination, true, err);
	if (target < 0)
		return -1;
	/* A read-only tmpfs to copy into is made writable first and sealed
	 * read-only before it is attached. */
	mnt = fs_new(fstype, m->source, data, p->tmpcopyup ? attrs & ~(uint64_t)MOUNT_ATTR_RDONLY : attrs, err);
	if (mnt < 0)
		return -1;
	if (p->tmpcopyup) {
		if (copy_up(target, mnt, 0, err) < 0)
			return -1;
		if ((attrs & MOUNT_ATTR_RDONLY) && setattr(mnt, false, MOUNT_ATTR_RDONLY, 0, 0) < 0)
			return rp_error(err, errno, "tmpcopyup: make read-only");
	}
	if (attach(mnt, target, err) < 0)
		return -1;
	if (p->propagation && setattr(mnt, p->prop_recursive, 0, 0, p->propagation) < 0)
		return rp_error(err, errno, "set propagation");
	return 0;
}

/* "remount": change an existing mount at the destination in place. */
static int mount_remount(int root_fd, const struct oci_mount *m, const struct mount_plan *p, rp_err_t *err)
{
	_cleanup_close_ int target = rp_open_in_root(root_fd, m->destination, O_PATH, 0, err);

	if (target < 0)
		return -1;
	if (p->data) {
		_cleanup_close_ int fsfd = fspick(target, "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
		if (fsfd < 0)
			return rp_error(err, errno, "pick the mounted filesystem");
		if (fs_configure(fsfd, p->data, err) < 0)
			return -1;
		if (fsconfig(fsfd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0) < 0)
			return fs_error(err, fsfd, errno, "reconfigure");
	}
	if (setattr_keep_locked(target, p->bind && p->rbind, p->attr_set, p->attr_clr, err) < 0 ||
	    setattr_keep_locked(target, true, p->rattr_set, p->rattr_clr, err) < 0)
		return -1;
	if (p->propagation && setattr(target, p->prop_recursive, 0, 0, p->propagation) < 0)
		return rp_error(err, errno, "set propagation");
	return 0;
}

static int mount_cgroup(int root_fd, const struct oci_mount *m, const struct mount_plan *p,
			const struct rp_rootfs_opts *o, rp_err_t *err)
{
	/* rampart gives containers the cgroup2 view, for "cgroup" as well as
	 * "cgroup2" and on hybrid hosts too (there the v2 hierarchy holds
	 * only what the host put in it; v1 controller trees are not shown).
	 * A fresh cgroup2 needs privilege over the cgroup namespace: without
	 * a new cgroupns inside a user namespace, the host's /sys/fs/cgroup is
	 * bound read-only instead. */
	struct mount_plan v2 = *p;

	if (o->new_userns && !o->new_cgroupns)
		return mount_host_tree_ro(root_fd, m->destination, "/sys/fs/cgroup", p, err);
	if (is_type(m, "cgroup"))
		v2.data = NULL; /* v1 controller names mean nothing to cgroup2 */
	return mount_fresh(root_fd, m, "cgroup2", &v2, o, err);
}

/* How a mount is named in messages: its type, or "bind". */
static const char *mount_kind(const struct oci_mount *m)
{
	for (size_t i = 0; i < m->options.n; i++)
		if (!strcmp(m->options.v[i], "bind") || !strcmp(m->options.v[i], "rbind"))
			return "bind";
	return m->type && *m->type ? m->type : "no type";
}

static int do_mount(int root_fd, const struct oci_mount *m, int idmapped, const struct rp_rootfs_opts *o,
		    rp_err_t *err)
{
	struct mount_plan p;
	int r;

	if (plan_parse(m, &p, err) < 0)
		return -1;
	if (p.remount)
		r = mount_remount(root_fd, m, &p, err);
	else if (p.bind)
		r = mount_bind(root_fd, m, idmapped, &p, o, err);
	else if (!m->type || !*m->type)
		r = rp_error(err, 0, "no type and not a bind mount");
	else if (is_type(m, "proc"))
		r = refuse_symlink_dest(root_fd, m->destination, err) < 0 ? -1 :
			mount_fresh(root_fd, m, "proc", &p, o, err);
	else if (is_type(m, "sysfs")) {
		/* sysfs shows the network devices of the mounter's netns; the
		 * kernel refuses a userns that does not own its netns.  Like
		 * runc, bind the host's /sys read-only then. */
		if (refuse_symlink_dest(root_fd, m->destination, err) < 0)
			r = -1;
		else if (o->new_userns && !o->new_netns)
			r = mount_host_tree_ro(root_fd, m->destination, "/sys", &p, err);
		else
			r = mount_fresh(root_fd, m, "sysfs", &p, o, err);
	} else if (is_type(m, "cgroup") || is_type(m, "cgroup2"))
		r = mount_cgroup(root_fd, m, &p, o, err);
	else
		r = mount_fresh(root_fd, m, m->type, &p, o, err);
	free(p.data);
	return r;
}

/* -------------------------------------------------------------- devices */

struct dev_spec {
	const char *path;
	mode_t type;       /* S_IFCHR, S_IFBLK, S_IFIFO */
	dev_t rdev;
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

static const struct { const char *name; unsigned major, minor; } default_nodes[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static bool same_device(const struct stat *st, const struct dev_spec *d)
{
	if ((st->st_mode & S_IFMT) != d->type)
		return false;
	return d->type == S_IFIFO || st->st_rdev == d->rdev;
}

static int chmod_chown_fd(int fd, const struct dev_spec *d, rp_err_t *err)
{
	char buf[RP_FD_PATH_MAX];

	/* mknod honours the umask; set the exact mode through the fd. */
	if (chmod(rp_fd_path(fd, buf), d->mode) < 0)
		return rp_error(err, errno, "chmod");
	if (fchownat(fd, "", d->uid, d->gid, AT_EMPTY_PATH) < 0)
		return rp_error(err, errno, "chown");
	return 0;
}

/* Bind the host node at the same path: the only way inside a user
 * namespace, where mknod of devices is not allowed.  Container root cannot
 * chmod the host's node there (its owner is not mapped). */
static int device_bind(int root_fd, const struct dev_spec *d, const char *host_path, rp_err_t *err)
{
	_cleanup_close_ int src = open(host_path, O_PATH | O_CLOEXEC);
	_cleanup_close_ int target = -1, tree = -1;
	struct stat st;

	if (src < 0)
		return rp_error(err, errno, "open host device %s", host_path);
	if (fstat(src, &st) < 0)
		return rp_error(err, errno, "stat host device %s", host_path);
	if (!same_device(&st, d))
		return rp_error(err, 0, "host %s is not device %u:%u", host_path,
				major(d->rdev), minor(d->rdev));
	target = rp_mkpath_in_root(root_fd, d->path, false, err);
	if (target < 0)
		return -1;
	if (fstat(target, &st) < 0)
		return rp_error(err, errno, "stat");
	if (S_ISDIR(st.st_mode) || ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && !same_device(&st, d)))
		return rp_error(err, 0, "a file exists at the path that is not the requested device");
	tree = clone_tree(src, false, err);
	if (tree < 0)
		return -1;
	/* The clone carries the host /dev's flags; a device node needs
	 * neither setuid nor exec. */
	if (setattr(tree, false, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0, 0) < 0)
		return rp_error(err, errno, "set mount flags");
	return attach(tree, target, err);
}

static int device_create(int root_fd, const struct dev_spec *d, bool use_bind, rp_err_t *err)
{
	_cleanup_free_ char *dir = rp_xstrdup(d->path);
	_cleanup_close_ int parent = -1, node = -1;
	char *slash = strrchr(dir, '/');
	const char *base;
	struct stat st;

	if (use_bind && d->type != S_IFIFO)
		return device_bind(root_fd, d, d->path, err);
	if (!slash || !slash[1])
		return rp_error(err, 0, "not a file path");
	base = slash + 1;
	*slash = '\0';
	parent = rp_mkpath_in_root(root_fd, *dir ? dir : "/", true, err);
	if (parent < 0)
		return -1;
	if (mknodat(parent, base, d->type | (d->mode & 07777), d->rdev) < 0) {
		if (errno == EPERM && d->type != S_IFIFO)
			/* Not allowed to make device nodes after all (a
			 * restricted host): the bind works everywhere. */
			return device_bind(root_fd, d, d->path, err);
		if (errno != EEXIST)
			return rp_error(err, errno, "mknod");
	}
	/* Whatever is there now (ours or the image's) must be the device. */
	node = openat(parent, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (node < 0)
		return rp_error(err, errno, "open");
	if (fstat(node, &st) < 0)
		return rp_error(err, errno, "stat");
	if (!same_device(&st, d))
		return rp_error(err, 0, "a file exists at the path that is not the requested device");
	return chmod_chown_fd(node, d, err);
}

static int dev_symlink(int dev_fd, const char *target, const char *name, bool replace, rp_err_t *err)
{
	if (symlinkat(target, dev_fd, name) == 0)
		return 0;
	if (errno != EEXIST)
		return rp_error(err, errno, "symlink /dev/%s", name);
	if (!replace)
		return 0;
	/* /dev/ptmx from the image may be a node of the host's devpts
	 * instance; the container must use its own. */
	if (unlinkat(dev_fd, name, 0) < 0 || symlinkat(target, dev_fd, name) < 0)
		return rp_error(err, errno, "replace /dev/%s", name);
	return 0;
}

static bool dev_is_host_bind(const struct oci_config *cfg)
{
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct oci_mount *m = &cfg->mounts[i];
		bool bind = is_type(m, "bind");

		for (size_t j = 0; j < m->options.n && !bind; j++)
			bind = !strcmp(m->options.v[j], "bind") || !strcmp(m->options.v[j], "rbind");
		if (path_is(m->destination, "/dev"))
			return bind; /* the last mount on /dev decides */
	}
	return false;
}

/* config-linux.md "Default Devices".  Outside a user namespace the nodes
 * are made with mknod: they belong to the container, so a chmod inside
 * cannot change the host's /dev/null.  In a user namespace mknod of devices
 * is not allowed, so the host nodes are bind-mounted onto empty files. */
static int default_devices(int root_fd, const struct oci_config *cfg, const struct rp_rootfs_opts *o,
			   rp_err_t *err)
{
	_cleanup_close_ int dev_fd = -1;

	if (dev_is_host_bind(cfg))
		return 0;
	dev_fd = rp_mkpath_in_root(root_fd, "/dev", true, err);
	if (dev_fd < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(default_nodes); i++) {
		_cleanup_free_ char *path = rp_xasprintf("/dev/%s", default_nodes[i].name);
		struct dev_spec d = { .path = path, .type = S_IFCHR, .mode = 0666,
				      .rdev = makedev(default_nodes[i].major, default_nodes[i].minor) };

		if (device_create(root_fd, &d, o->new_userns, err) < 0)
			return rp_error_prefix(err, "default device %s", path);
	}
	if (dev_symlink(dev_fd, "pts/ptmx", "ptmx", true, err) < 0 ||
	    dev_symlink(dev_fd, "/proc/self/fd", "fd", false, err) < 0 ||
	    dev_symlink(dev_fd, "/proc/self/fd/0", "stdin", false, err) < 0 ||
	    dev_symlink(dev_fd, "/proc/self/fd/1", "stdout", false, err) < 0 ||
	    dev_symlink(dev_fd, "/proc/self/fd/2", "stderr", false, err) < 0)
		return -1;
	if ((mkdirat(dev_fd, "pts", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(dev_fd, "shm", 01777) < 0 && errno != EEXIST))
		return rp_error(err, errno, "mkdir in /dev");
	return 0;
}

static int config_devices(int root_fd, const struct oci_config *cfg, const struct rp_rootfs_opts *o,
			  rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;

	for (size_t i = 0; l && i < l->n_devices; i++) {
		const struct oci_device *od = &l->devices[i];
		struct dev_spec d = {
			.path = od->path,
			.type = od->type == 'b' ? S_IFBLK : od->type == 'p' ? S_IFIFO : S_IFCHR,
			.rdev = od->type == 'p' ? 0 : makedev((unsigned)od->major, (unsigned)od->minor),
			/* containerd and podman always give fileMode; 0666 mirrors
			 * the default devices when they do not (the cgroup device
			 * rules decide access anyway). */
			.mode = od->file_mode.set ? od->file_mode.value : 0666,
			.uid = od->uid.set ? od->uid.value : 0,
			.gid = od->gid.set ? od->gid.value : 0,
		};

		if (device_create(root_fd, &d, o->new_userns, err) < 0)
			return rp_error_prefix(err, "linux.devices[%zu] (%s)", i, od->path);
	}
	return 0;
}

static int bind_console(int root_fd, const char *console, rp_err_t *err)
{
	_cleanup_close_ int src = open(console, O_PATH | O_CLOEXEC);
	_cleanup_close_ int target = -1, tree = -1;

	if (src < 0)
		return rp_error(err, errno, "open %s", console);
	target = rp_mkpath_in_root(root_fd, "/dev/console", false, err);
	if (target < 0)
		return -1;
	tree = clone_tree(src, false, err);
	if (tree < 0)
		return -1;
	return attach(tree, target, err);
}

/* ---------------------------------------------------------------- prepare */

static int prop_flag(const char *name, unsigned long *flag, rp_err_t *err)
{
	static const struct { const char *name; unsigned long flag; } props[] = {
		{ "shared", MS_SHARED }, { "slave", MS_SLAVE },
		{ "private", MS_PRIVATE }, { "unbindable", MS_UNBINDABLE },
	};

	if (!name) {
		*flag = 0;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		if (!strcmp(props[i].name, name)) {
			*flag = props[i].flag;
			return 0;
		}
	return rp_error(err, 0, "linux.rootfsPropagation: unknown value '%s'", name);
}

/* A guard against a caller that forgot unshare(CLONE_NEWNS): everything
 * below would otherwise rearrange the host's mounts.  When pid 1's
 * namespace cannot be inspected (another user namespace), trust the caller. */
static bool in_host_mount_ns(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) < 0 || stat("/proc/1/ns/mnt", &init) < 0)
		return false;
	return self.st_dev == init.st_dev && self.st_ino == init.st_ino;
}

/* Bind the rootfs onto itself (pivot_root wants a mount point) and return
 * the fd of that mount's root: the anchor for every later lookup. */
static int bind_rootfs(const char *rootfs, rp_err_t *err)
{
	_cleanup_close_ int dir = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int tree = -1;

	if (dir < 0)
		return rp_error(err, errno, "open rootfs %s", rootfs);
	tree = clone_tree(dir, true, err);
	if (tree < 0 || attach(tree, dir, err) < 0)
		return rp_error_prefix(err, "bind rootfs %s", rootfs);
	return take_fd(tree);
}

int rp_rootfs_prepare(const struct oci_config *cfg, const struct rp_rootfs_opts *o, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;
	_cleanup_close_ int root_fd = -1;
	unsigned long prop;

	if (prop_flag(l ? l->rootfs_propagation : NULL, &prop, err) < 0)
		return -1;
	if (in_host_mount_ns())
		return rp_error(err, 0, "rootfs setup must run in a new mount namespace");
	/* Nothing we mount may reach the host: the whole tree becomes a slave
	 * (host mounts still show up, as the spec's default), or private when
	 * asked for private/unbindable.  "shared" is applied to the rootfs
	 * mount after pivot_root, which refuses shared mounts. */
	if (mount(NULL, "/", NULL, MS_REC | ((prop == MS_PRIVATE || prop == MS_UNBINDABLE) ? MS_PRIVATE : MS_SLAVE),
		  NULL) < 0)
		return rp_error(err, errno, "make / a slave mount");
	root_fd = bind_rootfs(o->rootfs, err);
	if (root_fd < 0)
		return -1;

	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct oci_mount *m = &cfg->mounts[i];

		if (do_mount(root_fd, m, o->idmapped ? o->idmapped[i] : -1, o, err) < 0)
			return rp_error_prefix(err, "mounts[%zu] (%s, %s)", i, m->destination,
					       mount_kind(m));
	}
	if (default_devices(root_fd, cfg, o, err) < 0 || config_devices(root_fd, cfg, o, err) < 0)
		return -1;
	if (o->console_path && bind_console(root_fd, o->console_path, err) < 0)
		return rp_error_prefix(err, "/dev/console");

	if (prepared_root_fd >= 0)
		close(prepared_root_fd);
	prepared_root_fd = take_fd(root_fd);
	return 0;
}

/* -------------------------------------------------------- idmapped mounts */

/* The user namespace whose mapping mount m gets: its own uidMappings and
 * gidMappings, else the container's user namespace (joined: *joined_fd;
 * new: one made once, kept in *own_fd, with linux.uidMappings). */
static int idmap_userns(const struct oci_config *cfg, const struct oci_mount *m, int joined_fd, int *own_fd,
			bool *borrowed, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;

	*borrowed = false;
	if (m->n_uid_mappings)
		return rp_ns_userns_with_maps(m->uid_mappings, m->n_uid_mappings, m->gid_mappings,
					      m->n_gid_mappings, err);
	*borrowed = true;
	if (joined_fd >= 0)
		return joined_fd;
	if (*own_fd < 0 && l && l->n_uid_mappings && oci_config_namespace(cfg, OCI_NS_USER))
		*own_fd = rp_ns_userns_with_maps(l->uid_mappings, l->n_uid_mappings, l->gid_mappings,
						 l->n_gid_mappings, err);
	else if (*own_fd < 0)
		rp_error(err, 0, "no uidMappings/gidMappings, and the container has no user namespace whose "
			 "mapping it could use");
	return *own_fd;
}

/* A detached clone of the mount's source with its id mapping applied. */
static int idmapped_clone(const struct oci_mount *m, const struct mount_plan *p, const char *bundle, int userns,
			  rp_err_t *err)
{
	_cleanup_close_ int src = bind_source_fd(m->source, bundle, err);
	if (src < 0)
		return -1;
	_cleanup_close_ int tree = clone_tree(src, p->rbind, err);
	if (tree < 0)
		return -1;
	struct mount_attr a = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns };
	if (mount_setattr(tree, "", AT_EMPTY_PATH | (p->ridmap ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
		return rp_error(err, errno, "%s %s", p->ridmap ? "ridmap" : "idmap",
				errno == EINVAL ? "(does the source's filesystem support idmapped mounts?)" : m->source);
	return take_fd(tree);
}

static bool mount_wants_idmap(const struct oci_mount *m)
{
	if (m->n_uid_mappings || m->n_gid_mappings)
		return true;
	for (size_t i = 0; i < m->options.n; i++)
		if (!strcmp(m->options.v[i], "idmap") || !strcmp(m->options.v[i], "ridmap"))
			return true;
	return false;
}

/* One mount's detached idmapped clone, or -1. */
static int idmap_prepare_one(const struct oci_config *cfg, const struct oci_mount *m, const struct mount_plan *p,
			     const char *bundle, int joined_userns, int *own_userns, rp_err_t *err)
{
	bool borrowed;
	int tree, userns = idmap_userns(cfg, m, joined_userns, own_userns, &borrowed, err);

	if (userns < 0)
		return -1;
	tree = idmapped_clone(m, p, bundle, userns, err);
	if (!borrowed)
		close(userns);
	return tree;
}

int rp_rootfs_idmap_prepare(const struct oci_config *cfg, const char *bundle, int joined_userns, int **fds_out,
			    rp_err_t *err)
{
	_cleanup_close_ int own_userns = -1;
	int *fds = NULL;
	size_t i;

	*fds_out = NULL;
	for (i = 0; i < cfg->n_mounts; i++) {
		struct mount_plan p;

		/* Most configs have no idmapped mount: the init plans the others. */
		if (!mount_wants_idmap(&cfg->mounts[i]))
			continue;
		/* A mount the plan refuses is reported by the init, which
		 * parses it again, with the mount's own kind in the message. */
		rp_err_t ignored = NULL;
		if (plan_parse(&cfg->mounts[i], &p, &ignored) < 0) {
			rp_error_free(&ignored);
			continue;
		}
		free(p.data);
		if (!p.idmap)
			continue;
		if (!fds) {
			fds = rp_xcalloc(cfg->n_mounts, sizeof(*fds));
			for (size_t j = 0; j < cfg->n_mounts; j++)
				fds[j] = -1;
		}
		fds[i] = idmap_prepare_one(cfg, &cfg->mounts[i], &p, bundle, joined_userns, &own_userns, err);
		if (fds[i] < 0)
			goto fail;
	}
	*fds_out = fds;
	return 0;
fail:
	rp_rootfs_idmap_free(fds, cfg->n_mounts);
	return rp_error_prefix(err, "mounts[%zu] (%s, idmapped)", i, cfg->mounts[i].destination);
}

void rp_rootfs_idmap_free(int *fds, size_t n)
{
	for (size_t i = 0; fds && i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
}

/* --------------------------------------------------------------- finalize */

static int enter_root(const struct rp_rootfs_opts *o, rp_err_t *err)
{
	if (fchdir(prepared_root_fd) < 0)
		return rp_error(err, errno, "chdir to rootfs");
	if (o->no_pivot) {
		/* Roots that cannot be pivoted (initramfs): move the rootfs
		 * over / and chroot.  The old root stays underneath. */
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
			return rp_error(err, errno, "move rootfs to /");
		if (chroot(".") < 0)
			return rp_error(err, errno, "chroot");
	} else {
		/* pivot_root(".", "."): the old root ends up stacked on the new
		 * one at "/"; detach it (as a slave, so the detach does not
		 * propagate to the host) and only the rootfs remains. */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return rp_error(err, errno, "pivot_root");
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return rp_error(err, errno, "make old root a slave");
		if (umount2(".", MNT_DETACH) < 0)
			return rp_error(err, errno, "detach old root");
	}
	if (chdir("/") < 0)
		return rp_error(err, errno, "chdir /");
	return 0;
}

/* The container's /dev/null, checked to be the null device: the source for
 * masking files. */
static int open_dev_null(int root_fd, rp_err_t *err)
{
	_cleanup_close_ int fd = rp_open_in_root(root_fd, "/dev/null", O_PATH, 0, err);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return rp_error(err, errno, "stat /dev/null");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return rp_error(err, 0, "/dev/null in the container is not the null device");
	return take_fd(fd);
}

static int mask_path(int root_fd, const char *path, const char *label, int *null_fd, rp_err_t *err)
{
	_cleanup_close_ int target = -1, mnt = -1;
	struct stat st;

	target = rp_open_in_root(root_fd, path, O_PATH, 0, err);
	if (target < 0) {
		if (rp_error_errno(*err) == ENOENT) {
			rp_error_free(err);
			return 0;
		}
		return -1;
	}
	if (fstat(target, &st) < 0)
		return rp_error(err, errno, "stat");
	if (S_ISDIR(st.st_mode)) {
		_cleanup_free_ char *data = label ? rp_selinux_mount_data("mode=0555", "tmpfs", label) : NULL;

		/* An empty read-only tmpfs: nothing to read, nothing to write. */
		mnt = fs_new("tmpfs", "tmpfs", data ? data : "mode=0555", MOUNT_ATTR_RDONLY |
			     MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, err);
	} else {
		if (*null_fd < 0 && (*null_fd = open_dev_null(root_fd, err)) < 0)
			return -1;
		mnt = clone_tree(*null_fd, false, err);
	}
	if (mnt < 0)
		return -1;
	return attach(mnt, target, err);
}

/* Bind onto itself, recursively read-only.  mount_setattr only adds
 * MOUNT_ATTR_RDONLY: every other flag (nosuid, nodev, ... which a user
 * namespace must keep anyway) stays as it was. */
static int readonly_path(int root_fd, const char *path, rp_err_t *err)
{
	_cleanup_close_ int target = -1, tree = -1;

	target = rp_open_in_root(root_fd, path, O_PATH, 0, err);
	if (target < 0) {
		if (rp_error_errno(*err) == ENOENT) {
			rp_error_free(err);
			return 0;
		}
		return -1;
	}
	tree = clone_tree(target, true, err);
	if (tree < 0)
		return -1;
	if (setattr(tree, true, MOUNT_ATTR_RDONLY, 0, 0) < 0)
		return rp_error(err, errno, "make read-only");
	return attach(tree, target, err);
}

static int open_proc_sys(int root_fd, rp_err_t *err)
{
	_cleanup_close_ int fd = rp_open_in_root(root_fd, "/proc/sys", O_PATH | O_DIRECTORY, 0, err);
	struct statfs sfs;

	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) < 0)
		return rp_error(err, errno, "statfs /proc/sys");
	if (sfs.f_type != PROC_SUPER_MAGIC)
		return rp_error(err, 0, "/proc/sys in the container is not procfs");
	return take_fd(fd);
}

int rp_rootfs_finalize(const struct oci_config *cfg, const struct rp_rootfs_opts *o, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;
	_cleanup_close_ int root_fd = -1, null_fd = -1;
	unsigned long prop;

	if (prepared_root_fd < 0)
		return rp_error(err, 0, "rootfs finalize without prepare");
	if (prop_flag(l ? l->rootfs_propagation : NULL, &prop, err) < 0)
		return -1;
	if (enter_root(o, err) < 0)
		return -1;
	close(prepared_root_fd);
	prepared_root_fd = -1;

	root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return rp_error(err, errno, "open new root");
	if ((prop == MS_SHARED || prop == MS_UNBINDABLE) && setattr(root_fd, false, 0, 0, prop) < 0)
		return rp_error(err, errno, "linux.rootfsPropagation: set %s", l->rootfs_propagation);

	if (l && l->sysctl.n) {
		if (proc_sys_fd >= 0)
			close(proc_sys_fd);
		proc_sys_fd = open_proc_sys(root_fd, err);
		if (proc_sys_fd < 0)
			return rp_error_prefix(err, "linux.sysctl");
	}
	for (size_t i = 0; l && i < l->masked_paths.n; i++)
		if (mask_path(root_fd, l->masked_paths.v[i], o->mount_label, &null_fd, err) < 0)
			return rp_error_prefix(err, "linux.maskedPaths[%zu] (%s)", i, l->masked_paths.v[i]);
	for (size_t i = 0; l && i < l->readonly_paths.n; i++)
		if (readonly_path(root_fd, l->readonly_paths.v[i], err) < 0)
			return rp_error_prefix(err, "linux.readonlyPaths[%zu] (%s)", i, l->readonly_paths.v[i]);
	if (cfg->root && cfg->root->readonly &&
	    setattr_keep_locked(root_fd, false, MOUNT_ATTR_RDONLY, 0, err) < 0)
		return rp_error_prefix(err, "root.readonly");
	return 0;
}

/* ----------------------------------------------------------------- sysctl */

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* The namespace that makes a sysctl the container's own, or -1 when the
 * sysctl is system-wide. */
static int sysctl_namespace(const char *key)
{
	if (has_prefix(key, "kernel.msg") || !strcmp(key, "kernel.sem") ||
	    has_prefix(key, "kernel.shm") || has_prefix(key, "fs.mqueue."))
		return OCI_NS_IPC;
	if (has_prefix(key, "net."))
		return OCI_NS_NETWORK;
	if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
		return OCI_NS_UTS;
	return -1;
}

/* "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; NULL for a key that is
 * not a plain dotted name. */
static char *sysctl_rel_path(const char *key)
{
	char *path;

	if (!*key || strchr(key, '/') || key[0] == '.' || key[strlen(key) - 1] == '.' || strstr(key, ".."))
		return NULL;
	path = rp_xstrdup(key);
	for (char *c = path; *c; c++)
		if (*c == '.')
			*c = '/';
	return path;
}

static int sysctl_write(int sys_fd, const char *rel, const char *value, rp_err_t *err)
{
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW,
		/* Below /proc/sys, on that very mount (a masked entry stays
		 * masked), no symlinks of any kind. */
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	_cleanup_close_ int fd = (int)syscall(SYS_openat2, sys_fd, rel, &how, sizeof(how));

	if (fd < 0)
		return rp_error(err, errno, "open /proc/sys/%s", rel);
	if (rp_write_all(fd, value, strlen(value)) < 0)
		return rp_error(err, errno, "write");
	return 0;
}

/* The UTS names are not writable through /proc/sys from a user namespace
 * (the files belong to the host's root); the syscalls behind them work. */
static int sysctl_write_key(int sys_fd, const char *key, const char *rel, const char *value, rp_err_t *err)
{
	if (!strcmp(key, "kernel.hostname")) {
		if (sethostname(value, strlen(value)) < 0)
			return rp_error(err, errno, "sethostname");
		return 0;
	}
	if (!strcmp(key, "kernel.domainname")) {
		if (setdomainname(value, strlen(value)) < 0)
			return rp_error(err, errno, "setdomainname");
		return 0;
	}
	return sysctl_write(sys_fd, rel, value, err);
}

int rp_sysctl_apply(const struct oci_config *cfg, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;
	_cleanup_close_ int sys_fd = take_fd(proc_sys_fd);

	if (!l || !l->sysctl.n)
		return 0;
	if (sys_fd < 0) {
		_cleanup_close_ int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			return rp_error(err, errno, "open /");
		sys_fd = open_proc_sys(root_fd, err);
		if (sys_fd < 0)
			return rp_error_prefix(err, "linux.sysctl");
	}
	for (size_t i = 0; i < l->sysctl.n; i++) {
		const char *key = l->sysctl.keys[i];
		_cleanup_free_ char *rel = sysctl_rel_path(key);
		int ns = sysctl_namespace(key);

		if (!rel)
			return rp_error(err, 0, "linux.sysctl[\"%s\"]: not a valid sysctl name", key);
		if (ns < 0)
			return rp_error(err, 0, "linux.sysctl[\"%s\"]: not a namespaced sysctl; "
					"it would change the host", key);
		if (!oci_config_namespace(cfg, (enum oci_ns_type)ns))
			return rp_error(err, 0, "linux.sysctl[\"%s\"]: needs a %s namespace, but the "
					"container shares the host's", key, oci_ns_name((enum oci_ns_type)ns));
		if (sysctl_write_key(sys_fd, key, rel, l->sysctl.values[i], err) < 0)
			return rp_error_prefix(err, "linux.sysctl[\"%s\"]", key);
	}
	return 0;
}
