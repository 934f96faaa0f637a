/* rampart: control groups — the container's cgroup in every hierarchy.
 *
 * Layouts:
 *   unified  /sys/fs/cgroup is cgroup2: one directory does everything.
 *   hybrid   v1 controllers under /sys/fs/cgroup/<ctrl> plus cgroup2 (usually
 *            /sys/fs/cgroup/unified).  Resources go to whichever hierarchy
 *            holds their controller; the cgroup2 directory always exists too,
 *            because the eBPF device filter, cgroup.kill and cgroup.events
 *            work there even when it holds no controller.
 *   legacy   v1 only.
 *
 * Paths (linux.cgroupsPath):
 *   absent         "/rampart/<id>" in every hierarchy.
 *   "/a/b"         the same path below every hierarchy's root.
 *   "a/b"          relative to rampart's own cgroup in the cgroup2 hierarchy
 *                  (what runc does on cgroup2); on a legacy host relative to
 *                  the root.  The resolved absolute path is what state.json
 *                  records, so later commands never re-resolve it.
 *   --systemd-cgroup "slice:prefix:name": there is no systemd manager to ask
 *                  here, so the name is converted to the cgroupfs path systemd
 *                  would use: "/<slice expanded>/<prefix>-<name>.scope"
 *                  (slice "" = "system.slice"; "a-b.slice" expands to
 *                  "a.slice/a-b.slice").
 * A path with a "." or ".." component is refused: it comes from the config. */
#include "config-host.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "cgroup-internal.h"
#include "cleanup.h"
#include "log.h"
#include "state.h"
#include "utils.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* ------------------------------------------------------------ file helpers */

int rp_cg_write(int dirfd, const char *file, const char *value, rp_err_t *err)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = strlen(value);

	if (fd < 0)
		return rp_error(err, errno, "open %s", file);
	if (write(fd, value, len) != (ssize_t)len)
		return rp_error(err, errno ? errno : EIO, "write \"%s\" to %s", value, file);
	return 0;
}

int rp_cg_writef(int dirfd, const char *file, rp_err_t *err, const char *fmt, ...)
{
	_cleanup_free_ char *value = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	return rp_cg_write(dirfd, file, value, err);
}

int rp_cg_read(int dirfd, const char *file, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = rp_read_all(fd, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

bool rp_cg_exists(int dirfd, const char *file)
{
	return dirfd >= 0 && faccessat(dirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int rp_cg_check_before_update(int fd, const char *usage_file, const struct oci_memory *m, rp_err_t *err)
{
	uint64_t cur;

	if (!m->check_before_update.set || !m->check_before_update.value || !m->limit.set || m->limit.value < 0)
		return 0;
	if (rp_cg_read_u64(fd, usage_file, &cur) && cur > (uint64_t)m->limit.value)
		return rp_error(err, EBUSY, "linux.resources.memory.limit: %" PRId64 " is below the current usage %"
				PRIu64 " (checkBeforeUpdate)", m->limit.value, cur);
	return 0;
}

bool rp_cg_read_u64(int dirfd, const char *file, uint64_t *out)
{
	char buf[64];

	if (rp_cg_read(dirfd, file, buf, sizeof(buf)) < 0)
		return false;
	if (strcmp(buf, "max") == 0) {
		*out = UINT64_MAX;
		return true;
	}
	return rp_parse_u64(buf, out);
}

bool rp_cg_read_key(int dirfd, const char *file, const char *key, uint64_t *out)
{
	char buf[8192];
	size_t klen = strlen(key);

	if (rp_cg_read(dirfd, file, buf, sizeof(buf)) < 0)
		return false;
	for (char *line = buf; line && *line; ) {
		char *next = strchr(line, '\n');

		if (next)
			*next++ = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
			return rp_parse_u64(line + klen + 1, out);
		line = next;
	}
	return false;
}

/* ------------------------------------------------------------------ layout */

enum rp_cgroup_layout rp_cgroup_detect_layout(void)
{
	static int cached = -1;
	struct statfs sfs;

	if (cached >= 0)
		return cached;
	if (statfs(CGROUP_ROOT, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		cached = RP_CGROUP_UNIFIED;
	else if (statfs(CGROUP_ROOT "/unified", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
		cached = RP_CGROUP_HYBRID;
	else
		cached = RP_CGROUP_LEGACY;
	return cached;
}

/* v1 controllers rampart places containers in; named hierarchies
 * (name=systemd) are not resource controllers and are left alone. */
static const char *const v1_known[] = {
	"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
	"net_cls", "net_prio", "hugetlb", "rdma", "perf_event", "misc",
};

static bool has_known_controller(const char *superopts)
{
	for (size_t i = 0; i < ARRAY_SIZE(v1_known); i++) {
		size_t l = strlen(v1_known[i]);

		for (const char *p = superopts; (p = strstr(p, v1_known[i])); p += l)
			if ((p == superopts || p[-1] == ',') && (p[l] == ',' || p[l] == '\0'))
				return true;
	}
	return false;
}

/* Find the hierarchies mounted below /sys/fs/cgroup from mountinfo:
 * "id parent maj:min root mountpoint opts [tags] - fstype source superopts". */
static int scan_mounts(struct rp_cgroup *cg, rp_err_t *err)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	if (!f)
		return rp_error(err, errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char mnt[4096], fstype[64], superopts[1024];
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, superopts) != 2)
			continue;
		if (strncmp(mnt, CGROUP_ROOT, strlen(CGROUP_ROOT)) != 0)
			continue;
		if (strcmp(fstype, "cgroup2") == 0 && !cg->v2_mount &&
		    cg->layout != RP_CGROUP_LEGACY) {
			cg->v2_mount = rp_xstrdup(mnt);
		} else if (strcmp(fstype, "cgroup") == 0 && has_known_controller(superopts)) {
			struct rp_cg_v1 *h;
			bool dup = false;

			for (size_t i = 0; i < cg->n_v1; i++)
				if (strcmp(cg->v1[i].mountpoint, mnt) == 0)
					dup = true;
			if (dup || cg->layout == RP_CGROUP_UNIFIED)
				continue;
			cg->v1 = rp_xrealloc(cg->v1, (cg->n_v1 + 1) * sizeof(*cg->v1));
			h = &cg->v1[cg->n_v1++];
			h->mountpoint = rp_xstrdup(mnt);
			h->controllers = rp_xasprintf(",%s,", superopts);
			h->fd = -1;
			h->created = 0;
		}
	}
	return 0;
}

int rp_cg_v1_fd(const struct rp_cgroup *cg, const char *controller)
{
	char needle[64];

	snprintf(needle, sizeof(needle), ",%s,", controller);
	for (size_t i = 0; i < cg->n_v1; i++)
		if (cg->v1[i].fd >= 0 && strstr(cg->v1[i].controllers, needle))
			return cg->v1[i].fd;
	return -1;
}

bool rp_cg_v2_has(const struct rp_cgroup *cg, const char *controller)
{
	char buf[1024];
	size_t l = strlen(controller);

	if (!l || cg->v2_fd < 0 || rp_cg_read(cg->v2_fd, "cgroup.controllers", buf, sizeof(buf)) < 0)
		return false;
	for (char *p = buf; (p = strstr(p, controller)); p += l)
		if ((p == buf || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return true;
	return false;
}

bool rp_cg_controller(const struct rp_cgroup *cg, const char *v1name, const char *v2name,
		      struct rp_cg_ctl *out)
{
	int fd = v1name ? rp_cg_v1_fd(cg, v1name) : -1;

	if (fd >= 0) {
		*out = (struct rp_cg_ctl){ .fd = fd, .v2 = false };
		return true;
	}
	if (v2name && rp_cg_v2_has(cg, v2name)) {
		*out = (struct rp_cg_ctl){ .fd = cg->v2_fd, .v2 = true };
		return true;
	}
	return false;
}

/* -------------------------------------------------------------------- paths */

/* Append "/comp" for every component of p, refusing "." and "..". */
static int append_clean(char **out, const char *p, const char *what, rp_err_t *err)
{
	_cleanup_free_ char *copy = rp_xstrdup(p);
	char *save = NULL;

	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		char *n;

		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0)
			return rp_error(err, EINVAL, "%s \"%s\": \".\" and \"..\" are not allowed",
					what, p);
		n = rp_xasprintf("%s/%s", *out, c);
		free(*out);
		*out = n;
	}
	return 0;
}

/* rampart's own cgroup2 path from /proc/self/cgroup ("0::/x/y"). */
static char *own_v2_cgroup(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			return rp_xstrdup(line + 3);
		}
	}
	return rp_xstrdup("/");
}

/* "slice:prefix:name" -> "/a.slice/a-b.slice/prefix-name.scope". */
static int systemd_path(const char *spec, char **out, rp_err_t *err)
{
	_cleanup_free_ char *copy = rp_xstrdup(spec);
	_cleanup_free_ char *res = rp_xstrdup("");
	char *slice = copy, *prefix, *name;
	size_t len;

	prefix = strchr(slice, ':');
	name = prefix ? strchr(prefix + 1, ':') : NULL;
	if (!prefix || !name || strchr(name + 1, ':') || !name[1] || strchr(copy, '/'))
		return rp_error(err, EINVAL,
				"linux.cgroupsPath \"%s\": --systemd-cgroup expects \"slice:prefix:name\"",
				spec);
	*prefix++ = '\0';
	*name++ = '\0';
	if (!*slice)
		slice = "system.slice";
	len = strlen(slice);
	if (len < 7 || strcmp(slice + len - 6, ".slice") != 0)
		return rp_error(err, EINVAL, "linux.cgroupsPath \"%s\": \"%s\" is not a .slice",
				spec, slice);
	if (strcmp(slice, "-.slice") != 0) {
		/* every dash-separated prefix of the slice name is a parent slice */
		for (size_t i = 0; i < len - 6; i++) {
			if (slice[i] == '-') {
				char *n = rp_xasprintf("%s/%.*s.slice", res, (int)i, slice);

				free(res);
				res = n;
			}
		}
		char *n = rp_xasprintf("%s/%s", res, slice);

		free(res);
		res = n;
	}
	{
		_cleanup_free_ char *scope = *prefix ? rp_xasprintf("%s-%s.scope", prefix, name)
						     : rp_xasprintf("%s.scope", name);
		char *clean = rp_xstrdup("");

		if (append_clean(&clean, res, "linux.cgroupsPath", err) < 0 ||
		    append_clean(&clean, scope, "linux.cgroupsPath", err) < 0) {
			free(clean);
			return -1;
		}
		*out = clean;
	}
	return 0;
}

static int resolve_path(const struct rp_cgroup_opts *opts, char **out, rp_err_t *err)
{
	_cleanup_free_ char *res = rp_xstrdup("");
	const char *p = opts->cgroups_path;

	if (opts->systemd) {
		if (!p || !*p)
			p = rp_xasprintf(":rampart:%s", opts->id); /* freed below */
		int r = systemd_path(p, out, err);

		if (p != opts->cgroups_path)
			free((char *)p);
		return r;
	}
	if (!p || !*p) {
		if (append_clean(&res, "rampart", "linux.cgroupsPath", err) < 0 ||
		    append_clean(&res, opts->id, "container id", err) < 0)
			return -1;
	} else {
		if (p[0] != '/' && rp_cgroup_detect_layout() != RP_CGROUP_LEGACY) {
			_cleanup_free_ char *own = own_v2_cgroup();

			if (append_clean(&res, own, "own cgroup", err) < 0)
				return -1;
		}
		if (append_clean(&res, p, "linux.cgroupsPath", err) < 0)
			return -1;
	}
	if (!*res)
		return rp_error(err, EINVAL, "linux.cgroupsPath \"%s\": the root cgroup cannot "
				"hold a container", p ? p : "");
	*out = take_ptr(res);
	return 0;
}

/* ------------------------------------------------------- create and remove */

static struct rp_cgroup *cgroup_new(void)
{
	struct rp_cgroup *cg = rp_xcalloc(1, sizeof(*cg));

	cg->layout = rp_cgroup_detect_layout();
	cg->v2_fd = -1;
	return cg;
}

void rp_cgroup_free(struct rp_cgroup *cg)
{
	if (!cg)
		return;
	for (size_t i = 0; i < cg->n_v1; i++) {
		if (cg->v1[i].fd >= 0)
			close(cg->v1[i].fd);
		free(cg->v1[i].mountpoint);
		free(cg->v1[i].controllers);
	}
	free(cg->v1);
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	free(cg->v2_mount);
	free(cg->path);
	free(cg);
}

static void cgroup_freep(struct rp_cgroup **cg) { rp_cgroup_free(*cg); }
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

/* v1 cpuset refuses tasks until cpus and mems are set: inherit the parent's. */
static int cpuset_inherit(int parent_fd, int fd, rp_err_t *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char cur[4096], parent[4096];

		if (rp_cg_read(fd, files[i], cur, sizeof(cur)) == 0 && cur[0])
			continue;
		if (rp_cg_read(parent_fd, files[i], parent, sizeof(parent)) < 0)
			return rp_error(err, errno, "read parent %s", files[i]);
		if (rp_cg_write(fd, files[i], parent, err) < 0)
			return -1;
	}
	return 0;
}

static size_t count_components(const char *path)
{
	size_t n = 0;

	for (const char *p = path; *p; p++)
		if (*p != '/' && (p == path || p[-1] == '/'))
			n++;
	return n;
}

/* mkdir -p of path below mountpoint; returns the leaf fd.  *created is the
 * number of trailing components that are ours (counted up from the leaf,
 * also when it fails half way), so a failed create can remove exactly them. */
static int make_dirs(const char *mountpoint, const char *path, bool cpuset, size_t *created,
		     rp_err_t *err)
{
	_cleanup_free_ char *copy = rp_xstrdup(path);
	_cleanup_close_ int fd = open(mountpoint, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	size_t n = count_components(path), idx = 0, first_new = SIZE_MAX;
	char *save = NULL;
	int r = 0;

	*created = 0;
	if (fd < 0)
		return rp_error(err, errno, "open %s", mountpoint);
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save), idx++) {
		int child;

		if (mkdirat(fd, c, 0755) == 0) {
			if (first_new == SIZE_MAX)
				first_new = idx;
		} else if (errno != EEXIST) {
			r = rp_error(err, errno, "mkdir %s%s", mountpoint, path);
			break;
		} else {
			first_new = SIZE_MAX; /* only a trailing run of new directories is ours */
		}
		child = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			r = rp_error(err, errno, "open %s%s", mountpoint, path);
			break;
		}
		if (cpuset && cpuset_inherit(fd, child, err) < 0) {
			close(child);
			r = rp_error_prefix(err, "%s%s", mountpoint, path);
			break;
		}
		close(fd);
		fd = child;
	}
	if (first_new != SIZE_MAX)
		*created = n - first_new;
	return r < 0 ? -1 : take_fd(fd);
}

/* rmdir mountpoint/path and, leaf first, everything below it; EBUSY (tasks
 * still exiting) is retried for a while. */
static int remove_tree(int parent_fd, const char *name, rp_err_t *err)
{
	_cleanup_close_ int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;

	if (fd < 0)
		return errno == ENOENT ? 0 : rp_error(err, errno, "open %s", name);
	d = fdopendir(take_fd(fd));
	if (!d)
		return rp_error(err, errno, "opendir %s", name);
	while ((de = readdir(d))) {
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    remove_tree(dirfd(d), de->d_name, err) < 0)
			return rp_error_prefix(err, "%s", name);
	}
	for (int i = 0; i < 200; i++) {
		if (unlinkat(parent_fd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			break;
		usleep(10000);
	}
	return rp_error(err, errno, "rmdir %s", name);
}

/* Remove the container directory, then `extra` parents we created. */
static int remove_in(const char *mountpoint, const char *path, size_t extra, rp_err_t *err)
{
	_cleanup_free_ char *dir = rp_xasprintf("%s%s", mountpoint, path);
	int r = 0;

	for (size_t i = 0; i <= extra; i++) {
		char *slash = strrchr(dir, '/');
		_cleanup_close_ int pfd = -1;

		if (!slash || (size_t)(slash - dir) < strlen(mountpoint))
			break;
		*slash = '\0';
		pfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0 && errno == ENOENT)
			continue; /* a create that failed before making it */
		if (pfd < 0)
			return rp_error(err, errno, "open %s", dir);
		if (i == 0)
			r = remove_tree(pfd, slash + 1, err);
		else if (unlinkat(pfd, slash + 1, AT_REMOVEDIR) < 0 && errno != ENOENT)
			break; /* another container's sibling keeps it: fine */
		if (r < 0)
			return rp_error_prefix(err, "%s", mountpoint);
	}
	return 0;
}

static int remove_all(struct rp_cgroup *cg, bool created_only, rp_err_t *err)
{
	int r = 0;

	for (size_t i = 0; i < cg->n_v1; i++) {
		struct rp_cg_v1 *h = &cg->v1[i];

		if (created_only && !h->created)
			continue;
		if (h->fd >= 0) {
			close(h->fd);
			h->fd = -1;
		}
		if (remove_in(h->mountpoint, cg->path, created_only ? h->created - 1 : 0, err) < 0)
			r = -1;
	}
	if (cg->v2_mount && (!created_only || cg->v2_created)) {
		if (cg->v2_fd >= 0) {
			close(cg->v2_fd);
			cg->v2_fd = -1;
		}
		if (remove_in(cg->v2_mount, cg->path, created_only ? cg->v2_created - 1 : 0, err) < 0)
			r = -1;
	}
	return r;
}

/* Controllers a resources object needs in the cgroup2 hierarchy. */
static void wanted_v2(const struct rp_cgroup *cg, const struct oci_resources *res,
		      const char **want, size_t *n)
{
	*n = 0;
#define WANT(cond, v1, v2) \
	do { if ((cond) && rp_cg_v1_fd(cg, v1) < 0) want[(*n)++] = v2; } while (0)
	if (!res)
		return;
	WANT(res->memory, "memory", "memory");
	WANT(res->cpu && (res->cpu->shares.set || res->cpu->quota.set || res->cpu->period.set ||
			  res->cpu->burst.set || res->cpu->idle.set), "cpu", "cpu");
	WANT(res->cpu && (res->cpu->cpus || res->cpu->mems), "cpuset", "cpuset");
	WANT(res->pids, "pids", "pids");
	WANT(res->block_io, "blkio", "io");
	WANT(res->n_hugepage_limits, "hugetlb", "hugetlb");
	WANT(res->n_rdma, "rdma", "rdma");
#undef WANT
}

static bool word_in(const char *list, const char *word)
{
	size_t l = strlen(word);

	if (!l)
		return false;
	for (const char *p = list; (p = strstr(p, word)); p += l)
		if ((p == list || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
			return true;
	return false;
}

/* Enable `want` (where the hierarchy offers them) in the subtree_control of
 * every ancestor of the container.  On a unified host the usual controllers
 * are enabled too, best effort, so stats work without limits; on a hybrid
 * host only what the config needs, to change as little as possible. */
static int enable_v2_controllers(struct rp_cgroup *cg, const char **want, size_t n_want,
				 rp_err_t *err)
{
	static const char *const usual[] = { "cpu", "cpuset", "io", "memory", "pids", "hugetlb" };
	_cleanup_free_ char *copy = rp_xstrdup(cg->path);
	_cleanup_close_ int fd = open(cg->v2_mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *save = NULL, *next;

	if (fd < 0)
		return rp_error(err, errno, "open %s", cg->v2_mount);
	next = strtok_r(copy, "/", &save);
	while (next) {
		char avail[1024], enabled[1024];
		int child;

		if (rp_cg_read(fd, "cgroup.controllers", avail, sizeof(avail)) < 0 ||
		    rp_cg_read(fd, "cgroup.subtree_control", enabled, sizeof(enabled)) < 0)
			return rp_error(err, errno, "read cgroup.controllers in %s", cg->v2_mount);
		for (size_t i = 0; i < n_want; i++) {
			if (!word_in(avail, want[i]) || word_in(enabled, want[i]))
				continue;
			if (rp_cg_writef(fd, "cgroup.subtree_control", err, "+%s", want[i]) < 0)
				return rp_error_prefix(err, "enable the %s controller", want[i]);
		}
		for (size_t i = 0; cg->layout == RP_CGROUP_UNIFIED && i < ARRAY_SIZE(usual); i++) {
			rp_err_t ignored = NULL;

			if (word_in(avail, usual[i]) && !word_in(enabled, usual[i]))
				rp_cg_writef(fd, "cgroup.subtree_control", &ignored, "+%s", usual[i]);
			rp_error_free(&ignored);
		}
		child = openat(fd, next, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0)
			return rp_error(err, errno, "open %s%s", cg->v2_mount, cg->path);
		close(fd);
		fd = child;
		next = strtok_r(NULL, "/", &save);
	}
	return 0;
}

/* The first field set in a group, for "the X controller is not available". */
static const char *memory_field(const struct oci_memory *m)
{
	return m->limit.set ? "memory.limit" : m->reservation.set ? "memory.reservation" :
	       m->swap.set ? "memory.swap" : m->swappiness.set ? "memory.swappiness" :
	       m->disable_oom_killer.set ? "memory.disableOOMKiller" :
	       m->kernel.set ? "memory.kernel" : m->kernel_tcp.set ? "memory.kernelTCP" : NULL;
}

static const char *cpu_field(const struct oci_cpu *c)
{
	return c->shares.set ? "cpu.shares" : c->quota.set ? "cpu.quota" :
	       c->period.set ? "cpu.period" : c->burst.set ? "cpu.burst" :
	       c->idle.set ? "cpu.idle" : c->realtime_runtime.set ? "cpu.realtimeRuntime" :
	       c->realtime_period.set ? "cpu.realtimePeriod" : NULL;
}

static const char *blkio_field(const struct oci_blkio *b)
{
	return b->weight.set ? "blockIO.weight" : b->leaf_weight.set ? "blockIO.leafWeight" :
	       b->n_weight_device ? "blockIO.weightDevice" :
	       b->n_throttle_read_bps ? "blockIO.throttleReadBpsDevice" :
	       b->n_throttle_write_bps ? "blockIO.throttleWriteBpsDevice" :
	       b->n_throttle_read_iops ? "blockIO.throttleReadIOPSDevice" :
	       b->n_throttle_write_iops ? "blockIO.throttleWriteIOPSDevice" : NULL;
}

static int unavailable(rp_err_t *err, const char *field, const char *controller)
{
	return rp_error(err, ENOTSUP, "linux.resources.%s: the %s controller is not available "
			"on this host", field, controller);
}

/* Find the hierarchy holding controller (v1 name, cgroup2 name) for a
 * requested field, or fail naming both. */
#define NEED(v1, v2, field)                                                     \
	do {                                                                    \
		if (!rp_cg_controller(cg, v1, v2, &c))                          \
			return unavailable(err, field, v2 ? v2 : v1);           \
	} while (0)

static int apply(struct rp_cgroup *cg, const struct oci_resources *res, bool update,
		 rp_err_t *err)
{
	static const struct oci_resources none;
	struct rp_cg_ctl c;
	const char *f;

	/* no resources still means a device allow-list: the default one */
	if (!res && update)
		return 0;
	if (!res)
		res = &none;
	if (res->memory && (f = memory_field(res->memory))) {
		NEED("memory", "memory", f);
		if ((c.v2 ? rp_cg_v2_memory : rp_cg_v1_memory)(c.fd, res->memory, update, err) < 0)
			return -1;
	}
	if (res->cpu && (f = cpu_field(res->cpu))) {
		NEED("cpu", "cpu", f);
		if ((c.v2 ? rp_cg_v2_cpu : rp_cg_v1_cpu)(c.fd, res->cpu, err) < 0)
			return -1;
	}
	if (res->cpu && (res->cpu->cpus || res->cpu->mems)) {
		NEED("cpuset", "cpuset", res->cpu->cpus ? "cpu.cpus" : "cpu.mems");
		if (rp_cg_cpuset(c.fd, res->cpu, err) < 0)
			return -1;
	}
	if (res->pids) {
		NEED("pids", "pids", "pids.limit");
		if (rp_cg_pids(c.fd, res->pids, err) < 0)
			return -1;
	}
	if (res->block_io && (f = blkio_field(res->block_io))) {
		if (!rp_cg_controller(cg, "blkio", "io", &c))
			return unavailable(err, f, cg->n_v1 ? "blkio" : "io");
		if ((c.v2 ? rp_cg_v2_io : rp_cg_v1_blkio)(c.fd, res->block_io, err) < 0)
			return -1;
	}
	if (res->n_hugepage_limits) {
		NEED("hugetlb", "hugetlb", "hugepageLimits");
		if (rp_cg_hugetlb(c.fd, c.v2, res, err) < 0)
			return -1;
	}
	if (res->n_rdma) {
		NEED("rdma", "rdma", "rdma");
		if (rp_cg_rdma(c.fd, res, err) < 0)
			return -1;
	}
	if (res->network && rp_cg_v1_network(cg, res->network, err) < 0)
		return -1;
	/* Device rules: the v1 controller where mounted, and the eBPF filter on
	 * the cgroup2 directory whenever there is one (both are enforced on a
	 * hybrid host).  `update` without a devices list keeps what is there. */
	if (res->n_devices || !update) {
		int dfd = rp_cg_v1_fd(cg, "devices");

		if (dfd < 0 && cg->v2_fd < 0)
			return unavailable(err, "devices", "devices");
		if (dfd >= 0 && rp_cg_v1_devices(dfd, res->devices, res->n_devices, update, err) < 0)
			return -1;
		if (cg->v2_fd >= 0 &&
		    rp_bpf_devices_apply(cg->v2_fd, res->devices, res->n_devices, err) < 0)
			return rp_error_prefix(err, "linux.resources.devices");
	}
	if (res->unified.n && rp_cg_v2_unified(cg, &res->unified, err) < 0)
		return -1;
	return 0;
}
#undef NEED

static bool dir_has_procs(int fd)
{
	char buf[16];

	return fd >= 0 && rp_cg_read(fd, "cgroup.procs", buf, sizeof(buf)) == 0 && buf[0];
}

/* The spec lets a runtime refuse a cgroup that is not fit for purpose:
 * joining a populated one would mix this container with others (or with the
 * host), and nothing may be changed in it before that is known. */
static int populated_error(rp_err_t *err, const char *mountpoint, const char *path)
{
	return rp_error(err, EBUSY, "linux.cgroupsPath: cgroup %s%s already has processes",
			mountpoint, path);
}

static int create_dirs(struct rp_cgroup *cg, const struct oci_resources *res, rp_err_t *err)
{
	const char *want[16];
	char names[8][32];
	size_t n_want, n_names = 0;

	for (size_t i = 0; i < cg->n_v1; i++) {
		struct rp_cg_v1 *h = &cg->v1[i];

		h->fd = make_dirs(h->mountpoint, cg->path, strstr(h->controllers, ",cpuset,"),
				  &h->created, err);
		if (h->fd < 0)
			return -1;
		if (dir_has_procs(h->fd))
			return populated_error(err, h->mountpoint, cg->path);
	}
	if (cg->v2_mount) {
		cg->v2_fd = make_dirs(cg->v2_mount, cg->path, false, &cg->v2_created, err);
		if (cg->v2_fd < 0)
			return -1;
		if (dir_has_procs(cg->v2_fd))
			return populated_error(err, cg->v2_mount, cg->path);
		wanted_v2(cg, res, want, &n_want);
		for (size_t i = 0; res && i < res->unified.n; i++) {
			/* "memory.max" needs "memory"; cgroup.* files need nothing.
			 * Bad keys are reported when the values are written. */
			const char *key = res->unified.keys[i];
			size_t l = strcspn(key, ".");

			if (!l || l >= sizeof(names[0]) || strncmp(key, "cgroup.", 7) == 0 ||
			    n_names >= ARRAY_SIZE(names))
				continue;
			snprintf(names[n_names], sizeof(names[0]), "%.*s", (int)l, key);
			want[n_want++] = names[n_names++];
		}
		if (enable_v2_controllers(cg, want, n_want, err) < 0)
			return rp_error_prefix(err, "%s%s", cg->v2_mount, cg->path);
	}
	return 0;
}

int rp_cgroup_create(const struct rp_cgroup_opts *opts, const struct oci_resources *res,
		     struct rp_cgroup **out, rp_err_t *err)
{
	_cleanup_cgroup_ struct rp_cgroup *cg = cgroup_new();

	if (resolve_path(opts, &cg->path, err) < 0 || scan_mounts(cg, err) < 0)
		return -1;
	if (!cg->v2_mount && !cg->n_v1)
		return rp_error(err, ENOENT, "no cgroup hierarchy is mounted under %s", CGROUP_ROOT);
	if (create_dirs(cg, res, err) < 0 || apply(cg, res, false, err) < 0) {
		rp_err_t ignored = NULL;

		if (remove_all(cg, true, &ignored) < 0)
			rp_warn("cgroup cleanup after a failed create: %s", ignored->msg);
		rp_error_free(&ignored);
		return rp_error_prefix(err, "cgroup %s", cg->path);
	}
	rp_debug("cgroup %s created (%s layout, %zu v1 hierarchies%s)", cg->path,
		 cg->layout == RP_CGROUP_UNIFIED ? "unified" :
		 cg->layout == RP_CGROUP_HYBRID ? "hybrid" : "legacy", cg->n_v1,
		 cg->v2_mount ? ", cgroup2" : "");
	*out = take_ptr(cg);
	return 0;
}

int rp_cgroup_open(const char *path, struct rp_cgroup **out, rp_err_t *err)
{
	_cleanup_cgroup_ struct rp_cgroup *cg = cgroup_new();
	bool any = false;

	cg->path = rp_xstrdup("");
	if (!path || path[0] != '/' || append_clean(&cg->path, path, "cgroup path", err) < 0 ||
	    !cg->path[0])
		return rp_error(err, EINVAL, "invalid recorded cgroup path \"%s\"", path ? path : "");
	if (scan_mounts(cg, err) < 0)
		return -1;
	for (size_t i = 0; i < cg->n_v1; i++) {
		_cleanup_free_ char *dir = rp_xasprintf("%s%s", cg->v1[i].mountpoint, cg->path);

		cg->v1[i].fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		any |= cg->v1[i].fd >= 0;
	}
	if (cg->v2_mount) {
		_cleanup_free_ char *dir = rp_xasprintf("%s%s", cg->v2_mount, cg->path);

		cg->v2_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		any |= cg->v2_fd >= 0;
	}
	if (!any)
		return rp_error(err, ENOENT, "cgroup %s does not exist", cg->path);
	*out = take_ptr(cg);
	return 0;
}

const char *rp_cgroup_path(const struct rp_cgroup *cg)
{
	return cg->path;
}

int rp_cgroup_v2_fd(const struct rp_cgroup *cg)
{
	/* CLONE_INTO_CGROUP places the child in the cgroup2 hierarchy only: on a
	 * hybrid host the v1 hierarchies still need rp_cgroup_enter. */
	return cg->layout == RP_CGROUP_UNIFIED ? cg->v2_fd : -1;
}

int rp_cgroup_enter(const struct rp_cgroup *cg, pid_t pid, rp_err_t *err)
{
	for (size_t i = 0; i < cg->n_v1; i++) {
		if (cg->v1[i].fd >= 0 &&
		    rp_cg_writef(cg->v1[i].fd, "cgroup.procs", err, "%d", (int)pid) < 0)
			return rp_error_prefix(err, "join %s%s", cg->v1[i].mountpoint, cg->path);
	}
	if (cg->v2_fd >= 0 && rp_cg_writef(cg->v2_fd, "cgroup.procs", err, "%d", (int)pid) < 0)
		return rp_error_prefix(err, "join %s%s", cg->v2_mount, cg->path);
	return 0;
}

int rp_cgroup_update(struct rp_cgroup *cg, const struct oci_resources *res, rp_err_t *err)
{
	if (apply(cg, res, true, err) < 0)
		return rp_error_prefix(err, "update cgroup %s", cg->path);
	return 0;
}

/* ------------------------------------------------------------------ freezer */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

bool rp_cgroup_is_frozen(const struct rp_cgroup *cg)
{
	int fd = rp_cg_v1_fd(cg, "freezer");
	char buf[32];
	uint64_t v;

	if (fd >= 0)
		return rp_cg_read(fd, "freezer.state", buf, sizeof(buf)) == 0 &&
		       strcmp(buf, "FROZEN") == 0;
	return cg->v2_fd >= 0 && rp_cg_read_key(cg->v2_fd, "cgroup.events", "frozen", &v) && v == 1;
}

int rp_cgroup_freeze(struct rp_cgroup *cg, bool frozen, rp_err_t *err)
{
	int fd = rp_cg_v1_fd(cg, "freezer");
	const char *want = frozen ? "FROZEN" : "THAWED";

	if (fd < 0 && cg->v2_fd < 0)
		return rp_error(err, ENOTSUP, "no freezer for cgroup %s", cg->path);
	if (fd >= 0 ? rp_cg_write(fd, "freezer.state", want, err) < 0
		    : rp_cg_write(cg->v2_fd, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
		return rp_error_prefix(err, "%s cgroup %s", frozen ? "freeze" : "thaw", cg->path);
	/* Freezing completes asynchronously: a task in an uninterruptible sleep
	 * holds it up.  Wait, re-asserting the request as the kernel asks. */
	for (int i = 0; i < 1000; i++) {
		if (rp_cgroup_is_frozen(cg) == frozen)
			return 0;
		sleep_ms(i < 10 ? 1 : 10);
		if (fd >= 0 && frozen)
			rp_cg_write(fd, "freezer.state", want, NULL);
	}
	if (frozen) {
		rp_err_t ignored = NULL;

		rp_cgroup_freeze(cg, false, &ignored);
		rp_error_free(&ignored);
	}
	return rp_error(err, ETIMEDOUT, "%s cgroup %s", frozen ? "freeze" : "thaw", cg->path);
}

/* --------------------------------------------------------------------- pids */

static void add_pid(pid_t **pids, size_t *n, pid_t pid)
{
	for (size_t i = 0; i < *n; i++)
		if ((*pids)[i] == pid)
			return;
	*pids = rp_xrealloc(*pids, (*n + 1) * sizeof(**pids));
	(*pids)[(*n)++] = pid;
}

static int collect_pids(int dfd, pid_t **pids, size_t *n, int depth, rp_err_t *err)
{
	_cleanup_close_ int fd = openat(dfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	long pid;

	if (fd < 0)
		return rp_error(err, errno, "open cgroup.procs");
	f = fdopen(take_fd(fd), "r");
	if (!f)
		return rp_error(err, errno, "fdopen cgroup.procs");
	while (fscanf(f, "%ld", &pid) == 1)
		add_pid(pids, n, (pid_t)pid);
	if (depth > 64)
		return 0;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd)))
		return rp_error(err, errno, "open cgroup directory");
	fd = -1;
	while ((de = readdir(d))) {
		_cleanup_close_ int sub = -1;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0 && collect_pids(sub, pids, n, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

static int pids_dir(const struct rp_cgroup *cg)
{
	int fd;

	/* every task is in the cgroup2 hierarchy, even on hybrid hosts */
	if (cg->v2_fd >= 0)
		return cg->v2_fd;
	if ((fd = rp_cg_v1_fd(cg, "pids")) >= 0 || (fd = rp_cg_v1_fd(cg, "freezer")) >= 0)
		return fd;
	return cg->n_v1 ? cg->v1[0].fd : -1;
}

int rp_cgroup_pids(const struct rp_cgroup *cg, pid_t **pids, size_t *n, rp_err_t *err)
{
	int fd = pids_dir(cg);

	*pids = NULL;
	*n = 0;
	if (fd < 0)
		return rp_error(err, ENOENT, "cgroup %s has no directory", cg->path);
	if (collect_pids(fd, pids, n, 0, err) < 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
		return rp_error_prefix(err, "list the processes of cgroup %s", cg->path);
	}
	return 0;
}

static bool populated(const struct rp_cgroup *cg)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;

	return rp_cgroup_pids(cg, &pids, &n, NULL) < 0 || n > 0;
}

static int signal_all(struct rp_cgroup *cg, int sig, rp_err_t *err)
{
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	bool can_freeze = rp_cg_v1_fd(cg, "freezer") >= 0 || cg->v2_fd >= 0;
	bool was_frozen = rp_cgroup_is_frozen(cg);

	/* Frozen, nobody can fork a child we would miss between reading the
	 * list and signalling it. */
	if (can_freeze && !was_frozen && rp_cgroup_freeze(cg, true, err) < 0)
		return -1;
	if (rp_cgroup_pids(cg, &pids, &n, err) == 0)
		for (size_t i = 0; i < n; i++)
			if (kill(pids[i], sig) < 0 && errno != ESRCH)
				rp_warn("signal %d to pid %d: %m", sig, (int)pids[i]);
	if (can_freeze && !was_frozen && rp_cgroup_freeze(cg, false, err) < 0)
		return -1;
	return 0;
}

int rp_cgroup_kill_all(struct rp_cgroup *cg, int sig, rp_err_t *err)
{
	if (sig != SIGKILL)
		return signal_all(cg, sig, err);
	if (rp_cg_exists(cg->v2_fd, "cgroup.kill")) {
		if (rp_cg_write(cg->v2_fd, "cgroup.kill", "1", err) < 0)
			return rp_error_prefix(err, "kill cgroup %s", cg->path);
	} else if (signal_all(cg, SIGKILL, err) < 0) {
		return rp_error_prefix(err, "kill cgroup %s", cg->path);
	}
	/* a task frozen by the v1 freezer dies only once thawed */
	if (rp_cgroup_is_frozen(cg) && rp_cgroup_freeze(cg, false, err) < 0)
		return rp_error_prefix(err, "kill cgroup %s", cg->path);
	/* Wait until they are gone so the caller can rmdir; keep signalling in
	 * case a fork slipped through. */
	for (int i = 0; i < 500; i++) {
		if (!populated(cg))
			return 0;
		sleep_ms(i < 20 ? 1 : 10);
		if (i % 50 == 49 && signal_all(cg, SIGKILL, err) < 0)
			return rp_error_prefix(err, "kill cgroup %s", cg->path);
	}
	return rp_error(err, ETIMEDOUT, "kill cgroup %s: processes remain", cg->path);
}

int rp_cgroup_destroy(struct rp_cgroup *cg, rp_err_t *err)
{
	if (populated(cg)) {
		if (rp_cgroup_kill_all(cg, SIGKILL, err) < 0)
			return rp_error_prefix(err, "destroy");
	}
	/* a frozen v1 cgroup cannot be removed while its (dead) tasks linger */
	if (rp_cgroup_is_frozen(cg) && rp_cgroup_freeze(cg, false, err) < 0)
		return rp_error_prefix(err, "destroy");
	if (remove_all(cg, false, err) < 0)
		return rp_error_prefix(err, "destroy cgroup %s", cg->path);
	return 0;
}

/* -------------------------------------------------------------------- stats */

int rp_cgroup_stats(const struct rp_cgroup *cg, json_writer *w, rp_err_t *err)
{
	struct rp_cg_ctl c;

	(void)err;
	json_w_object_begin(w);
	if (rp_cg_controller(cg, "cpu", "cpu", &c)) {
		json_w_key(w, "cpu");
		if (c.v2)
			rp_cg_v2_stats_cpu(c.fd, w);
		else
			rp_cg_v1_stats_cpu(c.fd, rp_cg_v1_fd(cg, "cpuacct"), w);
	} else if (cg->v2_fd >= 0) {
		/* cgroup2 keeps usage in cpu.stat even without the cpu controller */
		json_w_key(w, "cpu");
		rp_cg_v2_stats_cpu(cg->v2_fd, w);
	}
	if (rp_cg_controller(cg, "memory", "memory", &c)) {
		json_w_key(w, "memory");
		(c.v2 ? rp_cg_v2_stats_memory : rp_cg_v1_stats_memory)(c.fd, w);
	}
	if (rp_cg_controller(cg, "pids", "pids", &c)) {
		json_w_key(w, "pids");
		rp_cg_stats_pids(c.fd, w);
	}
	if (rp_cg_controller(cg, "blkio", "io", &c)) {
		json_w_key(w, "blkio");
		(c.v2 ? rp_cg_v2_stats_io : rp_cg_v1_stats_blkio)(c.fd, w);
	}
	if (rp_cg_controller(cg, "hugetlb", "hugetlb", &c)) {
		json_w_key(w, "hugetlb");
		rp_cg_stats_hugetlb(c.fd, c.v2, w);
	}
	json_w_object_end(w);
	return 0;
}

int64_t rp_cgroup_oom_count(const struct rp_cgroup *cg)
{
	struct rp_cg_ctl c;
	uint64_t v;

	if (!rp_cg_controller(cg, "memory", "memory", &c))
		return -1;
	if (c.v2 ? rp_cg_read_key(c.fd, "memory.events", "oom_kill", &v)
		 : rp_cg_read_key(c.fd, "memory.oom_control", "oom_kill", &v))
		return (int64_t)v;
	return -1;
}

/* ----------------------------------------------------------- for commands */

int rp_cgroup_open_container(const char *root, const char *id, struct rp_state *st,
			     struct rp_cgroup **out, rp_err_t *err)
{
	if (rp_validate_id(id, err) < 0 || rp_state_load(root, id, st, err) < 0)
		return -1;
	rp_state_refresh(st, root);
	if (!st->cgroup_path)
		return rp_error(err, ENOENT, "container \"%s\" has no cgroup", id);
	if (rp_cgroup_open(st->cgroup_path, out, err) < 0)
		return rp_error_prefix(err, "container \"%s\"", id);
	return 0;
}
