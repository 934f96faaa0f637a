/* rampart: SELinux labels through libselinux.
 *
 * On a host where SELinux is disabled every function succeeds without doing
 * anything and says so under --debug: a label in config.json is then a wish
 * the host cannot honour, exactly as with runc. */
#include "config-host.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "selinux.h"
#include "state.h"
#include "utils.h"

#define MCS_CATEGORIES 1024

bool rp_selinux_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0)
		enabled = is_selinux_enabled() > 0;
	return enabled;
}

static bool skip_label(const char *what, const char *label)
{
	if (label == NULL || *label == '\0')
		return true;
	if (!rp_selinux_enabled()) {
		rp_debug("SELinux is disabled on this host; %s \"%s\" not applied", what, label);
		return true;
	}
	return false;
}

int rp_selinux_set_exec_label(const char *label, rp_err_t *err)
{
	if (skip_label("process label", label))
		return 0;
	if (setexeccon(label) < 0)
		return rp_error(err, errno, "process.selinuxLabel: set the exec label \"%s\"", label);
	return 0;
}

int rp_selinux_set_keycreate_label(const char *label, rp_err_t *err)
{
	if (skip_label("key creation label", label))
		return 0;
	if (setkeycreatecon(label) < 0)
		return rp_error(err, errno, "process.selinuxLabel: set the key creation label \"%s\"", label);
	return 0;
}

/* Filesystems whose every inode takes the label of the mount.  proc, sysfs
 * and cgroup keep their own labelling and reject context=; a bind mount
 * shows files that already carry labels. */
static bool takes_context(const char *fstype)
{
	/* Not mqueue: its superblock exists before we mount it (one per ipc
	 * namespace), so a context= option can never match and the mount
	 * fails ("Same superblock, different security settings"). */
	static const char *const types[] = { "tmpfs", "ramfs", "devpts", "hugetlbfs" };

	if (fstype == NULL)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strcmp(fstype, types[i]) == 0)
			return true;
	return false;
}

/* Always a new string (possibly ""), so callers free unconditionally. */
char *rp_selinux_mount_data(const char *data, const char *fstype, const char *mount_label)
{
	const char *d = data ? data : "";

	if (mount_label == NULL || *mount_label == '\0' || !takes_context(fstype))
		return rp_xstrdup(d);
	if (!rp_selinux_enabled()) {
		rp_debug("SELinux is disabled on this host; mount label \"%s\" not applied to %s",
			 mount_label, fstype);
		return rp_xstrdup(d);
	}
	/* A context the config wrote itself wins. */
	if (strstr(d, "context=") != NULL)
		return rp_xstrdup(d);
	/* Quoted: the MCS part of a label ("s0:c1,c2") contains a comma. */
	return rp_xasprintf("%s%scontext=\"%s\"", d, *d ? "," : "", mount_label);
}

/* ---------------------------------------------------------- auto labels */

/* lxc_contexts lines read `key = "user:role:type:level"`; returns the
 * value for key, unquoted, or NULL. */
static char *lxc_context(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line, *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, klen) != 0)
			continue;
		p += klen;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t' || *p == '"')
			p++;
		end = p;
		while (*end && *end != '\n' && *end != '"' && *end != ' ' && *end != '\t')
			end++;
		if (end > p)
			return rp_xasprintf("%.*s", (int) (end - p), p);
	}
	return NULL;
}

/* "user:role:type[:level]" -> "user:role:type:s0:cA,cB". */
static char *with_mcs(const char *context, unsigned a, unsigned b)
{
	const char *colon = context;

	for (int i = 0; i < 3 && colon; i++)
		colon = strchr(colon + (i ? 1 : 0), ':');
	if (colon == NULL) /* no level: a policy without MLS */
		return rp_xstrdup(context);
	return rp_xasprintf("%.*s:s0:c%u,c%u", (int) (colon - context), context, a, b);
}

struct mcs_pair { unsigned a, b; };

static bool parse_mcs(const char *s, struct mcs_pair *p)
{
	const char *c;

	if (s == NULL)
		return false;
	/* "s0:cA,cB", a whole label, or a bare "cA,cB" */
	c = strstr(s, ":c");
	c = c ? c + 1 : s;
	return sscanf(c, "c%u,c%u", &p->a, &p->b) == 2;
}

/* Each container with an automatic label keeps its pair in this file of
 * its state directory, written while the root's lock is held: two creates
 * racing never pick the same pair, and the pair is free again exactly when
 * the state directory goes (delete, or a failed create). */
#define MCS_RESERVATION "selinux-mcs"

/* The pairs reserved under root (rootfd), by every state directory. */
static int used_pairs(int rootfd, struct mcs_pair **out, size_t *n_out, rp_err_t *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct mcs_pair *pairs = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd = dup(rootfd);

	*out = NULL;
	*n_out = 0;
	if (fd < 0 || !(d = fdopendir(fd))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return rp_error(err, e, "list the containers' SELinux pairs");
	}
	while ((errno = 0, de = readdir(d))) {
		char buf[64];
		struct mcs_pair p;

		if (rp_validate_id(de->d_name, NULL) < 0)
			continue;
		_cleanup_free_ char *rel = rp_xasprintf("%s/%s", de->d_name, MCS_RESERVATION);
		_cleanup_close_ int rfd = openat(dirfd(d), rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (rfd < 0)
			continue;
		ssize_t len = read(rfd, buf, sizeof(buf) - 1);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		if (!parse_mcs(buf, &p))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			pairs = rp_xrealloc(pairs, cap * sizeof(*pairs));
		}
		pairs[n++] = p;
	}
	if (errno) {
		free(pairs);
		return rp_error(err, errno, "list the containers' SELinux pairs");
	}
	*out = pairs;
	*n_out = n;
	return 0;
}

static bool pair_used(const struct mcs_pair *used, size_t n, unsigned a, unsigned b)
{
	for (size_t i = 0; i < n; i++)
		if (used[i].a == a && used[i].b == b)
			return true;
	return false;
}

static int pick_pair(const struct mcs_pair *used, size_t n, unsigned *a, unsigned *b, rp_err_t *err)
{
	/* Random first, so that labels do not reveal how many containers
	 * came before; then a scan, which only matters when nearly full. */
	for (int tries = 0; tries < 256; tries++) {
		uint16_t r[2];

		if (getrandom(r, sizeof(r), 0) != sizeof(r))
			break;
		*a = r[0] % MCS_CATEGORIES;
		*b = r[1] % MCS_CATEGORIES;
		if (*a == *b)
			continue;
		if (*a > *b) {
			unsigned t = *a;
			*a = *b;
			*b = t;
		}
		if (!pair_used(used, n, *a, *b))
			return 0;
	}
	for (*a = 0; *a < MCS_CATEGORIES; (*a)++)
		for (*b = *a + 1; *b < MCS_CATEGORIES; (*b)++)
			if (!pair_used(used, n, *a, *b))
				return 0;
	return rp_error(err, ENOSPC, "no free SELinux MCS category pair");
}

/* Under the root's lock: find the pairs in use, pick a free one and
 * reserve it in the new container's state directory. */
static int reserve_pair(const char *root, const char *id, unsigned *a, unsigned *b, rp_err_t *err)
{
	_cleanup_free_ struct mcs_pair *used = NULL;
	size_t n_used = 0;
	char text[32];

	_cleanup_close_ int rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return rp_error(err, errno, "open %s", root);
	/* flock on the directory itself: no lock file to leave behind. */
	while (flock(rootfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return rp_error(err, errno, "lock %s", root);
	if (used_pairs(rootfd, &used, &n_used, err) < 0 || pick_pair(used, n_used, a, b, err) < 0)
		return -1;
	int len = snprintf(text, sizeof(text), "s0:c%u,c%u\n", *a, *b);
	_cleanup_free_ char *rel = rp_xasprintf("%s/%s", id, MCS_RESERVATION);
	_cleanup_close_ int fd = openat(rootfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || rp_write_all(fd, text, (size_t)len) < 0)
		return rp_error(err, errno, "reserve the SELinux pair in %s/%s", root, rel);
	return 0; /* closing rootfd drops the lock */
}

int rp_selinux_auto_labels(const char *root, const char *id, char **process_label, char **mount_label,
			   rp_err_t *err)
{
	_cleanup_free_ char *text = NULL, *process = NULL, *file = NULL;
	const char *path;
	unsigned a = 0, b = 0;

	*process_label = NULL;
	*mount_label = NULL;
	if (!rp_selinux_enabled()) {
		rp_debug("SELinux is disabled on this host; no container labels picked");
		return 0;
	}

	path = selinux_lxc_contexts_path();
	if (path == NULL || rp_read_file(path, &text, NULL, 1 << 20, err) < 0)
		return rp_error_prefix(err, "read the SELinux container contexts (lxc_contexts)");
	process = lxc_context(text, "process");
	file = lxc_context(text, "file");
	if (process == NULL || file == NULL)
		return rp_error(err, 0, "%s: no \"%s\" context", path, process == NULL ? "process" : "file");

	if (reserve_pair(root, id, &a, &b, err) < 0)
		return -1;
	*process_label = with_mcs(process, a, b);
	*mount_label = with_mcs(file, a, b);
	rp_debug("SELinux labels: process %s, mounts %s", *process_label, *mount_label);
	return 0;
}
