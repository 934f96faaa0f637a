/* rampart: the hardening policy engine.
 *
 * A rule is a row of the table below: an id, the reason a person reads, the
 * fix hint, the Kubernetes Pod Security Standards control it corresponds to,
 * its mode in each preset and a check over struct oci_config.  Checks only
 * look; they emit findings through emit().  Every finding gets its outcome
 * from the rule's mode, the container's waivers and whether the rule can
 * repair the config itself.  Repairs run after all checks, so a finding is
 * the same whether or not the fix is applied: `audit` (apply=false) and
 * `create` (apply=true) see exactly the same verdict.
 *
 * The semantics of every rule are documented in man/rampart-policy.5; keep
 * the two in step. */
#include "config-host.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "policy.h"
#include "seccomp.h"
#include "utils.h"

/* ------------------------------------------------------------ the rules */

enum rule_index {
	R_PRIVILEGED,
	R_ROOT_USER,
	R_HOST_NAMESPACES,
	R_DANGEROUS_CAPS,
	R_SENSITIVE_MOUNTS,
	R_DEVICES_ALLOW_ALL,
	R_WRITABLE_PROC_SYS,
	R_SECCOMP_UNCONFINED,
	R_NO_NEW_PRIVS,
	R_SECCOMP_MISSING,
	R_MASKED_PATHS,
	N_RULES
};

#define WAIVER_RULE_ID "waiver-not-permitted"

struct eval;

struct rule {
	const char *id;
	const char *reason;
	const char *fix;
	const char *pss;               /* Pod Security Standards control, NULL if none */
	bool process_rule;             /* also evaluated for exec */
	enum rp_rule_mode hardened, compat;
	void (*check)(struct eval *e);
	/* Repair the config; NULL when the rule cannot be fixed, only refused. */
	int (*repair)(struct oci_config *cfg, rp_err_t *err);
};

static const struct rule rules[N_RULES];

struct rp_policy {
	char *source;                  /* preset name or file path */
	bool from_file;
	enum rp_rule_mode mode[N_RULES];
	bool waivable[N_RULES];
};

/* The state of one evaluation, handed to every check. */
struct eval {
	const struct rp_policy *policy;
	const struct oci_config *cfg;
	struct rp_verdict *v;
	enum rule_index rule;          /* the rule being checked */
	bool waived[N_RULES];          /* permitted waivers from the annotation */
	bool needs_repair[N_RULES];
	bool apply;
};

/* ------------------------------------------------------------- helpers */

static bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static bool strv_contains(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (streq(v->v[i], s))
			return true;
	return false;
}

static void strv_append(struct strv *v, const char *s)
{
	v->v = rp_xrealloc(v->v, (v->n + 2) * sizeof(char *));
	v->v[v->n++] = rp_xstrdup(s);
	v->v[v->n] = NULL;
}

static struct oci_linux *ensure_linux(struct oci_config *cfg)
{
	if (!cfg->linux_cfg)
		cfg->linux_cfg = rp_xcalloc(1, sizeof(*cfg->linux_cfg));
	return cfg->linux_cfg;
}

/* Lexical normalisation of a path: "//", "." and ".." resolved without
 * touching the filesystem, trailing "/" dropped.  Relative paths stay
 * relative (a leading ".." that cannot be resolved is kept). */
static char *normalize_path(const char *in)
{
	bool abs = in[0] == '/';
	size_t len = strlen(in);
	char *out = rp_xmalloc(len + 2);
	size_t o = 0;
	size_t floor_len = 0; /* what ".." may not remove (leading "../" of relative paths) */

	if (abs)
		out[o++] = '/';
	floor_len = o;
	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		const char *end = strchrnul(p, '/');
		size_t n = end - p;
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o > floor_len) {
				while (o > floor_len && out[o - 1] != '/')
					o--;
				if (o > floor_len)
					o--; /* the separator */
				else if (abs)
					o = 1;
			} else if (!abs) {
				if (o > 0)
					out[o++] = '/';
				memcpy(out + o, "..", 2);
				o += 2;
				floor_len = o;
			}
		} else {
			if (o > 0 && out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = end;
	}
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	return out;
}

/* Is `path` equal to `dir` or below it?  Both normalised and absolute. */
static bool path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (streq(dir, "/"))
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Effective read-only state of a mount from its options: the last of
 * "ro"/"rw" wins, as with mount(8). */
static bool mount_is_readonly(const struct oci_mount *m)
{
	bool ro = false;
	for (size_t i = 0; i < m->options.n; i++) {
		if (streq(m->options.v[i], "ro"))
			ro = true;
		else if (streq(m->options.v[i], "rw"))
			ro = false;
	}
	return ro;
}

static bool mount_is_bind(const struct oci_mount *m)
{
	if (streq(m->type, "bind"))
		return true;
	return strv_contains(&m->options, "bind") || strv_contains(&m->options, "rbind");
}

static bool mount_is_type(const struct oci_mount *m, const char *type)
{
	return streq(m->type, type) || (!m->type && streq(m->source, type));
}

/* Same object (namespace inode) as /proc/1/ns/<name>?  When /proc/1 cannot
 * be inspected (audit as an unprivileged user) our own namespace stands in:
 * a runtime runs in the host's namespaces. */
static bool is_host_namespace(const char *path, const char *nsname)
{
	struct stat st, host;
	char ref[64];

	if (stat(path, &st) < 0)
		return false;
	snprintf(ref, sizeof(ref), "/proc/1/ns/%s", nsname);
	if (stat(ref, &host) < 0) {
		snprintf(ref, sizeof(ref), "/proc/self/ns/%s", nsname);
		if (stat(ref, &host) < 0)
			return false;
	}
	return st.st_dev == host.st_dev && st.st_ino == host.st_ino;
}

static const char *ns_proc_name(enum oci_ns_type t)
{
	switch (t) {
	case OCI_NS_PID: return "pid";
	case OCI_NS_NETWORK: return "net";
	case OCI_NS_MOUNT: return "mnt";
	case OCI_NS_IPC: return "ipc";
	case OCI_NS_UTS: return "uts";
	case OCI_NS_USER: return "user";
	case OCI_NS_CGROUP: return "cgroup";
	case OCI_NS_TIME: return "time";
	default: return "?";
	}
}

static ssize_t namespace_index(const struct oci_config *cfg, enum oci_ns_type t)
{
	if (!cfg->linux_cfg)
		return -1;
	for (size_t i = 0; i < cfg->linux_cfg->n_namespaces; i++)
		if (cfg->linux_cfg->namespaces[i].type == t)
			return i;
	return -1;
}

/* ------------------------------------------------------------ findings */

static struct rp_finding *finding_new(struct rp_verdict *v)
{
	v->findings = rp_xrealloc(v->findings, (v->n_findings + 1) * sizeof(*v->findings));
	struct rp_finding *f = &v->findings[v->n_findings++];
	memset(f, 0, sizeof(*f));
	return f;
}

static void emit_reason(struct eval *e, const char *reason, bool fixable, const char *field,
			const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Record a finding of the current rule.  fixable: the rule's repair makes
 * the config compliant, so enforce mode fixes rather than refuses. */
static void emit_reason(struct eval *e, const char *reason, bool fixable, const char *field,
			const char *fmt, ...)
{
	const struct rule *r = &rules[e->rule];
	struct rp_finding *f = finding_new(e->v);
	va_list ap;

	f->rule_id = r->id;
	f->reason = reason ? reason : r->reason;
	f->field = rp_xstrdup(field);
	f->pss_control = r->pss;
	if (fmt) {
		_cleanup_free_ char *d = NULL;
		va_start(ap, fmt);
		if (vasprintf(&d, fmt, ap) < 0)
			abort();
		va_end(ap);
		f->detail = rp_xasprintf("(%s)", d);
	}

	const char *src = e->policy->from_file ? e->policy->source : RP_POLICY_DEFAULT_PATH;
	if (e->policy->waivable[e->rule])
		f->fix_buf = rp_xasprintf("%s, or waive with annotation %s=%s (%s permits it)", r->fix,
					  RP_POLICY_ANNOTATION, r->id, e->policy->source);
	else
		f->fix_buf = rp_xasprintf("%s, or waive with annotation %s=%s where %s permits", r->fix,
					  RP_POLICY_ANNOTATION, r->id, src);
	f->fix = f->fix_buf;

	if (e->policy->mode[e->rule] == RP_MODE_WARN) {
		f->outcome = RP_FINDING_WARNED;
	} else if (e->waived[e->rule]) {
		f->outcome = RP_FINDING_WAIVED;
	} else if (fixable && r->repair) {
		f->outcome = RP_FINDING_FIXED;
		e->needs_repair[e->rule] = true;
	} else {
		f->outcome = RP_FINDING_REFUSED;
		e->v->refused = true;
	}
}

#define emit(e, fixable, field, ...) emit_reason(e, NULL, fixable, field, __VA_ARGS__)

/* --------------------------------------------------------- user mapping */

/* Find `id` in a list of mappings: the host id, or -1 when unmapped. */
static int64_t map_id(const struct oci_id_mapping *m, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= m[i].container_id && (uint64_t)id - m[i].container_id < m[i].size)
			return (int64_t)m[i].host_id + (id - m[i].container_id);
	return -1;
}

/* Parse /proc/<pid>/uid_map text ("inside outside count" lines). */
static int64_t map_id_text(const char *text, uint32_t id)
{
	unsigned long in, out, count;
	const char *p = text;
	int used;

	while (sscanf(p, " %lu %lu %lu%n", &in, &out, &count, &used) == 3) {
		if (id >= in && id - in < count)
			return (int64_t)(out + (id - in));
		p += used;
	}
	return -1;
}

/* Read the uid_map of the user namespace at `path`.  /proc/<pid>/ns/user
 * (the form Kubernetes pod sandboxes and podman pods use) is answered from
 * /proc/<pid>/uid_map; any other path (a bind-mounted nsfs file) by a child
 * that joins the namespace and reads its own map. */
static char *read_userns_map(const char *path)
{
	char buf[4096];
	int pid, used = 0;
	char *text = NULL;
	size_t len;

	if (sscanf(path, "/proc/%d/ns/user%n", &pid, &used) == 1 && path[used] == '\0') {
		char map[64];
		snprintf(map, sizeof(map), "/proc/%d/uid_map", pid);
		if (rp_read_file(map, &text, &len, 1 << 16, NULL) < 0)
			return NULL;
		return text;
	}

	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	int pipefd[2];
	if (fd < 0 || pipe2(pipefd, O_CLOEXEC) < 0)
		return NULL;
	pid_t child = fork();
	if (child < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return NULL;
	}
	if (child == 0) {
		close(pipefd[0]);
		if (setns(fd, CLONE_NEWUSER) < 0)
			_exit(1);
		int mfd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
		if (mfd < 0)
			_exit(1);
		/* an empty map (nothing mapped yet) is an answer too */
		ssize_t n = read(mfd, buf, sizeof(buf));
		if (n < 0 || rp_write_all(pipefd[1], buf, n) != n)
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	ssize_t n = rp_read_all(pipefd[0], buf, sizeof(buf) - 1);
	close(pipefd[0]);
	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (n < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return NULL;
	buf[n] = '\0';
	return rp_xstrdup(buf);
}

/* ---------------------------------------------------------------- checks */

static void check_root_user(struct eval *e)
{
	const struct oci_process *p = e->cfg->process;
	if (!p)
		return;
	uint32_t uid = p->user.uid;
	ssize_t i = namespace_index(e->cfg, OCI_NS_USER);

	if (i < 0) {
		if (uid == 0)
			emit(e, false, "process.user.uid", "uid 0, no user namespace");
		return;
	}

	const struct oci_namespace *ns = &e->cfg->linux_cfg->namespaces[i];
	if (!ns->path) {
		const struct oci_linux *l = e->cfg->linux_cfg;
		if (map_id(l->uid_mappings, l->n_uid_mappings, uid) == 0)
			emit(e, false, l->n_uid_mappings ? "linux.uidMappings" : "process.user.uid",
			     "uid %u, the user namespace maps it to host uid 0", uid);
		return;
	}

	_cleanup_free_ char *field = rp_xasprintf("linux.namespaces[%zd].path", i);
	if (is_host_namespace(ns->path, "user")) {
		if (uid == 0)
			emit(e, false, field, "uid 0, joins the host's user namespace");
		return;
	}
	_cleanup_free_ char *map = read_userns_map(ns->path);
	if (!map) {
		emit(e, false, field, "uid %u, the mapping of user namespace %s cannot be read", uid, ns->path);
		return;
	}
	if (map_id_text(map, uid) == 0)
		emit(e, false, field, "uid %u, user namespace %s maps it to host uid 0", uid, ns->path);
}

/* Every capability Linux 4.3 knows (CAP_CHOWN .. CAP_AUDIT_READ): engines
 * write out the whole list for --privileged, at least these. */
#define FULL_CAPS ((UINT64_C(1) << (CAP_AUDIT_READ + 1)) - 1)

static bool unconfined_seccomp(const struct oci_seccomp *s)
{
	return !s || s->default_action == OCI_SECCOMP_ALLOW || s->default_action == OCI_SECCOMP_LOG;
}

static bool device_allow_all(const struct oci_config *cfg, size_t *index);

static void check_privileged(struct eval *e)
{
	const struct oci_config *c = e->cfg;
	const struct oci_linux *l = c->linux_cfg;
	const struct oci_capabilities *caps = c->process ? c->process->capabilities : NULL;
	const char *set;

	if (!caps)
		return;
	if ((caps->bounding.mask & FULL_CAPS) == FULL_CAPS)
		set = "bounding";
	else if ((caps->effective.mask & FULL_CAPS) == FULL_CAPS)
		set = "effective";
	else
		return;

	if (l && l->masked_paths.n > 0)
		return;

	const char *writable = NULL;
	for (size_t i = 0; i < c->n_mounts && !writable; i++) {
		const struct oci_mount *m = &c->mounts[i];
		if (mount_is_readonly(m))
			continue;
		if (mount_is_type(m, "sysfs"))
			writable = "/sys";
		else if (mount_is_type(m, "cgroup") || mount_is_type(m, "cgroup2"))
			writable = "cgroupfs";
	}
	if (!writable)
		return;

	size_t dev;
	bool seccomp = unconfined_seccomp(l ? l->seccomp : NULL);
	bool devices = device_allow_all(c, &dev);
	if (!seccomp && !devices)
		return;

	_cleanup_free_ char *field = rp_xasprintf("process.capabilities.%s", set);
	emit(e, false, field, "all capabilities, no masked paths, writable %s, %s", writable,
	     seccomp && devices ? "no seccomp filter, all devices allowed"
	     : seccomp ? "no seccomp filter" : "all devices allowed");
}

/* Capabilities that give power over the host or the kernel (documented in
 * rampart-policy(5)).  NET_RAW is not here: engines grant it by default and
 * it acts only in the container's network namespace. */
static const int dangerous_caps[] = {
	CAP_SYS_ADMIN, CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_PTRACE, CAP_SYS_BOOT,
	CAP_SYS_TIME, CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_NET_ADMIN, CAP_DAC_READ_SEARCH,
	CAP_BPF, CAP_PERFMON, CAP_SYSLOG, CAP_SYS_RESOURCE, CAP_AUDIT_CONTROL,
	CAP_SYS_PACCT, CAP_CHECKPOINT_RESTORE,
};

static bool cap_is_dangerous(int cap)
{
	for (size_t i = 0; i < ARRAY_SIZE(dangerous_caps); i++)
		if (dangerous_caps[i] == cap)
			return true;
	return false;
}

static void check_capset(struct eval *e, const struct oci_capset *s, const char *name)
{
	for (size_t i = 0; i < s->names.n; i++) {
		const char *capname = s->names.v[i];
		int cap = oci_cap_from_name(capname);
		if (cap < 0 || !cap_is_dangerous(cap))
			continue;
		_cleanup_free_ char *field = rp_xasprintf("process.capabilities.%s[%zu]", name, i);
		emit(e, false, field, "%s", capname);
	}
}

static void check_dangerous_caps(struct eval *e)
{
	const struct oci_capabilities *caps = e->cfg->process ? e->cfg->process->capabilities : NULL;
	if (!caps)
		return;
	check_capset(e, &caps->bounding, "bounding");
	check_capset(e, &caps->effective, "effective");
	check_capset(e, &caps->permitted, "permitted");
	check_capset(e, &caps->inheritable, "inheritable");
	check_capset(e, &caps->ambient, "ambient");
}

static void check_host_namespaces(struct eval *e)
{
	static const enum oci_ns_type shared[] = {
		OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_IPC, OCI_NS_UTS, OCI_NS_MOUNT, OCI_NS_USER,
	};

	for (size_t k = 0; k < ARRAY_SIZE(shared); k++) {
		enum oci_ns_type t = shared[k];
		ssize_t i = namespace_index(e->cfg, t);
		if (i < 0) {
			/* No user namespace is the common case; what matters
			 * there (host root) is root-user's business. */
			if (t != OCI_NS_USER)
				emit(e, false, "linux.namespaces", "%s namespace not listed: shared with the host",
				     oci_ns_name(t));
			continue;
		}
		const char *path = e->cfg->linux_cfg->namespaces[i].path;
		if (path && is_host_namespace(path, ns_proc_name(t))) {
			_cleanup_free_ char *field = rp_xasprintf("linux.namespaces[%zd].path", i);
			emit(e, false, field, "%s namespace %s is the host's", oci_ns_name(t), path);
		}
	}
}

/* Host paths a container must not see.  subtree: anything below counts
 * too; otherwise only the path itself (the engines keep their per-container
 * files below their state directories, and those binds are legitimate).
 * Any ancestor of an entry counts as well: binding /run exposes
 * /run/containerd/containerd.sock. */
static const struct { const char *path; bool subtree; } sensitive_paths[] = {
	{ "/", false },
	{ "/proc", true },
	{ "/sys", true },
	{ "/dev", true },
	{ "/etc", true },
	{ "/boot", true },
	{ "/var/run/docker.sock", false },
	{ "/run/docker.sock", false },
	{ "/run/containerd/containerd.sock", false },
	{ "/var/run/containerd/containerd.sock", false },
	{ "/run/crio/crio.sock", false },
	{ "/var/run/crio/crio.sock", false },
	{ "/run/podman/podman.sock", false },
	{ "/var/run/podman/podman.sock", false },
	{ "/run/rampart", false },
	{ "/run/runc", false },
	{ "/var/lib/kubelet", false },
	{ "/var/lib/docker", false },
	{ "/var/lib/containerd", false },
	{ "/var/lib/containers", false },
};

static const char *sensitive_match(const char *path)
{
	if (path[0] != '/')
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(sensitive_paths); i++) {
		const char *s = sensitive_paths[i].path;
		if (path_within(s, path))
			return s; /* path is s or an ancestor of s */
		if (sensitive_paths[i].subtree && path_within(path, s))
			return s;
	}
	return NULL;
}

static void check_sensitive_mounts(struct eval *e)
{
	for (size_t i = 0; i < e->cfg->n_mounts; i++) {
		const struct oci_mount *m = &e->cfg->mounts[i];
		if (!m->source || !mount_is_bind(m))
			continue;
		_cleanup_free_ char *norm = normalize_path(m->source);
		/* The kernel follows symlinks in the source: /var/run/x is /run/x. */
		_cleanup_free_ char *real = realpath(m->source, NULL);
		const char *hit = sensitive_match(norm);
		if (!hit && real)
			hit = sensitive_match(real);
		if (!hit)
			continue;
		_cleanup_free_ char *field = rp_xasprintf("mounts[%zu].source", i);
		emit(e, false, field, "%s%s%s on %s%s", m->source,
		     real && !streq(real, m->source) ? " -> " : "",
		     real && !streq(real, m->source) ? real : "",
		     m->destination ? m->destination : "?", mount_is_readonly(m) ? ", read-only" : "");
	}
}

/* The device cgroup list, evaluated in order as the kernel does: an allow
 * rule for a whole class (major and minor wildcards) with read or write
 * access counts unless a later deny rule of the same or a wider class takes
 * those accesses back.  *index: the offending entry. */
static bool access_has(const char *access, char c) { return !access || strchr(access, c); }

static bool device_allow_all(const struct oci_config *cfg, size_t *index)
{
	const struct oci_resources *r = cfg->linux_cfg ? cfg->linux_cfg->resources : NULL;
	if (!r)
		return false;
	for (size_t i = r->n_devices; i-- > 0;) {
		const struct oci_device_cgroup *d = &r->devices[i];
		bool wildcard = (!d->major.set || d->major.value < 0) && (!d->minor.set || d->minor.value < 0);
		if (!wildcard || !(access_has(d->access, 'r') || access_has(d->access, 'w')))
			continue;
		char type = d->type ? d->type : 'a';
		if (!d->allow) {
			if (type == 'a' && access_has(d->access, 'r') && access_has(d->access, 'w'))
				return false; /* the last word for all devices is deny */
			continue;
		}
		/* an allow: is it taken back by a later deny of its class? */
		bool revoked = false;
		for (size_t j = i + 1; j < r->n_devices && !revoked; j++) {
			const struct oci_device_cgroup *x = &r->devices[j];
			char xt = x->type ? x->type : 'a';
			bool xwild = (!x->major.set || x->major.value < 0) && (!x->minor.set || x->minor.value < 0);
			revoked = !x->allow && xwild && (xt == 'a' || xt == type) &&
				  (!access_has(d->access, 'r') || access_has(x->access, 'r')) &&
				  (!access_has(d->access, 'w') || access_has(x->access, 'w'));
		}
		if (!revoked) {
			*index = i;
			return true;
		}
	}
	return false;
}

static void check_devices_allow_all(struct eval *e)
{
	size_t i;
	if (!device_allow_all(e->cfg, &i))
		return;
	const struct oci_device_cgroup *d = &e->cfg->linux_cfg->resources->devices[i];
	_cleanup_free_ char *field = rp_xasprintf("linux.resources.devices[%zu]", i);
	emit(e, false, field, "allow %c *:* %s", d->type ? d->type : 'a', d->access ? d->access : "rwm");
}

static bool path_listed(const struct strv *v, const char *path)
{
	for (size_t i = 0; i < v->n; i++) {
		_cleanup_free_ char *n = normalize_path(v->v[i]);
		if (streq(n, path))
			return true;
	}
	return false;
}

static bool proc_sys_protected(const struct oci_linux *l)
{
	return l && (path_listed(&l->readonly_paths, "/proc/sys") || path_listed(&l->masked_paths, "/proc/sys"));
}

static void check_writable_proc_sys(struct eval *e)
{
	const struct oci_config *c = e->cfg;
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct oci_mount *m = &c->mounts[i];
		if (mount_is_readonly(m) || !mount_is_type(m, "sysfs"))
			continue;
		_cleanup_free_ char *field = rp_xasprintf("mounts[%zu].options", i);
		emit_reason(e, "sysfs is mounted writable", false, field, "%s without \"ro\"",
			    m->destination ? m->destination : "?");
	}
	if (!proc_sys_protected(c->linux_cfg))
		emit_reason(e, "/proc/sys is writable", true, "linux.readonlyPaths",
			    "/proc/sys missing%s", e->apply ? ", restored" : ", would restore it");
}

static int repair_proc_sys(struct oci_config *cfg, rp_err_t *err)
{
	struct oci_linux *l = ensure_linux(cfg);
	if (!proc_sys_protected(l))
		strv_append(&l->readonly_paths, "/proc/sys");
	l->readonly_paths_set = true;
	return 0;
}

static void check_seccomp_unconfined(struct eval *e)
{
	const struct oci_seccomp *s = e->cfg->linux_cfg ? e->cfg->linux_cfg->seccomp : NULL;
	if (s && unconfined_seccomp(s))
		emit(e, false, "linux.seccomp.defaultAction", "%s", oci_seccomp_action_name(s->default_action));
}

static void check_seccomp_missing(struct eval *e)
{
	if (!e->cfg->linux_cfg || !e->cfg->linux_cfg->seccomp)
		emit(e, true, "linux.seccomp", "%s",
		     e->apply ? "applied the default profile" : "would apply the default profile");
}

static int repair_seccomp(struct oci_config *cfg, rp_err_t *err)
{
	struct oci_linux *l = ensure_linux(cfg);
	if (l->seccomp)
		return 0;
	l->seccomp = rp_seccomp_default_profile(err);
	if (!l->seccomp)
		return rp_error_prefix(err, "default seccomp profile");
	return 0;
}

static void check_no_new_privs(struct eval *e)
{
	const struct oci_process *p = e->cfg->process;
	if (!p || p->no_new_privileges)
		return;
	if (p->no_new_privileges_set)
		emit_reason(e, "process may gain privileges (noNewPrivileges is false)", false,
			    "process.noNewPrivileges", "setuid and file capabilities take effect");
	else
		emit(e, true, "process.noNewPrivileges", "%s",
		     e->apply ? "absent, set to true" : "absent, would set it to true");
}

static int repair_no_new_privs(struct oci_config *cfg, rp_err_t *err)
{
	if (cfg->process && !cfg->process->no_new_privileges_set) {
		cfg->process->no_new_privileges = true;
		cfg->process->no_new_privileges_set = true;
	}
	return 0;
}

/* The kernel interfaces that leak host information or control: what the
 * engines' defaults hide.  /proc/sys is writable-proc-sys's business. */
static const char *const required_masked[] = {
	"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
};
static const char *const required_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sysrq-trigger",
};

static char *missing_paths(const struct oci_linux *l, const char *const *want, size_t n, bool ro)
{
	char *out = NULL;
	for (size_t i = 0; i < n; i++) {
		if (l && path_listed(&l->masked_paths, want[i]))
			continue;
		if (l && ro && path_listed(&l->readonly_paths, want[i]))
			continue;
		char *next = out ? rp_xasprintf("%s, %s", out, want[i]) : rp_xstrdup(want[i]);
		free(out);
		out = next;
	}
	return out;
}

static void check_masked_paths(struct eval *e)
{
	const struct oci_linux *l = e->cfg->linux_cfg;
	const char *action = e->apply ? "restored" : "would restore them";
	_cleanup_free_ char *masked = missing_paths(l, required_masked, ARRAY_SIZE(required_masked), false);
	_cleanup_free_ char *ro = missing_paths(l, required_readonly, ARRAY_SIZE(required_readonly), true);

	if (masked)
		emit(e, true, "linux.maskedPaths", "missing %s; %s", masked, action);
	if (ro)
		emit_reason(e, "readonly paths removed", true, "linux.readonlyPaths", "missing %s; %s", ro, action);
}

static int repair_masked_paths(struct oci_config *cfg, rp_err_t *err)
{
	struct oci_linux *l = ensure_linux(cfg);
	for (size_t i = 0; i < ARRAY_SIZE(required_masked); i++)
		if (!path_listed(&l->masked_paths, required_masked[i]))
			strv_append(&l->masked_paths, required_masked[i]);
	for (size_t i = 0; i < ARRAY_SIZE(required_readonly); i++)
		if (!path_listed(&l->masked_paths, required_readonly[i]) &&
		    !path_listed(&l->readonly_paths, required_readonly[i]))
			strv_append(&l->readonly_paths, required_readonly[i]);
	l->masked_paths_set = l->readonly_paths_set = true;
	return 0;
}

/* ------------------------------------------------------------- the table */

static const struct rule rules[N_RULES] = {
	[R_PRIVILEGED] = {
		"privileged", "container is privileged",
		"drop the --privileged pattern: keep the default capabilities, masked paths, a read-only /sys and a seccomp profile",
		"Privileged Containers", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_privileged, NULL },
	[R_ROOT_USER] = {
		"root-user", "process runs as host root",
		"run as a non-root user, map root with a user namespace (podman --userns=auto)",
		"Running as Non-root", true, RP_MODE_ENFORCE, RP_MODE_OFF, check_root_user, NULL },
	[R_HOST_NAMESPACES] = {
		"host-namespaces", "container shares a host namespace",
		"list the namespace in linux.namespaces without a path, or join another container's namespace instead of the host's",
		"Host Namespaces", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_host_namespaces, NULL },
	[R_DANGEROUS_CAPS] = {
		"dangerous-capabilities", "process holds a dangerous capability",
		"remove the capability from every set of process.capabilities (podman --cap-drop)",
		"Capabilities", true, RP_MODE_ENFORCE, RP_MODE_OFF, check_dangerous_caps, NULL },
	[R_SENSITIVE_MOUNTS] = {
		"sensitive-mounts", "a sensitive host path is bind-mounted",
		"do not bind-mount host system paths or runtime sockets; use a volume",
		"HostPath Volumes", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_sensitive_mounts, NULL },
	[R_DEVICES_ALLOW_ALL] = {
		"devices-allow-all", "every device is accessible",
		"allow only the devices the container needs in linux.resources.devices (podman --device)",
		"Privileged Containers", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_devices_allow_all, NULL },
	[R_WRITABLE_PROC_SYS] = {
		"writable-proc-sys", "kernel settings are writable",
		"mount sysfs with \"ro\" and keep /proc/sys in linux.readonlyPaths",
		"Privileged Containers", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_writable_proc_sys,
		repair_proc_sys },
	[R_SECCOMP_UNCONFINED] = {
		"seccomp-unconfined", "seccomp profile allows every syscall by default",
		"use a profile whose defaultAction denies (SCMP_ACT_ERRNO), or omit linux.seccomp to get rampart's default",
		"Seccomp", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_seccomp_unconfined, NULL },
	[R_NO_NEW_PRIVS] = {
		"no-new-privileges", "process may gain privileges",
		"set process.noNewPrivileges to true (podman --security-opt no-new-privileges)",
		"Privilege Escalation", true, RP_MODE_ENFORCE, RP_MODE_OFF, check_no_new_privs,
		repair_no_new_privs },
	[R_SECCOMP_MISSING] = {
		"seccomp-missing", "no seccomp profile",
		"give linux.seccomp a default-deny profile, or let rampart apply its default",
		"Seccomp", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_seccomp_missing, repair_seccomp },
	[R_MASKED_PATHS] = {
		"masked-paths-removed", "masked paths removed",
		"keep the kernel's sensitive paths in linux.maskedPaths and linux.readonlyPaths",
		"/proc Mount Type", false, RP_MODE_ENFORCE, RP_MODE_OFF, check_masked_paths,
		repair_masked_paths },
};

static int rule_find(const char *id)
{
	for (int i = 0; i < N_RULES; i++)
		if (streq(rules[i].id, id))
			return i;
	return -1;
}

static char *rule_list(void)
{
	char *out = NULL;
	for (int i = 0; i < N_RULES; i++) {
		char *next = out ? rp_xasprintf("%s, %s", out, rules[i].id) : rp_xstrdup(rules[i].id);
		free(out);
		out = next;
	}
	return out;
}

/* --------------------------------------------------------- policy files */

static bool preset_apply(struct rp_policy *p, const char *name)
{
	bool hardened = streq(name, "hardened");
	if (!hardened && !streq(name, "compat"))
		return false;
	for (int i = 0; i < N_RULES; i++) {
		p->mode[i] = hardened ? rules[i].hardened : rules[i].compat;
		p->waivable[i] = false;
	}
	return true;
}

static int parse_mode(const json_value *v, enum rp_rule_mode *out)
{
	const char *s = json_string(v);
	if (streq(s, "enforce"))
		*out = RP_MODE_ENFORCE;
	else if (streq(s, "warn"))
		*out = RP_MODE_WARN;
	else if (streq(s, "off"))
		*out = RP_MODE_OFF;
	else
		return -1;
	return 0;
}

static int policy_error(rp_err_t *err, const char *path, const char *field, const char *fmt,
			const json_value *got) __attribute__((format(printf, 4, 0)));

static int policy_error(rp_err_t *err, const char *path, const char *field, const char *fmt,
			const json_value *got)
{
	char desc[128] = "";
	if (got)
		json_describe(got, desc, sizeof(desc));
	return rp_error(err, 0, "%s: %s: %s%s%s", path, field, fmt, got ? ", got " : "", desc);
}

static int parse_rule(struct rp_policy *p, const char *path, const char *id, const json_value *obj,
		      rp_err_t *err)
{
	int r = rule_find(id);
	if (r < 0) {
		_cleanup_free_ char *known = rule_list();
		_cleanup_free_ char *f = rp_xasprintf("rules.%s", id);
		return rp_error(err, 0, "%s: %s: unknown rule (known: %s)", path, f, known);
	}
	if (json_typeof(obj) != JSON_OBJECT) {
		_cleanup_free_ char *f = rp_xasprintf("rules.%s", id);
		return policy_error(err, path, f, "expected an object", obj);
	}
	for (size_t i = 0; i < json_object_len(obj); i++) {
		const char *key = json_object_key(obj, i);
		const json_value *val = json_object_value(obj, i);
		_cleanup_free_ char *f = rp_xasprintf("rules.%s.%s", id, key);
		if (streq(key, "mode")) {
			if (parse_mode(val, &p->mode[r]) < 0)
				return policy_error(err, path, f, "expected \"enforce\", \"warn\" or \"off\"", val);
		} else if (streq(key, "waivable")) {
			if (json_typeof(val) != JSON_BOOL)
				return policy_error(err, path, f, "expected true or false", val);
			p->waivable[r] = json_bool(val);
		} else {
			return rp_error(err, 0, "%s: %s: unknown key (expected \"mode\" or \"waivable\")", path, f);
		}
	}
	return 0;
}

static int policy_parse(struct rp_policy *p, const char *path, const json_value *doc, rp_err_t *err)
{
	if (json_typeof(doc) != JSON_OBJECT)
		return rp_error(err, 0, "%s: expected a JSON object", path);

	const json_value *version = json_object_get(doc, "version");
	int64_t ver;
	if (!version)
		return rp_error(err, 0, "%s: version: missing (this rampart reads version 1)", path);
	if (!json_to_i64(version, &ver) || ver != 1)
		return policy_error(err, path, "version", "expected 1", version);

	/* The preset first, whatever the key order: rules override it. */
	const json_value *preset = json_object_get(doc, "preset");
	const char *base = "hardened";
	if (preset) {
		base = json_string(preset);
		if (!base || (!streq(base, "hardened") && !streq(base, "compat")))
			return policy_error(err, path, "preset", "expected \"hardened\" or \"compat\"", preset);
	}
	preset_apply(p, base);

	for (size_t i = 0; i < json_object_len(doc); i++) {
		const char *key = json_object_key(doc, i);
		const json_value *val = json_object_value(doc, i);
		if (streq(key, "version") || streq(key, "preset") || streq(key, "description"))
			continue;
		if (!streq(key, "rules"))
			return rp_error(err, 0, "%s: %s: unknown key (expected \"version\", \"preset\", \"rules\" or \"description\")",
					path, key);
		if (json_typeof(val) != JSON_OBJECT)
			return policy_error(err, path, "rules", "expected an object", val);
		for (size_t j = 0; j < json_object_len(val); j++)
			if (parse_rule(p, path, json_object_key(val, j), json_object_value(val, j), err) < 0)
				return -1;
	}
	return 0;
}

int rp_policy_load(const char *name, struct rp_policy **out, rp_err_t *err)
{
	struct rp_policy *p;
	struct stat st;

	if (!name || !*name) {
		name = getenv("RAMPART_POLICY");
		if (!name || !*name) {
			/* An unreadable operator policy is an error, never a
			 * silent fall back to the preset. */
			if (stat(RP_POLICY_DEFAULT_PATH, &st) < 0 && errno == ENOENT)
				name = "hardened";
			else
				name = RP_POLICY_DEFAULT_PATH;
		}
	}

	p = rp_xcalloc(1, sizeof(*p));
	p->source = rp_xstrdup(name);
	if (!strchr(name, '/') && preset_apply(p, name)) {
		*out = p;
		return 0;
	}

	p->from_file = true;
	rp_err_t jerr = NULL;
	json_value *doc = json_parse_file(name, &jerr);
	if (!doc) {
		int e = rp_error_errno(jerr);
		if (e == ENOENT && !strchr(name, '/'))
			rp_error(err, 0, "policy '%s': not a preset (hardened, compat) and no such file", name);
		else
			rp_error(err, 0, "policy %s: %s", name, jerr ? jerr->msg : "cannot read");
		rp_error_free(&jerr);
		rp_policy_free(p);
		return -1;
	}
	int r = policy_parse(p, name, doc, err);
	json_free(doc);
	if (r < 0) {
		rp_policy_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

void rp_policy_free(struct rp_policy *p)
{
	if (!p)
		return;
	free(p->source);
	free(p);
}

const char *rp_policy_source(const struct rp_policy *p) { return p->source; }

/* ------------------------------------------------------------ evaluation */

/* A refusal of the annotation itself; detail and fix are owned. */
static void waiver_finding(struct eval *e, char *detail, char *fix)
{
	struct rp_finding *f = finding_new(e->v);

	f->rule_id = WAIVER_RULE_ID;
	f->reason = "waiver not permitted";
	f->field = rp_xasprintf("annotations.%s", RP_POLICY_ANNOTATION);
	f->detail = detail;
	f->fix = f->fix_buf = fix;
	f->outcome = RP_FINDING_REFUSED;
	e->v->refused = true;
}

/* rampart.allow="rule, rule": mark permitted waivers; a waiver the policy
 * does not permit for an enforced rule, or of an unknown rule, is a refusal
 * of its own.  A waiver of a rule that is off or in warn mode is moot. */
static void parse_waivers(struct eval *e)
{
	const char *ann = str_map_get(&e->cfg->annotations, RP_POLICY_ANNOTATION);
	if (!ann)
		return;
	_cleanup_free_ char *copy = rp_xstrdup(ann);
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*tok))
			tok++;
		char *end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!*tok)
			continue;
		int r = rule_find(tok);
		if (r < 0) {
			waiver_finding(e,
				       rp_xasprintf("(annotation %s names '%s', which is not a rule)", RP_POLICY_ANNOTATION, tok),
				       rp_xasprintf("remove '%s' from annotation %s; rampart-policy(5) lists the rules", tok,
						    RP_POLICY_ANNOTATION));
			continue;
		}
		if (e->policy->mode[r] != RP_MODE_ENFORCE) {
			rp_debug("policy: waiver of '%s' is moot: the rule is not enforced", tok);
			continue;
		}
		if (!e->policy->waivable[r]) {
			const char *src = e->policy->from_file ? e->policy->source : RP_POLICY_DEFAULT_PATH;
			_cleanup_free_ char *who = e->policy->from_file ? rp_xstrdup(e->policy->source)
				: rp_xasprintf("the %s preset", e->policy->source);
			waiver_finding(e,
				       rp_xasprintf("(annotation %s waives '%s' but %s does not permit waiving it)",
						    RP_POLICY_ANNOTATION, tok, who),
				       rp_xasprintf("remove '%s' from annotation %s, or grant it in %s: "
						    "\"rules\": {\"%s\": {\"waivable\": true}}",
						    tok, RP_POLICY_ANNOTATION, src, tok));
			continue;
		}
		e->waived[r] = true;
	}
}

int rp_policy_evaluate(const struct rp_policy *p, struct oci_config *cfg, enum rp_policy_subject subject,
		       bool apply, struct rp_verdict *v, rp_err_t *err)
{
	struct eval e = { .policy = p, .cfg = cfg, .v = v, .apply = apply };

	memset(v, 0, sizeof(*v));
	v->policy_source = rp_xstrdup(p->source);
	parse_waivers(&e);
	for (int i = 0; i < N_RULES; i++) {
		if (p->mode[i] == RP_MODE_OFF)
			continue;
		if (subject == RP_POLICY_EXEC && !rules[i].process_rule)
			continue;
		e.rule = i;
		rules[i].check(&e);
	}
	if (!apply)
		return 0;
	for (int i = 0; i < N_RULES; i++) {
		if (e.needs_repair[i] && rules[i].repair(cfg, err) < 0)
			return rp_error_prefix(err, "policy rule %s", rules[i].id);
	}
	return 0;
}

void rp_verdict_clear(struct rp_verdict *v)
{
	for (size_t i = 0; i < v->n_findings; i++) {
		free(v->findings[i].detail);
		free(v->findings[i].field);
		free(v->findings[i].fix_buf);
	}
	free(v->findings);
	free(v->policy_source);
	memset(v, 0, sizeof(*v));
}

char *rp_verdict_refusal_line(const struct rp_verdict *v, const char *id)
{
	const struct rp_finding *first = NULL;
	_cleanup_free_ char *more = NULL;
	size_t n_more = 0;

	for (size_t i = 0; i < v->n_findings; i++) {
		const struct rp_finding *f = &v->findings[i];
		if (f->outcome != RP_FINDING_REFUSED)
			continue;
		if (!first) {
			first = f;
			continue;
		}
		/* each further rule once */
		bool seen = streq(f->rule_id, first->rule_id);
		for (size_t j = 0; j < i && !seen; j++)
			seen = v->findings[j].outcome == RP_FINDING_REFUSED && streq(v->findings[j].rule_id, f->rule_id);
		if (seen)
			continue;
		char *next = more ? rp_xasprintf("%s, %s", more, f->rule_id) : rp_xstrdup(f->rule_id);
		free(more);
		more = next;
		n_more++;
	}
	if (!first)
		return NULL;
	_cleanup_free_ char *tail = n_more ? rp_xasprintf(" (+%zu more: %s)", n_more, more) : rp_xstrdup("");
	return rp_xasprintf("refusing '%s': %s%s%s [%s]%s; %s", id, first->reason, first->detail ? " " : "",
			    first->detail ? first->detail : "", first->rule_id, tail, first->fix);
}

void rp_verdict_log(const struct rp_verdict *v, const char *id)
{
	for (size_t i = 0; i < v->n_findings; i++) {
		const struct rp_finding *f = &v->findings[i];
		const char *d = f->detail ? f->detail : "";
		switch (f->outcome) {
		case RP_FINDING_WARNED:
			rp_warn("policy: container '%s': %s %s at %s [%s] (warn mode: allowed)", id, f->reason, d,
				f->field, f->rule_id);
			break;
		case RP_FINDING_WAIVED:
			rp_warn("policy: container '%s': waiver used: %s %s at %s [%s] (annotation %s, policy %s)", id,
				f->reason, d, f->field, f->rule_id, RP_POLICY_ANNOTATION,
				v->policy_source ? v->policy_source : "?");
			break;
		case RP_FINDING_FIXED:
			rp_info("policy: container '%s': %s %s at %s [%s]", id, f->reason, d, f->field, f->rule_id);
			break;
		case RP_FINDING_REFUSED:
			break;
		}
	}
}

/* --------------------------------------------------------------- output */

static const char *outcome_name(enum rp_finding_outcome o)
{
	switch (o) {
	case RP_FINDING_REFUSED: return "refused";
	case RP_FINDING_WARNED: return "warned";
	case RP_FINDING_WAIVED: return "waived";
	case RP_FINDING_FIXED: return "fixed";
	}
	return "?";
}

static const char *sarif_level(enum rp_finding_outcome o)
{
	switch (o) {
	case RP_FINDING_REFUSED: return "error";
	case RP_FINDING_WARNED: return "warning";
	default: return "note";
	}
}

static void print_text(FILE *out, const struct rp_verdict *v, const char *id)
{
	size_t count[4] = { 0 };
	for (size_t i = 0; i < v->n_findings; i++) {
		const struct rp_finding *f = &v->findings[i];
		count[f->outcome]++;
		fprintf(out, "%-8s %s: %s%s%s [%s]\n", outcome_name(f->outcome), f->field, f->reason,
			f->detail ? " " : "", f->detail ? f->detail : "", f->rule_id);
		if (f->outcome != RP_FINDING_FIXED)
			fprintf(out, "         fix: %s\n", f->fix);
	}
	fprintf(out, "%s '%s' (policy %s): %zu refused, %zu warned, %zu waived, %zu fixed\n",
		v->refused ? "refused" : "allowed", id, v->policy_source ? v->policy_source : "?",
		count[RP_FINDING_REFUSED], count[RP_FINDING_WARNED], count[RP_FINDING_WAIVED],
		count[RP_FINDING_FIXED]);
	if (v->refused) {
		_cleanup_free_ char *line = rp_verdict_refusal_line(v, id);
		fprintf(out, "%s\n", line);
	}
}

static void write_json(json_writer *w, const struct rp_verdict *v, const char *id)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "id", id);
	json_w_kv_string(w, "policy", v->policy_source);
	json_w_kv_string(w, "verdict", v->refused ? "refused" : "allowed");
	json_w_key(w, "findings");
	json_w_array_begin(w);
	for (size_t i = 0; i < v->n_findings; i++) {
		const struct rp_finding *f = &v->findings[i];
		json_w_object_begin(w);
		json_w_kv_string(w, "rule", f->rule_id);
		json_w_kv_string(w, "outcome", outcome_name(f->outcome));
		json_w_kv_string(w, "field", f->field);
		json_w_kv_string(w, "reason", f->reason);
		json_w_kv_string(w, "detail", f->detail);
		json_w_kv_string(w, "fix", f->fix);
		json_w_kv_string(w, "pss", f->pss_control);
		json_w_object_end(w);
	}
	json_w_array_end(w);
	json_w_object_end(w);
}

static void sarif_rule(json_writer *w, const char *id, const char *text, const char *help, const char *pss)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "id", id);
	json_w_key(w, "shortDescription");
	json_w_object_begin(w);
	json_w_kv_string(w, "text", text);
	json_w_object_end(w);
	json_w_key(w, "help");
	json_w_object_begin(w);
	json_w_kv_string(w, "text", help);
	json_w_object_end(w);
	json_w_key(w, "properties");
	json_w_object_begin(w);
	json_w_kv_string(w, "pss", pss);
	json_w_object_end(w);
	json_w_object_end(w);
}

static void write_sarif(json_writer *w, const struct rp_verdict *v, const char *input_path)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "version", "2.1.0");
	json_w_kv_string(w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	json_w_key(w, "runs");
	json_w_array_begin(w);
	json_w_object_begin(w);

	json_w_key(w, "tool");
	json_w_object_begin(w);
	json_w_key(w, "driver");
	json_w_object_begin(w);
	json_w_kv_string(w, "name", "rampart");
	json_w_kv_string(w, "version", PACKAGE_VERSION);
	json_w_key(w, "rules");
	json_w_array_begin(w);
	for (int i = 0; i < N_RULES; i++)
		sarif_rule(w, rules[i].id, rules[i].reason, rules[i].fix, rules[i].pss);
	sarif_rule(w, WAIVER_RULE_ID, "waiver not permitted",
		   "remove the rule from annotation " RP_POLICY_ANNOTATION " or mark it waivable in the policy", NULL);
	json_w_array_end(w);
	json_w_object_end(w);
	json_w_object_end(w);

	json_w_key(w, "results");
	json_w_array_begin(w);
	for (size_t i = 0; i < v->n_findings; i++) {
		const struct rp_finding *f = &v->findings[i];
		_cleanup_free_ char *msg = rp_xasprintf("%s%s%s [%s: %s]", f->reason, f->detail ? " " : "",
							f->detail ? f->detail : "", outcome_name(f->outcome),
							f->outcome == RP_FINDING_FIXED ? "applied by the runtime" : f->fix);
		json_w_object_begin(w);
		json_w_kv_string(w, "ruleId", f->rule_id);
		json_w_kv_string(w, "level", sarif_level(f->outcome));
		json_w_key(w, "message");
		json_w_object_begin(w);
		json_w_kv_string(w, "text", msg);
		json_w_object_end(w);
		json_w_key(w, "locations");
		json_w_array_begin(w);
		json_w_object_begin(w);
		json_w_key(w, "physicalLocation");
		json_w_object_begin(w);
		json_w_key(w, "artifactLocation");
		json_w_object_begin(w);
		json_w_kv_string(w, "uri", input_path ? input_path : "config.json");
		json_w_object_end(w);
		json_w_object_end(w);
		json_w_key(w, "logicalLocations");
		json_w_array_begin(w);
		json_w_object_begin(w);
		json_w_kv_string(w, "fullyQualifiedName", f->field);
		json_w_kv_string(w, "kind", "member");
		json_w_object_end(w);
		json_w_array_end(w);
		json_w_object_end(w);
		json_w_array_end(w);
		json_w_key(w, "properties");
		json_w_object_begin(w);
		json_w_kv_string(w, "outcome", outcome_name(f->outcome));
		json_w_object_end(w);
		json_w_object_end(w);
	}
	json_w_array_end(w);

	json_w_object_end(w);
	json_w_array_end(w);
	json_w_object_end(w);
}

int rp_verdict_print(FILE *out, const struct rp_verdict *v, const char *format, const char *id,
		     const char *input_path, rp_err_t *err)
{
	if (!format || streq(format, "text")) {
		print_text(out, v, id);
		return 0;
	}
	bool sarif = streq(format, "sarif");
	if (!sarif && !streq(format, "json"))
		return rp_error(err, 0, "--format: expected text, json or sarif, got '%s'", format);

	json_writer *w = json_writer_new(true);
	if (sarif)
		write_sarif(w, v, input_path);
	else
		write_json(w, v, id);
	size_t len;
	const char *buf = json_writer_buf(w, &len);
	if (!buf) {
		json_writer_free(w);
		return rp_error(err, 0, "%s output: cannot encode (invalid UTF-8 in the config?)", format);
	}
	fwrite(buf, 1, len, out);
	fputc('\n', out);
	json_writer_free(w);
	return 0;
}
