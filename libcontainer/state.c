/* rampart: the runtime's record of a container (see state.h).
 *
 * Layout: <root>/ (0700) holds one directory per container, <root>/<id>/
 * (0700), with:
 *   state.json  the record, replaced atomically (write tmp, fsync, rename)
 *   lock        flock(2) target serialising commands on this container
 *   exec.fifo   present while the init waits for `start` (created)
 *
 * mkdir(2) of <root>/<id> is the one atomic step that decides which of two
 * concurrent creates of an id wins; everything else happens inside a
 * directory only its creator knows it owns. */
#include "config-host.h"
#include "state.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "log.h"
#include "utils.h"

#define STATE_FILE "state.json"
#define LOCK_FILE "lock"
#define EXEC_FIFO "exec.fifo"
#define STATE_MAX (4u << 20)

static const char *const status_names[] = {
	[RP_CREATING] = "creating",
	[RP_CREATED] = "created",
	[RP_RUNNING] = "running",
	[RP_STOPPED] = "stopped",
	[RP_PAUSED] = "paused",
};

const char *rp_status_name(enum rp_status s)
{
	if ((size_t)s < ARRAY_SIZE(status_names) && status_names[s])
		return status_names[s];
	return "unknown";
}

static int status_from_name(const char *name, enum rp_status *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(status_names); i++) {
		if (name && strcmp(name, status_names[i]) == 0) {
			*out = (enum rp_status)i;
			return 0;
		}
	}
	return -1;
}

/* Errors callers match by text ("does not exist") carry an errno for code
 * but no strerror suffix, so the text stays exactly what they expect. */
static int __attribute__((format(printf, 3, 4)))
error_with_errno(rp_err_t *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rp_verror(err, 0, fmt, ap);
	va_end(ap);
	if (err && *err)
		(*err)->errnum = errnum;
	return -1;
}

static int not_exist(rp_err_t *err, const char *id)
{
	return error_with_errno(err, ENOENT, "container \"%s\" does not exist", id);
}

int rp_validate_id(const char *id, rp_err_t *err)
{
	size_t len;

	if (!id || !*id)
		return rp_error(err, 0, "invalid container id: must not be empty");
	len = strlen(id);
	if (len > 1024)
		return rp_error(err, 0, "invalid container id: longer than 1024 characters");
	if (id[0] == '.')
		return rp_error(err, 0, "invalid container id \"%s\": must not start with '.'", id);
	for (const char *p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '-' || c == '.';
		if (!ok)
			return rp_error(err, 0,
					"invalid container id \"%s\": only [A-Za-z0-9_+.-] are allowed", id);
	}
	return 0;
}

char *rp_state_dir(const char *root, const char *id)
{
	return rp_xasprintf("%s/%s", root, id);
}

int rp_state_lock(const char *root, const char *id, rp_err_t *err)
{
	_cleanup_free_ char *dir = rp_state_dir(root, id);
	_cleanup_close_ int dirfd = -1;
	_cleanup_close_ int fd = -1;
	struct stat sb;

	dirfd = open(dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return not_exist(err, id);
		return rp_error(err, errno, "open %s", dir);
	}
	fd = openat(dirfd, LOCK_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == ENOENT)
			return not_exist(err, id);
		return rp_error(err, errno, "open %s/%s", dir, LOCK_FILE);
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR)
			return rp_error(err, errno, "lock %s/%s", dir, LOCK_FILE);
	}
	/* Whoever held the lock before us may have been a delete that removed
	 * the whole directory: then the file we locked is no longer linked. */
	if (fstat(fd, &sb) < 0)
		return rp_error(err, errno, "stat %s/%s", dir, LOCK_FILE);
	if (sb.st_nlink == 0)
		return not_exist(err, id);
	return take_fd(fd);
}

int rp_state_create_dir(const char *root, const char *id, rp_err_t *err)
{
	_cleanup_free_ char *dir = rp_state_dir(root, id);
	struct stat sb;

	if (rp_mkdir_p(root, 0700, err) < 0)
		return rp_error_prefix(err, "create state root %s", root);
	/* The root may predate us: refuse one that anybody else could write
	 * into, since every later path under it is trusted. */
	if (stat(root, &sb) < 0)
		return rp_error(err, errno, "stat %s", root);
	if (!S_ISDIR(sb.st_mode))
		return rp_error(err, ENOTDIR, "state root %s", root);
	if (sb.st_mode & (S_IWGRP | S_IWOTH))
		return rp_error(err, 0, "state root %s is writable by group or others (mode %04o)",
				root, (unsigned)(sb.st_mode & 07777));
	if (mkdir(dir, 0700) < 0) {
		if (errno == EEXIST)
			return error_with_errno(err, EEXIST, "container \"%s\" already exists", id);
		return rp_error(err, errno, "mkdir %s", dir);
	}
	return 0;
}

/* ------------------------------------------------------------ state.json */

static void write_state(json_writer *w, const struct rp_state *st)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "ociVersion", st->oci_version);
	json_w_kv_string(w, "id", st->id);
	json_w_kv_string(w, "status", rp_status_name(st->status));
	json_w_kv_int(w, "pid", st->pid);
	json_w_kv_uint(w, "pidStartTime", st->pid_start_time);
	json_w_kv_string(w, "bundle", st->bundle);
	json_w_kv_string(w, "rootfs", st->rootfs);
	json_w_kv_string(w, "created", st->created);
	json_w_kv_string(w, "owner", st->owner ? st->owner : "");
	if (st->annotations) {
		json_w_key(w, "annotations");
		json_w_value(w, st->annotations);
	}
	json_w_kv_string(w, "cgroupPath", st->cgroup_path);
	json_w_kv_string(w, "configPath", st->config_path);
	json_w_kv_bool(w, "systemdCgroup", st->systemd_cgroup);
	json_w_kv_string(w, "selinuxMcs", st->selinux_mcs);
	json_w_kv_string(w, "rootfsMount", st->rootfs_mount);
	json_w_kv_bool(w, "useConsoleSocket", st->use_console_socket);
	json_w_object_end(w);
}

int rp_state_save(const char *root, const struct rp_state *st, rp_err_t *err)
{
	_cleanup_free_ char *path = rp_xasprintf("%s/%s/%s", root, st->id, STATE_FILE);
	json_writer *w = json_writer_new(false);
	const char *buf;
	size_t len;
	int ret;

	write_state(w, st);
	buf = json_writer_buf(w, &len);
	if (!buf) {
		json_writer_free(w);
		return rp_error(err, 0, "serialise the state of container \"%s\"", st->id);
	}
	ret = rp_write_file_atomic(path, buf, len, 0600, err);
	json_writer_free(w);
	if (ret < 0)
		return rp_error_prefix(err, "save the state of container \"%s\"", st->id);
	return 0;
}

/* A string member, copied; NULL when absent or null. */
static int get_string(const json_value *obj, const char *key, bool required, char **out,
		      rp_err_t *err)
{
	json_value *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_typeof(v) == JSON_NULL) {
		if (required)
			return rp_error(err, 0, "%s: missing", key);
		return 0;
	}
	if (json_typeof(v) != JSON_STRING)
		return rp_error(err, 0, "%s: expected a string, got %s", key, json_type_name(v));
	*out = rp_xstrdup(json_string(v));
	return 0;
}

static bool get_bool(const json_value *obj, const char *key)
{
	json_value *v = json_object_get(obj, key);

	return v && json_typeof(v) == JSON_BOOL && json_bool(v);
}

/* The annotations subtree outlives the document it came from: re-parse a
 * copy of it so rp_state owns a tree of its own. */
static json_value *copy_value(const json_value *v, rp_err_t *err)
{
	json_writer *w = json_writer_new(false);
	const char *buf;
	size_t len;
	json_value *copy = NULL;

	json_w_value(w, v);
	buf = json_writer_buf(w, &len);
	if (buf)
		copy = json_parse(buf, len, err);
	else
		rp_error(err, 0, "copy annotations");
	json_writer_free(w);
	return copy;
}

static int parse_state(const json_value *doc, struct rp_state *st, rp_err_t *err)
{
	_cleanup_free_ char *status = NULL;
	json_value *v;
	int64_t pid;
	uint64_t start;

	if (json_typeof(doc) != JSON_OBJECT)
		return rp_error(err, 0, "expected an object, got %s", json_type_name(doc));
	if (get_string(doc, "ociVersion", true, &st->oci_version, err) < 0 ||
	    get_string(doc, "id", true, &st->id, err) < 0 ||
	    get_string(doc, "status", true, &status, err) < 0 ||
	    get_string(doc, "bundle", true, &st->bundle, err) < 0 ||
	    get_string(doc, "rootfs", false, &st->rootfs, err) < 0 ||
	    get_string(doc, "created", false, &st->created, err) < 0 ||
	    get_string(doc, "owner", false, &st->owner, err) < 0 ||
	    get_string(doc, "cgroupPath", false, &st->cgroup_path, err) < 0 ||
	    get_string(doc, "configPath", false, &st->config_path, err) < 0 ||
	    get_string(doc, "selinuxMcs", false, &st->selinux_mcs, err) < 0 ||
	    get_string(doc, "rootfsMount", false, &st->rootfs_mount, err) < 0)
		return -1;
	if (status_from_name(status, &st->status) < 0)
		return rp_error(err, 0, "status: unknown value \"%s\"", status);
	v = json_object_get(doc, "pid");
	if (!v || !json_to_i64(v, &pid) || pid < 0 || pid > INT32_MAX)
		return rp_error(err, 0, "pid: expected a non-negative integer");
	st->pid = (pid_t)pid;
	v = json_object_get(doc, "pidStartTime");
	if (v && json_to_u64(v, &start))
		st->pid_start_time = start;
	v = json_object_get(doc, "annotations");
	if (v && json_typeof(v) == JSON_OBJECT) {
		st->annotations = copy_value(v, err);
		if (!st->annotations)
			return -1;
	}
	st->systemd_cgroup = get_bool(doc, "systemdCgroup");
	st->use_console_socket = get_bool(doc, "useConsoleSocket");
	if (!st->owner)
		st->owner = rp_xstrdup("");
	return 0;
}

int rp_state_load(const char *root, const char *id, struct rp_state *st, rp_err_t *err)
{
	_cleanup_free_ char *path = rp_xasprintf("%s/%s/%s", root, id, STATE_FILE);
	_cleanup_close_ int fd = -1;
	json_value *doc;
	int ret;

	memset(st, 0, sizeof(*st));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return not_exist(err, id);
		return rp_error(err, errno, "open %s", path);
	}
	doc = json_parse_fd(fd, path, err);
	if (!doc)
		return rp_error_prefix(err, "load the state of container \"%s\"", id);
	ret = parse_state(doc, st, err);
	json_free(doc);
	if (ret < 0) {
		rp_state_clear(st);
		return rp_error_prefix(err, "load the state of container \"%s\": %s", id, path);
	}
	if (strcmp(st->id, id) != 0) {
		rp_state_clear(st);
		return rp_error(err, 0, "%s records container \"%s\", not \"%s\"", path,
				st->id ? st->id : "", id);
	}
	return 0;
}

/* ------------------------------------------------------------ liveness */

/* Read the process state letter and start time (field 22) from
 * /proc/<pid>/stat.  The comm field may contain anything, including ") ",
 * so parsing starts after its last ')'. */
static int read_proc_stat(pid_t pid, char *state, unsigned long long *start_time)
{
	char path[64], buf[1024];
	_cleanup_close_ int fd = -1;
	ssize_t n;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return -1;
	p += 2;
	*state = *p;
	/* After ")" come fields 3 (state) .. 22 (starttime): skip 19 spaces. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -1;
		p++;
	}
	*start_time = strtoull(p, NULL, 10);
	return 0;
}

/* Alive = the same process we recorded (pid and start time) and not a
 * zombie: a zombie has run its last instruction. */
static bool init_alive(const struct rp_state *st)
{
	unsigned long long start;
	char pstate;

	if (st->pid <= 0 || read_proc_stat(st->pid, &pstate, &start) < 0)
		return false;
	if (st->pid_start_time && start != st->pid_start_time)
		return false;
	return pstate != 'Z' && pstate != 'X' && pstate != 'x';
}

static bool exec_fifo_exists(const char *root, const char *id)
{
	_cleanup_free_ char *path = rp_xasprintf("%s/%s/%s", root, id, EXEC_FIFO);

	return access(path, F_OK) == 0;
}

static bool cgroup_frozen(const struct rp_state *st)
{
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;
	bool frozen;

	if (!st->cgroup_path)
		return false;
	if (rp_cgroup_open(st->cgroup_path, &cg, &err) < 0) {
		rp_debug("state %s: cgroup %s: %s", st->id, st->cgroup_path, err ? err->msg : "?");
		rp_error_free(&err);
		return false;
	}
	frozen = rp_cgroup_is_frozen(cg);
	rp_cgroup_free(cg);
	return frozen;
}

void rp_state_refresh(struct rp_state *st, const char *root)
{
	if (!init_alive(st)) {
		st->status = RP_STOPPED;
		st->pid = 0;
		return;
	}
	if (st->status == RP_CREATING)
		return;
	if (cgroup_frozen(st))
		st->status = RP_PAUSED;
	else if (exec_fifo_exists(root, st->id))
		st->status = RP_CREATED;
	else
		st->status = RP_RUNNING;
}

/* ------------------------------------------------------------ removal */

/* Remove everything below dirfd without following symlinks.  The state
 * directory only holds our own files, but a bounded recursion keeps a stray
 * subdirectory (a socket dir, say) from leaving the id unusable. */
static int remove_tree_at(int dirfd, int depth, rp_err_t *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd;

	if (depth > 8)
		return rp_error(err, ELOOP, "state directory nested too deeply");
	fd = dup(dirfd);
	if (fd < 0)
		return rp_error(err, errno, "dup");
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return rp_error(err, errno, "fdopendir");
	}
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0 || errno == ENOENT)
			continue;
		if (errno != EISDIR) {
			return rp_error(err, errno, "remove %s", de->d_name);
		} else {
			_cleanup_close_ int sub = openat(dirfd, de->d_name,
							 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				return rp_error(err, errno, "open %s", de->d_name);
			if (remove_tree_at(sub, depth + 1, err) < 0)
				return rp_error_prefix(err, "%s", de->d_name);
			if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
				return rp_error(err, errno, "rmdir %s", de->d_name);
		}
	}
	if (errno)
		return rp_error(err, errno, "readdir");
	return 0;
}

int rp_state_remove(const char *root, const char *id, rp_err_t *err)
{
	_cleanup_close_ int rootfd = -1;
	_cleanup_close_ int dirfd = -1;

	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return errno == ENOENT ? 0 : rp_error(err, errno, "open %s", root);
	dirfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return errno == ENOENT ? 0 : rp_error(err, errno, "open %s/%s", root, id);
	if (remove_tree_at(dirfd, 0, err) < 0)
		return rp_error_prefix(err, "remove the state of container \"%s\"", id);
	if (unlinkat(rootfd, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return rp_error(err, errno, "remove %s/%s", root, id);
	return 0;
}

void rp_state_clear(struct rp_state *st)
{
	free(st->oci_version);
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->owner);
	json_free(st->annotations);
	free(st->cgroup_path);
	free(st->config_path);
	free(st->selinux_mcs);
	free(st->rootfs_mount);
	memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------ output */

void rp_state_write_oci(json_writer *w, const struct rp_state *st, bool with_version)
{
	json_w_object_begin(w);
	if (with_version)
		json_w_kv_string(w, "ociVersion", st->oci_version);
	json_w_kv_string(w, "id", st->id);
	json_w_kv_int(w, "pid", st->status == RP_STOPPED ? 0 : st->pid);
	json_w_kv_string(w, "status", rp_status_name(st->status));
	json_w_kv_string(w, "bundle", st->bundle);
	json_w_kv_string(w, "rootfs", st->rootfs ? st->rootfs : "");
	json_w_kv_string(w, "created", st->created ? st->created : "");
	json_w_kv_string(w, "owner", st->owner ? st->owner : "");
	json_w_key(w, "annotations");
	if (st->annotations) {
		json_w_value(w, st->annotations);
	} else {
		json_w_object_begin(w);
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rp_state_list(const char *root, char ***ids, size_t *n, rp_err_t *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	_cleanup_strv_ char **v = NULL;
	size_t count = 0, cap = 0;
	struct dirent *de;

	*ids = NULL;
	*n = 0;
	d = opendir(root);
	if (!d) {
		if (errno == ENOENT)
			goto done;
		return rp_error(err, errno, "open %s", root);
	}
	while ((errno = 0, de = readdir(d))) {
		struct stat sb;

		if (rp_validate_id(de->d_name, NULL) < 0)
			continue;
		/* Only directories holding a record are containers. */
		_cleanup_free_ char *rel = rp_xasprintf("%s/%s", de->d_name, STATE_FILE);
		if (fstatat(dirfd(d), rel, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (count + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			v = rp_xrealloc(v, cap * sizeof(*v));
		}
		v[count++] = rp_xstrdup(de->d_name);
		v[count] = NULL;
	}
	if (errno)
		return rp_error(err, errno, "read %s", root);
done:
	if (!v)
		v = rp_xcalloc(1, sizeof(*v));
	qsort(v, count, sizeof(*v), cmp_str);
	*n = count;
	*ids = take_ptr(v);
	return 0;
}
