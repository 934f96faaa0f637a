/* rampart: config.json -> struct oci_config (see oci-config.h).
 *
 * One parse function per spec object.  Each takes the JSON value and its
 * path (a chain of struct jpath on the stack, rendered only when an error
 * is reported), and stores what it allocates in the output struct right
 * away: on failure the caller frees the whole partial model with the
 * matching *_free function, so no parse function needs its own unwinding.
 *
 * JSON null is treated like an absent field, because that is what the Go
 * encoders that write most config.json files mean by it. */
#include "config-host.h"
#include "oci-config.h"

#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "utils.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ------------------------------------------------------ paths, errors */

struct jpath {
	const struct jpath *up;
	const char *key;   /* NULL for an array index */
	size_t idx;
};
#define AT(parent, k) (&(const struct jpath){ (parent), (k), 0 })
#define AT_IDX(parent, i) (&(const struct jpath){ (parent), NULL, (i) })

static void path_render(const struct jpath *p, char *buf, size_t len, size_t *pos)
{
	if (!p)
		return;
	path_render(p->up, buf, len, pos);
	if (*pos >= len)
		return;
	int n;
	if (p->key)
		n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "." : "", p->key);
	else
		n = snprintf(buf + *pos, len - *pos, "[%zu]", p->idx);
	if (n > 0)
		*pos += (size_t)n;
}

static int perr(rp_err_t *err, const struct jpath *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(rp_err_t *err, const struct jpath *p, const char *fmt, ...)
{
	char path[512];
	size_t pos = 0;
	va_list ap;
	_cleanup_free_ char *msg = NULL;

	path[0] = '\0';
	path_render(p, path, sizeof(path), &pos);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		abort();
	/* messages echo values from the document; keep a hostile one short */
	if (strlen(msg) > 400)
		strcpy(msg + 396, "...");
	if (path[0])
		return rp_error(err, 0, "%s: %s", path, msg);
	return rp_error(err, 0, "%s", msg);
}

static int type_err(rp_err_t *err, const struct jpath *p, const char *want, const json_value *v)
{
	char got[80];

	json_describe(v, got, sizeof(got));
	return perr(err, p, "expected %s, got %s", want, got);
}

static int missing(rp_err_t *err, const struct jpath *p, const char *key)
{
	return perr(err, AT(p, key), "required field missing");
}

/* A field's value; NULL when absent or null. */
static const json_value *field(const json_value *obj, const char *key)
{
	const json_value *v = json_object_get(obj, key);

	return json_typeof(v) == JSON_NULL ? NULL : v;
}

/* -------------------------------------------------- name <-> value tables */

struct name_val { const char *name; int value; };

static bool lookup(const struct name_val *t, size_t n, const char *name, int *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name) == 0) {
			*out = t[i].value;
			return true;
		}
	}
	return false;
}

static const char *rlookup(const struct name_val *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

static const char *const cap_names[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

int oci_cap_from_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (strcmp(cap_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *oci_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= ARRAY_SIZE(cap_names))
		return NULL;
	return cap_names[cap];
}

static const struct name_val ns_types[] = {
	{ "pid", OCI_NS_PID }, { "network", OCI_NS_NETWORK }, { "mount", OCI_NS_MOUNT },
	{ "ipc", OCI_NS_IPC }, { "uts", OCI_NS_UTS }, { "user", OCI_NS_USER },
	{ "cgroup", OCI_NS_CGROUP }, { "time", OCI_NS_TIME },
};

const char *oci_ns_name(enum oci_ns_type t)
{
	return rlookup(ns_types, ARRAY_SIZE(ns_types), (int)t);
}

int oci_ns_clone_flag(enum oci_ns_type t)
{
	switch (t) {
	case OCI_NS_PID: return CLONE_NEWPID;
	case OCI_NS_NETWORK: return CLONE_NEWNET;
	case OCI_NS_MOUNT: return CLONE_NEWNS;
	case OCI_NS_IPC: return CLONE_NEWIPC;
	case OCI_NS_UTS: return CLONE_NEWUTS;
	case OCI_NS_USER: return CLONE_NEWUSER;
	case OCI_NS_CGROUP: return CLONE_NEWCGROUP;
	case OCI_NS_TIME: return CLONE_NEWTIME;
	default: return 0;
	}
}

static const struct name_val seccomp_actions[] = {
	{ "SCMP_ACT_KILL", OCI_SECCOMP_KILL },
	{ "SCMP_ACT_KILL_PROCESS", OCI_SECCOMP_KILL_PROCESS },
	{ "SCMP_ACT_KILL_THREAD", OCI_SECCOMP_KILL_THREAD },
	{ "SCMP_ACT_TRAP", OCI_SECCOMP_TRAP },
	{ "SCMP_ACT_ERRNO", OCI_SECCOMP_ERRNO },
	{ "SCMP_ACT_TRACE", OCI_SECCOMP_TRACE },
	{ "SCMP_ACT_ALLOW", OCI_SECCOMP_ALLOW },
	{ "SCMP_ACT_LOG", OCI_SECCOMP_LOG },
	{ "SCMP_ACT_NOTIFY", OCI_SECCOMP_NOTIFY },
};

const char *oci_seccomp_action_name(enum oci_seccomp_action a)
{
	return rlookup(seccomp_actions, ARRAY_SIZE(seccomp_actions), (int)a);
}

static const struct name_val seccomp_ops[] = {
	{ "SCMP_CMP_NE", OCI_SECCOMP_OP_NE }, { "SCMP_CMP_LT", OCI_SECCOMP_OP_LT },
	{ "SCMP_CMP_LE", OCI_SECCOMP_OP_LE }, { "SCMP_CMP_EQ", OCI_SECCOMP_OP_EQ },
	{ "SCMP_CMP_GE", OCI_SECCOMP_OP_GE }, { "SCMP_CMP_GT", OCI_SECCOMP_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", OCI_SECCOMP_OP_MASKED_EQ },
};

static const char *const seccomp_archs[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
};

static const char *const seccomp_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

static const struct name_val rlimit_types[] = {
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_STACK", RLIMIT_STACK },
	{ "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

/* Values from the kernel's uapi (sched.h / ioprio.h / mempolicy.h); spelled
 * out because the installed headers do not all carry the newest ones. */
static const struct name_val sched_policies[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },
	{ "SCHED_BATCH", 3 }, { "SCHED_ISO", 4 }, { "SCHED_IDLE", 5 },
	{ "SCHED_DEADLINE", 6 },
};

static const struct name_val sched_flags[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 }, { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 }, { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

static const struct name_val ioprio_classes[] = {
	{ "IOPRIO_CLASS_RT", 1 }, { "IOPRIO_CLASS_BE", 2 }, { "IOPRIO_CLASS_IDLE", 3 },
};

enum { RP_MPOL_DEFAULT = 0, RP_MPOL_PREFERRED = 1, RP_MPOL_BIND = 2, RP_MPOL_INTERLEAVE = 3,
       RP_MPOL_LOCAL = 4, RP_MPOL_PREFERRED_MANY = 5, RP_MPOL_WEIGHTED_INTERLEAVE = 6 };

static const struct name_val mpol_modes[] = {
	{ "MPOL_DEFAULT", RP_MPOL_DEFAULT }, { "MPOL_PREFERRED", RP_MPOL_PREFERRED },
	{ "MPOL_BIND", RP_MPOL_BIND }, { "MPOL_INTERLEAVE", RP_MPOL_INTERLEAVE },
	{ "MPOL_LOCAL", RP_MPOL_LOCAL }, { "MPOL_PREFERRED_MANY", RP_MPOL_PREFERRED_MANY },
	{ "MPOL_WEIGHTED_INTERLEAVE", RP_MPOL_WEIGHTED_INTERLEAVE },
};

static const struct name_val mpol_flags[] = {
	{ "MPOL_F_NUMA_BALANCING", 1 << 13 }, { "MPOL_F_RELATIVE_NODES", 1 << 14 },
	{ "MPOL_F_STATIC_NODES", 1 << 15 },
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* ------------------------------------------------ scalar conversions */

static int expect_object(const json_value *v, const struct jpath *p, rp_err_t *err)
{
	return json_typeof(v) == JSON_OBJECT ? 0 : type_err(err, p, "an object", v);
}

static int expect_array(const json_value *v, const struct jpath *p, rp_err_t *err)
{
	return json_typeof(v) == JSON_ARRAY ? 0 : type_err(err, p, "an array", v);
}

static int to_string(const json_value *v, const struct jpath *p, char **out, rp_err_t *err)
{
	const char *s = json_string(v);

	if (!s)
		return type_err(err, p, "a string", v);
	free(*out);
	*out = rp_xstrdup(s);
	return 0;
}

static int to_bool(const json_value *v, const struct jpath *p, bool *out, rp_err_t *err)
{
	if (json_typeof(v) != JSON_BOOL)
		return type_err(err, p, "a boolean", v);
	*out = json_bool(v);
	return 0;
}

static int to_i64(const json_value *v, const struct jpath *p, int64_t min, int64_t max,
		  int64_t *out, rp_err_t *err)
{
	int64_t n;

	if (!json_to_i64(v, &n))
		return type_err(err, p, "an integer", v);
	if (n < min || n > max)
		return perr(err, p, "%" PRId64 " is out of range (%" PRId64 "..%" PRId64 ")", n, min, max);
	*out = n;
	return 0;
}

static int to_u64(const json_value *v, const struct jpath *p, uint64_t max, uint64_t *out, rp_err_t *err)
{
	uint64_t n;

	if (!json_to_u64(v, &n))
		return type_err(err, p, "a non-negative integer", v);
	if (n > max)
		return perr(err, p, "%" PRIu64 " is out of range (0..%" PRIu64 ")", n, max);
	*out = n;
	return 0;
}

static int to_u32(const json_value *v, const struct jpath *p, uint32_t max, uint32_t *out, rp_err_t *err)
{
	uint64_t n;

	if (to_u64(v, p, max, &n, err) < 0)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

static int to_strv(const json_value *v, const struct jpath *p, struct strv *out, rp_err_t *err)
{
	size_t n = json_array_len(v);

	if (expect_array(v, p, err) < 0)
		return -1;
	out->v = rp_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (to_string(json_array_get(v, i), AT_IDX(p, i), &out->v[i], err) < 0)
			return -1;
		out->n = i + 1;
	}
	return 0;
}

static int to_str_map(const json_value *v, const struct jpath *p, struct str_map *out, rp_err_t *err)
{
	size_t n = json_object_len(v);

	if (expect_object(v, p, err) < 0)
		return -1;
	out->keys = rp_xcalloc(n + 1, sizeof(char *));
	out->values = rp_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *key = json_object_key(v, i);
		if (to_string(json_object_value(v, i), AT(p, key), &out->values[i], err) < 0)
			return -1;
		out->keys[i] = rp_xstrdup(key);
		out->n = i + 1;
	}
	return 0;
}

/* ---------------------------------------------------- field accessors */

static int str_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
		     char **out, rp_err_t *err)
{
	const json_value *v = field(obj, key);

	if (!v)
		return required ? missing(err, p, key) : 0;
	return to_string(v, AT(p, key), out, err);
}

/* A path the spec requires to be absolute. */
static int abs_path_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
			  char **out, rp_err_t *err)
{
	if (str_field(obj, key, p, required, out, err) < 0)
		return -1;
	if (*out && (*out)[0] != '/')
		return perr(err, AT(p, key), "\"%s\" is not an absolute path", *out);
	return 0;
}

static int bool_field(const json_value *obj, const char *key, const struct jpath *p, bool *out,
		      bool *set, rp_err_t *err)
{
	const json_value *v = field(obj, key);

	if (!v)
		return 0;
	if (set)
		*set = true;
	return to_bool(v, AT(p, key), out, err);
}

static int opt_bool_field(const json_value *obj, const char *key, const struct jpath *p, opt_bool *out,
			  rp_err_t *err)
{
	return bool_field(obj, key, p, &out->value, &out->set, err);
}

static int i64_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
		     int64_t min, int64_t max, int64_t *out, bool *set, rp_err_t *err)
{
	const json_value *v = field(obj, key);

	if (!v)
		return required ? missing(err, p, key) : 0;
	if (set)
		*set = true;
	return to_i64(v, AT(p, key), min, max, out, err);
}

static int u64_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
		     uint64_t max, uint64_t *out, bool *set, rp_err_t *err)
{
	const json_value *v = field(obj, key);

	if (!v)
		return required ? missing(err, p, key) : 0;
	if (set)
		*set = true;
	return to_u64(v, AT(p, key), max, out, err);
}

static int u32_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
		     uint32_t max, uint32_t *out, bool *set, rp_err_t *err)
{
	uint64_t n = 0;

	if (u64_field(obj, key, p, required, max, &n, set, err) < 0)
		return -1;
	if (field(obj, key))
		*out = (uint32_t)n;
	return 0;
}

static int opt_i64_field(const json_value *obj, const char *key, const struct jpath *p, opt_i64 *out,
			 rp_err_t *err)
{
	return i64_field(obj, key, p, false, INT64_MIN, INT64_MAX, &out->value, &out->set, err);
}

static int opt_u64_field(const json_value *obj, const char *key, const struct jpath *p, opt_u64 *out,
			 rp_err_t *err)
{
	return u64_field(obj, key, p, false, UINT64_MAX, &out->value, &out->set, err);
}

static int opt_u32_field(const json_value *obj, const char *key, const struct jpath *p, uint32_t max,
			 opt_u32 *out, rp_err_t *err)
{
	return u32_field(obj, key, p, false, max, &out->value, &out->set, err);
}

static int opt_i32_field(const json_value *obj, const char *key, const struct jpath *p, int32_t min,
			 int32_t max, opt_i32 *out, rp_err_t *err)
{
	int64_t n = 0;

	if (i64_field(obj, key, p, false, min, max, &n, &out->set, err) < 0)
		return -1;
	out->value = (int32_t)n;
	return 0;
}

static int strv_field(const json_value *obj, const char *key, const struct jpath *p, struct strv *out,
		      bool *set, rp_err_t *err)
{
	const json_value *v = field(obj, key);

	if (!v)
		return 0;
	if (set)
		*set = true;
	return to_strv(v, AT(p, key), out, err);
}

static int map_field(const json_value *obj, const char *key, const struct jpath *p, struct str_map *out,
		     rp_err_t *err)
{
	const json_value *v = field(obj, key);

	return v ? to_str_map(v, AT(p, key), out, err) : 0;
}

/* An enum-valued string field resolved through a table. */
static int enum_field(const json_value *obj, const char *key, const struct jpath *p, bool required,
		      const struct name_val *t, size_t n, const char *what, int *out, char **name,
		      rp_err_t *err)
{
	_cleanup_free_ char *s = NULL;

	if (str_field(obj, key, p, required, &s, err) < 0)
		return -1;
	if (!s)
		return 0;
	if (!lookup(t, n, s, out))
		return perr(err, AT(p, key), "unknown %s \"%s\"", what, s);
	if (name)
		*name = take_ptr(s);
	return 0;
}

typedef int (*elem_parser)(const json_value *v, const struct jpath *p, void *out, rp_err_t *err);

/* An array of objects: allocate all elements zeroed first and count each one
 * as soon as parsing starts, so a failure leaves a freeable array. */
static int array_field(const json_value *obj, const char *key, const struct jpath *p, size_t elem_size,
		       void **out, size_t *n_out, elem_parser parse, rp_err_t *err)
{
	const json_value *v = field(obj, key);
	const struct jpath *ap = AT(p, key);

	if (!v)
		return 0;
	if (expect_array(v, ap, err) < 0)
		return -1;
	size_t n = json_array_len(v);
	if (n == 0)
		return 0;
	char *elems = rp_xcalloc(n, elem_size);
	*out = elems;
	for (size_t i = 0; i < n; i++) {
		const json_value *e = json_array_get(v, i);
		*n_out = i + 1;
		if (expect_object(e, AT_IDX(ap, i), err) < 0 ||
		    parse(e, AT_IDX(ap, i), elems + i * elem_size, err) < 0)
			return -1;
	}
	return 0;
}

#define ARRAY_FIELD(obj, key, p, arr, n, parser, err) \
	array_field(obj, key, p, sizeof(*(arr)), (void **)&(arr), &(n), parser, err)

/* An optional sub-object parsed into a freshly allocated struct. */
#define OBJ_FIELD(obj, key, p, ptr, parser, err) ({					\
	const json_value *_v = field(obj, key);						\
	int _r = 0;									\
	if (_v) {									\
		const struct jpath *_p = AT(p, key);					\
		if (expect_object(_v, _p, err) < 0) {					\
			_r = -1;							\
		} else {								\
			(ptr) = rp_xcalloc(1, sizeof(*(ptr)));				\
			_r = parser(_v, _p, (ptr), err);				\
		}									\
	}										\
	_r;										\
})

/* ------------------------------------------------------ syntax checks */

/* "0-3,7": what cpuset.cpus, cpuset.mems and the mempolicy node lists take.
 * The spec's pattern for execCPUAffinity also allows spaces. */
static int check_cpu_list(const char *s, const struct jpath *p, rp_err_t *err)
{
	const char *q = s;

	while (*q == ' ')
		q++;
	if (*q == '\0')
		return 0;
	for (;;) {
		unsigned long a, b;
		char *end;

		if (*q < '0' || *q > '9')
			goto bad;
		a = strtoul(q, &end, 10);
		q = end;
		if (*q == '-') {
			q++;
			if (*q < '0' || *q > '9')
				goto bad;
			b = strtoul(q, &end, 10);
			q = end;
			if (b < a)
				goto bad;
		}
		while (*q == ' ')
			q++;
		if (*q == '\0')
			return 0;
		if (*q != ',')
			goto bad;
		q++;
		while (*q == ' ')
			q++;
	}
bad:
	return perr(err, p, "invalid cpu/node list \"%s\" (expected e.g. \"0-3,7\")", s);
}

static int cpu_list_field(const json_value *obj, const char *key, const struct jpath *p, char **out,
			  rp_err_t *err)
{
	if (str_field(obj, key, p, false, out, err) < 0)
		return -1;
	return *out ? check_cpu_list(*out, AT(p, key), err) : 0;
}

/* ociVersion: rampart implements 1.0.x through 1.3.x; later minors may add
 * semantics it does not know, and 2.x would be a different contract. */
static int check_version(const char *v, const struct jpath *p, rp_err_t *err)
{
	const char *q = v;
	char *end;

	if (q[0] != '1' || q[1] != '.')
		goto bad;
	q += 2;
	if (*q < '0' || *q > '9')
		goto bad;
	unsigned long minor = strtoul(q, &end, 10);
	if (end - q > 1 && *q == '0')
		goto bad;
	q = end;
	if (minor > 3 || *q != '.')
		goto bad;
	q++;
	if (*q < '0' || *q > '9')
		goto bad;
	while (*q >= '0' && *q <= '9')
		q++;
	if (*q != '\0' && *q != '-' && *q != '+')
		goto bad;
	return 0;
bad:
	return perr(err, p, "unsupported version \"%s\" (rampart implements 1.0.0 to 1.3.x)", v);
}

/* ----------------------------------------------------------- mappings */

static int parse_id_mapping(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_id_mapping *m = out;

	if (u32_field(v, "containerID", p, true, UINT32_MAX, &m->container_id, NULL, err) < 0 ||
	    u32_field(v, "hostID", p, true, UINT32_MAX, &m->host_id, NULL, err) < 0 ||
	    u32_field(v, "size", p, true, UINT32_MAX, &m->size, NULL, err) < 0)
		return -1;
	if (m->size == 0)
		return perr(err, AT(p, "size"), "must be at least 1");
	if ((uint64_t)m->container_id + m->size - 1 > UINT32_MAX ||
	    (uint64_t)m->host_id + m->size - 1 > UINT32_MAX)
		return perr(err, AT(p, "size"), "range exceeds the 32-bit id space");
	return 0;
}

/* --------------------------------------------------------------- root */

static int parse_root(const json_value *v, const struct jpath *p, struct oci_root *r, rp_err_t *err)
{
	if (str_field(v, "path", p, true, &r->path, err) < 0 ||
	    bool_field(v, "readonly", p, &r->readonly, NULL, err) < 0)
		return -1;
	if (r->path[0] == '\0')
		return perr(err, AT(p, "path"), "must not be empty");
	return 0;
}

/* ------------------------------------------------------------- mounts */

static int parse_mount(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_mount *m = out;

	if (str_field(v, "destination", p, true, &m->destination, err) < 0 ||
	    str_field(v, "source", p, false, &m->source, err) < 0 ||
	    str_field(v, "type", p, false, &m->type, err) < 0 ||
	    strv_field(v, "options", p, &m->options, NULL, err) < 0 ||
	    ARRAY_FIELD(v, "uidMappings", p, m->uid_mappings, m->n_uid_mappings, parse_id_mapping, err) < 0 ||
	    ARRAY_FIELD(v, "gidMappings", p, m->gid_mappings, m->n_gid_mappings, parse_id_mapping, err) < 0)
		return -1;
	if (m->destination[0] == '\0')
		return perr(err, AT(p, "destination"), "must not be empty");
	/* config.md: on Linux a relative destination is deprecated and MUST be
	 * taken as relative to "/"; store it absolute so nothing downstream
	 * has to remember that. */
	if (m->destination[0] != '/') {
		char *abs = rp_xasprintf("/%s", m->destination);
		free(m->destination);
		m->destination = abs;
	}
	return 0;
}

/* ------------------------------------------------------------ process */

static int parse_console_size(const json_value *v, const struct jpath *p, struct oci_console_size *c,
			      rp_err_t *err)
{
	if (u32_field(v, "height", p, true, UINT32_MAX, &c->height, NULL, err) < 0 ||
	    u32_field(v, "width", p, true, UINT32_MAX, &c->width, NULL, err) < 0)
		return -1;
	return 0;
}

static int parse_user(const json_value *v, const struct jpath *p, struct oci_user *u, rp_err_t *err)
{
	const json_value *gids = field(v, "additionalGids");

	if (u32_field(v, "uid", p, true, UINT32_MAX, &u->uid, NULL, err) < 0 ||
	    u32_field(v, "gid", p, true, UINT32_MAX, &u->gid, NULL, err) < 0 ||
	    opt_u32_field(v, "umask", p, 0777, &u->umask, err) < 0 ||
	    str_field(v, "username", p, false, &u->username, err) < 0)
		return -1;
	if (gids) {
		const struct jpath *gp = AT(p, "additionalGids");
		if (expect_array(gids, gp, err) < 0)
			return -1;
		size_t n = json_array_len(gids);
		u->additional_gids = rp_xcalloc(n ? n : 1, sizeof(uint32_t));
		u->n_additional_gids = n;
		for (size_t i = 0; i < n; i++)
			if (to_u32(json_array_get(gids, i), AT_IDX(gp, i), UINT32_MAX, &u->additional_gids[i], err) < 0)
				return -1;
	}
	return 0;
}

static int parse_capset(const json_value *obj, const char *key, const struct jpath *p, struct oci_capset *cs,
			rp_err_t *err)
{
	const struct jpath *cp = AT(p, key);

	if (strv_field(obj, key, p, &cs->names, &cs->set, err) < 0)
		return -1;
	for (size_t i = 0; i < cs->names.n; i++) {
		int cap = oci_cap_from_name(cs->names.v[i]);
		if (cap < 0)
			return perr(err, AT_IDX(cp, i), "unknown capability \"%s\"", cs->names.v[i]);
		cs->mask |= UINT64_C(1) << cap;
	}
	return 0;
}

static int parse_capabilities(const json_value *v, const struct jpath *p, struct oci_capabilities *c,
			      rp_err_t *err)
{
	if (parse_capset(v, "bounding", p, &c->bounding, err) < 0 ||
	    parse_capset(v, "effective", p, &c->effective, err) < 0 ||
	    parse_capset(v, "inheritable", p, &c->inheritable, err) < 0 ||
	    parse_capset(v, "permitted", p, &c->permitted, err) < 0 ||
	    parse_capset(v, "ambient", p, &c->ambient, err) < 0)
		return -1;
	return 0;
}

static int parse_rlimit(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_rlimit *r = out;

	if (enum_field(v, "type", p, true, rlimit_types, ARRAY_SIZE(rlimit_types), "rlimit",
		       &r->resource, &r->type, err) < 0 ||
	    u64_field(v, "hard", p, true, UINT64_MAX, &r->hard, NULL, err) < 0 ||
	    u64_field(v, "soft", p, true, UINT64_MAX, &r->soft, NULL, err) < 0)
		return -1;
	/* setrlimit(2) would refuse it later, with a less helpful message */
	if (r->soft > r->hard)
		return perr(err, AT(p, "soft"), "%" PRIu64 " exceeds hard limit %" PRIu64, r->soft, r->hard);
	return 0;
}

static int parse_io_priority(const json_value *v, const struct jpath *p, struct oci_io_priority *io,
			     rp_err_t *err)
{
	int64_t prio = 0;

	if (enum_field(v, "class", p, true, ioprio_classes, ARRAY_SIZE(ioprio_classes), "I/O priority class",
		       &io->class, &io->class_name, err) < 0 ||
	    i64_field(v, "priority", p, true, 0, 7, &prio, NULL, err) < 0)
		return -1;
	io->priority = (int32_t)prio;
	return 0;
}

static int parse_scheduler(const json_value *v, const struct jpath *p, struct oci_scheduler *s, rp_err_t *err)
{
	const struct jpath *fp = AT(p, "flags");

	if (enum_field(v, "policy", p, true, sched_policies, ARRAY_SIZE(sched_policies), "scheduler policy",
		       &s->policy, &s->policy_name, err) < 0 ||
	    opt_i32_field(v, "nice", p, -20, 19, &s->nice, err) < 0 ||
	    opt_i32_field(v, "priority", p, 0, 99, &s->priority, err) < 0 ||
	    strv_field(v, "flags", p, &s->flag_names, NULL, err) < 0 ||
	    opt_u64_field(v, "runtime", p, &s->runtime, err) < 0 ||
	    opt_u64_field(v, "deadline", p, &s->deadline, err) < 0 ||
	    opt_u64_field(v, "period", p, &s->period, err) < 0)
		return -1;
	for (size_t i = 0; i < s->flag_names.n; i++) {
		int bit;
		if (!lookup(sched_flags, ARRAY_SIZE(sched_flags), s->flag_names.v[i], &bit))
			return perr(err, AT_IDX(fp, i), "unknown scheduler flag \"%s\"", s->flag_names.v[i]);
		s->flags |= (uint64_t)bit;
	}
	return 0;
}

static int parse_exec_cpu_affinity(const json_value *v, const struct jpath *p, struct oci_exec_cpu_affinity *a,
				   rp_err_t *err)
{
	if (cpu_list_field(v, "initial", p, &a->initial, err) < 0 ||
	    cpu_list_field(v, "final", p, &a->final, err) < 0)
		return -1;
	return 0;
}

static int check_env(const struct strv *env, const struct jpath *p, rp_err_t *err)
{
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		if (!eq || eq == env->v[i])
			return perr(err, AT_IDX(p, i), "\"%s\" is not of the form NAME=value", env->v[i]);
	}
	return 0;
}

static int parse_process_obj(const json_value *v, const struct jpath *p, struct oci_process *pr, rp_err_t *err)
{
	const json_value *user = field(v, "user");

	if (bool_field(v, "terminal", p, &pr->terminal, NULL, err) < 0 ||
	    OBJ_FIELD(v, "consoleSize", p, pr->console_size, parse_console_size, err) < 0)
		return -1;
	if (user) {
		if (expect_object(user, AT(p, "user"), err) < 0 ||
		    parse_user(user, AT(p, "user"), &pr->user, err) < 0)
			return -1;
	}
	if (strv_field(v, "args", p, &pr->args, NULL, err) < 0 ||
	    str_field(v, "commandLine", p, false, &pr->command_line, err) < 0 ||
	    strv_field(v, "env", p, &pr->env, NULL, err) < 0 ||
	    check_env(&pr->env, AT(p, "env"), err) < 0 ||
	    abs_path_field(v, "cwd", p, true, &pr->cwd, err) < 0 ||
	    OBJ_FIELD(v, "capabilities", p, pr->capabilities, parse_capabilities, err) < 0 ||
	    ARRAY_FIELD(v, "rlimits", p, pr->rlimits, pr->n_rlimits, parse_rlimit, err) < 0 ||
	    bool_field(v, "noNewPrivileges", p, &pr->no_new_privileges, &pr->no_new_privileges_set, err) < 0 ||
	    str_field(v, "apparmorProfile", p, false, &pr->apparmor_profile, err) < 0 ||
	    opt_i32_field(v, "oomScoreAdj", p, -1000, 1000, &pr->oom_score_adj, err) < 0 ||
	    str_field(v, "selinuxLabel", p, false, &pr->selinux_label, err) < 0 ||
	    OBJ_FIELD(v, "ioPriority", p, pr->io_priority, parse_io_priority, err) < 0 ||
	    OBJ_FIELD(v, "scheduler", p, pr->scheduler, parse_scheduler, err) < 0 ||
	    OBJ_FIELD(v, "execCPUAffinity", p, pr->exec_cpu_affinity, parse_exec_cpu_affinity, err) < 0)
		return -1;
	if (pr->args.n == 0)
		return perr(err, AT(p, "args"), "at least one entry is required");

	/* two entries for one resource: which one wins would be arbitrary */
	for (size_t i = 0; i < pr->n_rlimits; i++)
		for (size_t j = 0; j < i; j++)
			if (pr->rlimits[i].resource == pr->rlimits[j].resource)
				return perr(err, AT(AT_IDX(AT(p, "rlimits"), i), "type"), "duplicate rlimit \"%s\"",
					    pr->rlimits[i].type);
	return 0;
}

/* -------------------------------------------------------------- hooks */

static int parse_hook(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_hook *h = out;

	if (abs_path_field(v, "path", p, true, &h->path, err) < 0 ||
	    strv_field(v, "args", p, &h->args, NULL, err) < 0 ||
	    strv_field(v, "env", p, &h->env, NULL, err) < 0 ||
	    check_env(&h->env, AT(p, "env"), err) < 0 ||
	    i64_field(v, "timeout", p, false, 1, INT32_MAX, &h->timeout.value, &h->timeout.set, err) < 0)
		return -1;
	return 0;
}

static int parse_hooks(const json_value *v, const struct jpath *p, struct oci_hooks *h, rp_err_t *err)
{
#define HOOKS(key, list) ARRAY_FIELD(v, key, p, (list).v, (list).n, parse_hook, err)
	if (HOOKS("prestart", h->prestart) < 0 ||
	    HOOKS("createRuntime", h->create_runtime) < 0 ||
	    HOOKS("createContainer", h->create_container) < 0 ||
	    HOOKS("startContainer", h->start_container) < 0 ||
	    HOOKS("poststart", h->poststart) < 0 ||
	    HOOKS("poststop", h->poststop) < 0)
		return -1;
#undef HOOKS
	return 0;
}

/* ---------------------------------------------------------- resources */

static int parse_device_cgroup(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_device_cgroup *d = out;
	_cleanup_free_ char *type = NULL;

	if (!field(v, "allow"))
		return missing(err, p, "allow");
	if (bool_field(v, "allow", p, &d->allow, NULL, err) < 0 ||
	    str_field(v, "type", p, false, &type, err) < 0 ||
	    opt_i64_field(v, "major", p, &d->major, err) < 0 ||
	    opt_i64_field(v, "minor", p, &d->minor, err) < 0 ||
	    str_field(v, "access", p, false, &d->access, err) < 0)
		return -1;
	d->type = 'a';
	if (type) {
		if (strcmp(type, "a") != 0 && strcmp(type, "c") != 0 && strcmp(type, "b") != 0)
			return perr(err, AT(p, "type"), "unknown device type \"%s\" (expected \"a\", \"b\" or \"c\")",
				    type);
		d->type = type[0];
	}
	/* -1 is how Go configs spell "any" */
	if (d->major.set && d->major.value < -1)
		return perr(err, AT(p, "major"), "%" PRId64 " is not a device number", d->major.value);
	if (d->minor.set && d->minor.value < -1)
		return perr(err, AT(p, "minor"), "%" PRId64 " is not a device number", d->minor.value);
	if (d->access) {
		const char *a = d->access;
		if (!*a || strspn(a, "rwm") != strlen(a))
			return perr(err, AT(p, "access"), "\"%s\" is not a combination of \"r\", \"w\" and \"m\"", a);
	}
	return 0;
}

static int parse_memory(const json_value *v, const struct jpath *p, struct oci_memory *m, rp_err_t *err)
{
	if (opt_i64_field(v, "limit", p, &m->limit, err) < 0 ||
	    opt_i64_field(v, "reservation", p, &m->reservation, err) < 0 ||
	    opt_i64_field(v, "swap", p, &m->swap, err) < 0 ||
	    opt_i64_field(v, "kernel", p, &m->kernel, err) < 0 ||
	    opt_i64_field(v, "kernelTCP", p, &m->kernel_tcp, err) < 0 ||
	    u64_field(v, "swappiness", p, false, 100, &m->swappiness.value, &m->swappiness.set, err) < 0 ||
	    opt_bool_field(v, "disableOOMKiller", p, &m->disable_oom_killer, err) < 0 ||
	    opt_bool_field(v, "useHierarchy", p, &m->use_hierarchy, err) < 0 ||
	    opt_bool_field(v, "checkBeforeUpdate", p, &m->check_before_update, err) < 0)
		return -1;
	return 0;
}

static int parse_cpu(const json_value *v, const struct jpath *p, struct oci_cpu *c, rp_err_t *err)
{
	if (opt_u64_field(v, "shares", p, &c->shares, err) < 0 ||
	    opt_i64_field(v, "quota", p, &c->quota, err) < 0 ||
	    opt_u64_field(v, "burst", p, &c->burst, err) < 0 ||
	    opt_u64_field(v, "period", p, &c->period, err) < 0 ||
	    opt_i64_field(v, "realtimeRuntime", p, &c->realtime_runtime, err) < 0 ||
	    opt_u64_field(v, "realtimePeriod", p, &c->realtime_period, err) < 0 ||
	    cpu_list_field(v, "cpus", p, &c->cpus, err) < 0 ||
	    cpu_list_field(v, "mems", p, &c->mems, err) < 0 ||
	    opt_i64_field(v, "idle", p, &c->idle, err) < 0)
		return -1;
	if (c->idle.set && c->idle.value != 0 && c->idle.value != 1)
		return perr(err, AT(p, "idle"), "must be 0 or 1, got %" PRId64, c->idle.value);
	return 0;
}

static int parse_pids(const json_value *v, const struct jpath *p, struct oci_pids *pids, rp_err_t *err)
{
	return i64_field(v, "limit", p, true, INT64_MIN, INT64_MAX, &pids->limit, NULL, err);
}

static int parse_weight_device(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_weight_device *d = out;

	if (i64_field(v, "major", p, true, 0, INT64_MAX, &d->major, NULL, err) < 0 ||
	    i64_field(v, "minor", p, true, 0, INT64_MAX, &d->minor, NULL, err) < 0 ||
	    opt_u32_field(v, "weight", p, UINT16_MAX, &d->weight, err) < 0 ||
	    opt_u32_field(v, "leafWeight", p, UINT16_MAX, &d->leaf_weight, err) < 0)
		return -1;
	return 0;
}

static int parse_throttle_device(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_throttle_device *d = out;

	if (i64_field(v, "major", p, true, 0, INT64_MAX, &d->major, NULL, err) < 0 ||
	    i64_field(v, "minor", p, true, 0, INT64_MAX, &d->minor, NULL, err) < 0 ||
	    u64_field(v, "rate", p, true, UINT64_MAX, &d->rate, NULL, err) < 0)
		return -1;
	return 0;
}

static int parse_blkio(const json_value *v, const struct jpath *p, struct oci_blkio *b, rp_err_t *err)
{
	if (opt_u32_field(v, "weight", p, UINT16_MAX, &b->weight, err) < 0 ||
	    opt_u32_field(v, "leafWeight", p, UINT16_MAX, &b->leaf_weight, err) < 0 ||
	    ARRAY_FIELD(v, "weightDevice", p, b->weight_device, b->n_weight_device, parse_weight_device, err) < 0 ||
	    ARRAY_FIELD(v, "throttleReadBpsDevice", p, b->throttle_read_bps, b->n_throttle_read_bps,
			parse_throttle_device, err) < 0 ||
	    ARRAY_FIELD(v, "throttleWriteBpsDevice", p, b->throttle_write_bps, b->n_throttle_write_bps,
			parse_throttle_device, err) < 0 ||
	    ARRAY_FIELD(v, "throttleReadIOPSDevice", p, b->throttle_read_iops, b->n_throttle_read_iops,
			parse_throttle_device, err) < 0 ||
	    ARRAY_FIELD(v, "throttleWriteIOPSDevice", p, b->throttle_write_iops, b->n_throttle_write_iops,
			parse_throttle_device, err) < 0)
		return -1;
	return 0;
}

static int parse_hugepage_limit(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_hugepage_limit *h = out;

	if (str_field(v, "pageSize", p, true, &h->page_size, err) < 0 ||
	    u64_field(v, "limit", p, true, UINT64_MAX, &h->limit, NULL, err) < 0)
		return -1;
	/* schema: ^[1-9][0-9]*[KMG]B$ */
	const char *s = h->page_size;
	size_t digits = strspn(s, "0123456789");
	if (digits == 0 || s[0] == '0' || !strchr("KMG", s[digits]) || s[digits] == '\0' ||
	    strcmp(s + digits + 1, "B") != 0)
		return perr(err, AT(p, "pageSize"), "invalid page size \"%s\" (expected e.g. \"2MB\")", s);
	return 0;
}

static int parse_net_priority(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_net_priority *np = out;

	if (str_field(v, "name", p, true, &np->name, err) < 0 ||
	    u32_field(v, "priority", p, true, UINT32_MAX, &np->priority, NULL, err) < 0)
		return -1;
	return 0;
}

static int parse_network(const json_value *v, const struct jpath *p, struct oci_network *n, rp_err_t *err)
{
	if (opt_u32_field(v, "classID", p, UINT32_MAX, &n->class_id, err) < 0 ||
	    ARRAY_FIELD(v, "priorities", p, n->priorities, n->n_priorities, parse_net_priority, err) < 0)
		return -1;
	return 0;
}

static int parse_rdma(const json_value *v, const struct jpath *p, struct oci_resources *r, rp_err_t *err)
{
	size_t n = json_object_len(v);

	r->rdma = rp_xcalloc(n ? n : 1, sizeof(*r->rdma));
	for (size_t i = 0; i < n; i++) {
		const char *dev = json_object_key(v, i);
		const json_value *e = json_object_value(v, i);
		const struct jpath *ep = AT(p, dev);
		struct oci_rdma_limit *l = &r->rdma[i];

		r->n_rdma = i + 1;
		l->device = rp_xstrdup(dev);
		if (expect_object(e, ep, err) < 0 ||
		    opt_u32_field(e, "hcaHandles", ep, UINT32_MAX, &l->hca_handles, err) < 0 ||
		    opt_u32_field(e, "hcaObjects", ep, UINT32_MAX, &l->hca_objects, err) < 0)
			return -1;
		if (!l->hca_handles.set && !l->hca_objects.set)
			return perr(err, ep, "at least one of hcaHandles and hcaObjects is required");
	}
	return 0;
}

static int parse_resources_obj(const json_value *v, const struct jpath *p, struct oci_resources *r,
			       rp_err_t *err)
{
	const json_value *rdma = field(v, "rdma");

	if (ARRAY_FIELD(v, "devices", p, r->devices, r->n_devices, parse_device_cgroup, err) < 0 ||
	    OBJ_FIELD(v, "memory", p, r->memory, parse_memory, err) < 0 ||
	    OBJ_FIELD(v, "cpu", p, r->cpu, parse_cpu, err) < 0 ||
	    OBJ_FIELD(v, "pids", p, r->pids, parse_pids, err) < 0 ||
	    OBJ_FIELD(v, "blockIO", p, r->block_io, parse_blkio, err) < 0 ||
	    ARRAY_FIELD(v, "hugepageLimits", p, r->hugepage_limits, r->n_hugepage_limits,
			parse_hugepage_limit, err) < 0 ||
	    OBJ_FIELD(v, "network", p, r->network, parse_network, err) < 0 ||
	    map_field(v, "unified", p, &r->unified, err) < 0)
		return -1;
	if (rdma && (expect_object(rdma, AT(p, "rdma"), err) < 0 || parse_rdma(rdma, AT(p, "rdma"), r, err) < 0))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ seccomp */

static int parse_seccomp_arg(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_seccomp_arg *a = out;
	int op;

	/* seccomp sees six syscall arguments */
	if (u32_field(v, "index", p, true, 5, &a->index, NULL, err) < 0 ||
	    u64_field(v, "value", p, true, UINT64_MAX, &a->value, NULL, err) < 0 ||
	    u64_field(v, "valueTwo", p, false, UINT64_MAX, &a->value_two, NULL, err) < 0 ||
	    enum_field(v, "op", p, true, seccomp_ops, ARRAY_SIZE(seccomp_ops), "seccomp operator", &op, NULL,
		       err) < 0)
		return -1;
	a->op = (enum oci_seccomp_op)op;
	return 0;
}

/* errnoRet only means something to actions that make the syscall fail. */
static int check_errno_ret(enum oci_seccomp_action a, const opt_u32 *ret, const struct jpath *p, rp_err_t *err)
{
	if (ret->set && a != OCI_SECCOMP_ERRNO && a != OCI_SECCOMP_TRACE)
		return perr(err, p, "not allowed with action %s", oci_seccomp_action_name(a));
	return 0;
}

static int parse_syscall(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_seccomp_syscall *s = out;
	const struct jpath *np = AT(p, "names");
	int action;

	if (!field(v, "names"))
		return missing(err, p, "names");
	if (strv_field(v, "names", p, &s->names, NULL, err) < 0 ||
	    enum_field(v, "action", p, true, seccomp_actions, ARRAY_SIZE(seccomp_actions), "seccomp action",
		       &action, NULL, err) < 0 ||
	    opt_u32_field(v, "errnoRet", p, UINT32_MAX, &s->errno_ret, err) < 0 ||
	    ARRAY_FIELD(v, "args", p, s->args, s->n_args, parse_seccomp_arg, err) < 0)
		return -1;
	s->action = (enum oci_seccomp_action)action;
	if (s->names.n == 0)
		return perr(err, np, "at least one entry is required");
	for (size_t i = 0; i < s->names.n; i++)
		if (s->names.v[i][0] == '\0')
			return perr(err, AT_IDX(np, i), "empty syscall name");
	return check_errno_ret(s->action, &s->errno_ret, AT(p, "errnoRet"), err);
}

static int parse_seccomp_obj(const json_value *v, const struct jpath *p, struct oci_seccomp *s, rp_err_t *err)
{
	const struct jpath *ap = AT(p, "architectures"), *fp = AT(p, "flags");
	int action;

	if (enum_field(v, "defaultAction", p, true, seccomp_actions, ARRAY_SIZE(seccomp_actions),
		       "seccomp action", &action, NULL, err) < 0 ||
	    opt_u32_field(v, "defaultErrnoRet", p, UINT32_MAX, &s->default_errno_ret, err) < 0 ||
	    strv_field(v, "architectures", p, &s->architectures, NULL, err) < 0 ||
	    strv_field(v, "flags", p, &s->flags, NULL, err) < 0 ||
	    str_field(v, "listenerPath", p, false, &s->listener_path, err) < 0 ||
	    str_field(v, "listenerMetadata", p, false, &s->listener_metadata, err) < 0 ||
	    ARRAY_FIELD(v, "syscalls", p, s->syscalls, s->n_syscalls, parse_syscall, err) < 0)
		return -1;
	s->default_action = (enum oci_seccomp_action)action;
	for (size_t i = 0; i < s->architectures.n; i++)
		if (!in_list(seccomp_archs, ARRAY_SIZE(seccomp_archs), s->architectures.v[i]))
			return perr(err, AT_IDX(ap, i), "unknown seccomp architecture \"%s\"", s->architectures.v[i]);
	for (size_t i = 0; i < s->flags.n; i++)
		if (!in_list(seccomp_flags, ARRAY_SIZE(seccomp_flags), s->flags.v[i]))
			return perr(err, AT_IDX(fp, i), "unknown seccomp flag \"%s\"", s->flags.v[i]);
	if (s->listener_metadata && !s->listener_path)
		return perr(err, AT(p, "listenerMetadata"), "not allowed without listenerPath");
	return check_errno_ret(s->default_action, &s->default_errno_ret, AT(p, "defaultErrnoRet"), err);
}

/* -------------------------------------------------------------- linux */

static int parse_namespace(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_namespace *ns = out;
	int type;

	if (enum_field(v, "type", p, true, ns_types, ARRAY_SIZE(ns_types), "namespace type", &type, NULL,
		       err) < 0 ||
	    abs_path_field(v, "path", p, false, &ns->path, err) < 0)
		return -1;
	ns->type = (enum oci_ns_type)type;
	return 0;
}

static int parse_device(const json_value *v, const struct jpath *p, void *out, rp_err_t *err)
{
	struct oci_device *d = out;
	_cleanup_free_ char *type = NULL;

	if (str_field(v, "type", p, true, &type, err) < 0)
		return -1;
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return perr(err, AT(p, "type"), "unknown device type \"%s\" (expected \"c\", \"b\", \"u\" or \"p\")",
			    type);
	d->type = type[0];
	bool need_numbers = d->type != 'p';
	if (abs_path_field(v, "path", p, true, &d->path, err) < 0 ||
	    i64_field(v, "major", p, need_numbers, 0, INT64_MAX, &d->major, NULL, err) < 0 ||
	    i64_field(v, "minor", p, need_numbers, 0, INT64_MAX, &d->minor, NULL, err) < 0 ||
	    opt_u32_field(v, "fileMode", p, 0177777, &d->file_mode, err) < 0 ||
	    opt_u32_field(v, "uid", p, UINT32_MAX, &d->uid, err) < 0 ||
	    opt_u32_field(v, "gid", p, UINT32_MAX, &d->gid, err) < 0)
		return -1;
	/* Some engines write the whole st_mode; the file type bits are then
	 * only acceptable when they agree with "type". */
	mode_t fmt = d->file_mode.value & S_IFMT;
	mode_t want = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	if (d->file_mode.set && fmt != 0 && fmt != want)
		return perr(err, AT(p, "fileMode"), "0%o has file type bits that do not match type \"%c\"",
			    d->file_mode.value, d->type);
	return 0;
}

static int parse_time_offsets(const json_value *v, const struct jpath *p, struct oci_linux *l, rp_err_t *err)
{
	size_t n = json_object_len(v);

	l->time_offsets = rp_xcalloc(n ? n : 1, sizeof(*l->time_offsets));
	for (size_t i = 0; i < n; i++) {
		const char *clock = json_object_key(v, i);
		const json_value *e = json_object_value(v, i);
		const struct jpath *ep = AT(p, clock);
		struct oci_time_offset *t = &l->time_offsets[i];

		l->n_time_offsets = i + 1;
		t->clock = rp_xstrdup(clock);
		if (strcmp(clock, "monotonic") != 0 && strcmp(clock, "boottime") != 0)
			return perr(err, ep, "unknown clock (expected \"monotonic\" or \"boottime\")");
		if (expect_object(e, ep, err) < 0 ||
		    i64_field(e, "secs", ep, false, INT64_MIN, INT64_MAX, &t->secs, NULL, err) < 0 ||
		    u32_field(e, "nanosecs", ep, false, 999999999, &t->nanosecs, NULL, err) < 0)
			return -1;
	}
	return 0;
}

static int parse_personality(const json_value *v, const struct jpath *p, struct oci_personality *pe,
			     rp_err_t *err)
{
	if (str_field(v, "domain", p, true, &pe->domain, err) < 0 ||
	    strv_field(v, "flags", p, &pe->flags, NULL, err) < 0)
		return -1;
	if (strcmp(pe->domain, "LINUX") != 0 && strcmp(pe->domain, "LINUX32") != 0)
		return perr(err, AT(p, "domain"), "unknown personality domain \"%s\" (expected LINUX or LINUX32)",
			    pe->domain);
	/* config-linux.md: "Currently no flag values are supported." */
	if (pe->flags.n > 0)
		return perr(err, AT_IDX(AT(p, "flags"), 0), "unsupported personality flag \"%s\"", pe->flags.v[0]);
	return 0;
}

static int parse_intel_rdt(const json_value *v, const struct jpath *p, struct oci_intel_rdt *r, rp_err_t *err)
{
	const struct jpath *sp = AT(p, "schemata");

	if (str_field(v, "closID", p, false, &r->clos_id, err) < 0 ||
	    str_field(v, "l3CacheSchema", p, false, &r->l3_cache_schema, err) < 0 ||
	    str_field(v, "memBwSchema", p, false, &r->mem_bw_schema, err) < 0 ||
	    strv_field(v, "schemata", p, &r->schemata, NULL, err) < 0 ||
	    opt_bool_field(v, "enableMonitoring", p, &r->enable_monitoring, err) < 0 ||
	    opt_bool_field(v, "enableCMT", p, &r->enable_cmt, err) < 0 ||
	    opt_bool_field(v, "enableMBM", p, &r->enable_mbm, err) < 0)
		return -1;
	/* each value becomes one line of the resctrl schemata file */
	if (r->mem_bw_schema && (strncmp(r->mem_bw_schema, "MB:", 3) != 0 || strchr(r->mem_bw_schema, '\n')))
		return perr(err, AT(p, "memBwSchema"), "must start with \"MB:\" and be a single line");
	if (r->l3_cache_schema && strchr(r->l3_cache_schema, '\n'))
		return perr(err, AT(p, "l3CacheSchema"), "must be a single line");
	for (size_t i = 0; i < r->schemata.n; i++)
		if (strchr(r->schemata.v[i], '\n'))
			return perr(err, AT_IDX(sp, i), "must not contain a newline");
	if (r->clos_id && (r->clos_id[0] == '\0' || (strcmp(r->clos_id, "/") != 0 && strchr(r->clos_id, '/')) ||
			   strcmp(r->clos_id, ".") == 0 || strcmp(r->clos_id, "..") == 0))
		return perr(err, AT(p, "closID"), "\"%s\" is not a valid resctrl group name", r->clos_id);
	return 0;
}

static int parse_memory_policy(const json_value *v, const struct jpath *p, struct oci_memory_policy *m,
			       rp_err_t *err)
{
	const struct jpath *fp = AT(p, "flags");

	if (enum_field(v, "mode", p, true, mpol_modes, ARRAY_SIZE(mpol_modes), "memory policy mode", &m->mode,
		       &m->mode_name, err) < 0 ||
	    cpu_list_field(v, "nodes", p, &m->nodes, err) < 0 ||
	    strv_field(v, "flags", p, &m->flag_names, NULL, err) < 0)
		return -1;
	for (size_t i = 0; i < m->flag_names.n; i++) {
		int bit;
		if (!lookup(mpol_flags, ARRAY_SIZE(mpol_flags), m->flag_names.v[i], &bit))
			return perr(err, AT_IDX(fp, i), "unknown memory policy flag \"%s\"", m->flag_names.v[i]);
		m->flags |= (unsigned)bit;
	}
	/* set_mempolicy(2): these modes take no nodes, these need some */
	bool has_nodes = m->nodes && m->nodes[strspn(m->nodes, " ")] != '\0';
	if ((m->mode == RP_MPOL_DEFAULT || m->mode == RP_MPOL_LOCAL) && has_nodes)
		return perr(err, AT(p, "nodes"), "%s takes no nodes", m->mode_name);
	if ((m->mode == RP_MPOL_BIND || m->mode == RP_MPOL_INTERLEAVE || m->mode == RP_MPOL_WEIGHTED_INTERLEAVE ||
	     m->mode == RP_MPOL_PREFERRED_MANY) && !has_nodes)
		return perr(err, AT(p, "nodes"), "%s needs at least one node", m->mode_name);
	return 0;
}

/* An interface name the kernel accepts (dev_valid_name); "%d" templates are
 * allowed for the name inside the container. */
static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 16 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == ' ' || *s == '\t' || *s == '\n')
			return false;
	return true;
}

static int parse_net_devices(const json_value *v, const struct jpath *p, struct oci_linux *l, rp_err_t *err)
{
	size_t n = json_object_len(v);

	l->net_devices = rp_xcalloc(n ? n : 1, sizeof(*l->net_devices));
	for (size_t i = 0; i < n; i++) {
		const char *host = json_object_key(v, i);
		const json_value *e = json_object_value(v, i);
		const struct jpath *ep = AT(p, host);
		struct oci_net_device *d = &l->net_devices[i];

		l->n_net_devices = i + 1;
		d->host_name = rp_xstrdup(host);
		if (!valid_ifname(host))
			return perr(err, ep, "invalid network interface name");
		if (expect_object(e, ep, err) < 0 || str_field(e, "name", ep, false, &d->name, err) < 0)
			return -1;
		if (d->name && !valid_ifname(d->name))
			return perr(err, AT(ep, "name"), "invalid network interface name \"%s\"", d->name);
	}
	return 0;
}

static int parse_linux(const json_value *v, const struct jpath *p, struct oci_linux *l, rp_err_t *err)
{
	const json_value *t;
	static const char *const propagations[] = { "shared", "slave", "private", "unbindable" };

	if (ARRAY_FIELD(v, "namespaces", p, l->namespaces, l->n_namespaces, parse_namespace, err) < 0 ||
	    ARRAY_FIELD(v, "uidMappings", p, l->uid_mappings, l->n_uid_mappings, parse_id_mapping, err) < 0 ||
	    ARRAY_FIELD(v, "gidMappings", p, l->gid_mappings, l->n_gid_mappings, parse_id_mapping, err) < 0 ||
	    ARRAY_FIELD(v, "devices", p, l->devices, l->n_devices, parse_device, err) < 0 ||
	    str_field(v, "cgroupsPath", p, false, &l->cgroups_path, err) < 0 ||
	    OBJ_FIELD(v, "resources", p, l->resources, parse_resources_obj, err) < 0 ||
	    str_field(v, "rootfsPropagation", p, false, &l->rootfs_propagation, err) < 0 ||
	    OBJ_FIELD(v, "seccomp", p, l->seccomp, parse_seccomp_obj, err) < 0 ||
	    map_field(v, "sysctl", p, &l->sysctl, err) < 0 ||
	    strv_field(v, "maskedPaths", p, &l->masked_paths, &l->masked_paths_set, err) < 0 ||
	    strv_field(v, "readonlyPaths", p, &l->readonly_paths, &l->readonly_paths_set, err) < 0 ||
	    str_field(v, "mountLabel", p, false, &l->mount_label, err) < 0 ||
	    OBJ_FIELD(v, "personality", p, l->personality, parse_personality, err) < 0 ||
	    OBJ_FIELD(v, "intelRdt", p, l->intel_rdt, parse_intel_rdt, err) < 0 ||
	    OBJ_FIELD(v, "memoryPolicy", p, l->memory_policy, parse_memory_policy, err) < 0)
		return -1;
	if ((t = field(v, "timeOffsets")) &&
	    (expect_object(t, AT(p, "timeOffsets"), err) < 0 ||
	     parse_time_offsets(t, AT(p, "timeOffsets"), l, err) < 0))
		return -1;
	if ((t = field(v, "netDevices")) &&
	    (expect_object(t, AT(p, "netDevices"), err) < 0 ||
	     parse_net_devices(t, AT(p, "netDevices"), l, err) < 0))
		return -1;

	if (l->rootfs_propagation && !in_list(propagations, ARRAY_SIZE(propagations), l->rootfs_propagation))
		return perr(err, AT(p, "rootfsPropagation"), "unknown propagation \"%s\"", l->rootfs_propagation);

	const struct jpath *nsp = AT(p, "namespaces");
	for (size_t i = 0; i < l->n_namespaces; i++)
		for (size_t j = 0; j < i; j++)
			if (l->namespaces[i].type == l->namespaces[j].type)
				return perr(err, AT(AT_IDX(nsp, i), "type"), "duplicate namespace type \"%s\"",
					    oci_ns_name(l->namespaces[i].type));

	const struct jpath *mp = AT(p, "maskedPaths"), *rp = AT(p, "readonlyPaths");
	for (size_t i = 0; i < l->masked_paths.n; i++)
		if (l->masked_paths.v[i][0] != '/')
			return perr(err, AT_IDX(mp, i), "\"%s\" is not an absolute path", l->masked_paths.v[i]);
	for (size_t i = 0; i < l->readonly_paths.n; i++)
		if (l->readonly_paths.v[i][0] != '/')
			return perr(err, AT_IDX(rp, i), "\"%s\" is not an absolute path", l->readonly_paths.v[i]);
	return 0;
}

/* ------------------------------------------------------------ config */

static int parse_config_obj(const json_value *v, struct oci_config *c, rp_err_t *err)
{
	const struct jpath *p = NULL;
	const json_value *proc;

	if (expect_object(v, p, err) < 0)
		return -1;
	if (str_field(v, "ociVersion", p, true, &c->oci_version, err) < 0 ||
	    check_version(c->oci_version, AT(p, "ociVersion"), err) < 0)
		return -1;
	if (!field(v, "root"))
		return missing(err, p, "root");
	if (OBJ_FIELD(v, "root", p, c->root, parse_root, err) < 0 ||
	    ARRAY_FIELD(v, "mounts", p, c->mounts, c->n_mounts, parse_mount, err) < 0)
		return -1;
	if ((proc = field(v, "process"))) {
		if (expect_object(proc, AT(p, "process"), err) < 0)
			return -1;
		c->process = rp_xcalloc(1, sizeof(*c->process));
		if (parse_process_obj(proc, AT(p, "process"), c->process, err) < 0)
			return -1;
	}
	if (str_field(v, "hostname", p, false, &c->hostname, err) < 0 ||
	    str_field(v, "domainname", p, false, &c->domainname, err) < 0 ||
	    OBJ_FIELD(v, "hooks", p, c->hooks, parse_hooks, err) < 0 ||
	    map_field(v, "annotations", p, &c->annotations, err) < 0 ||
	    OBJ_FIELD(v, "linux", p, c->linux_cfg, parse_linux, err) < 0)
		return -1;
	return 0;
}

static struct oci_config *config_from_value(const json_value *v, rp_err_t *err)
{
	struct oci_config *c = rp_xcalloc(1, sizeof(*c));

	if (parse_config_obj(v, c, err) < 0) {
		oci_config_free(c);
		return NULL;
	}
	return c;
}

struct oci_config *oci_config_parse(const char *buf, size_t len, rp_err_t *err)
{
	json_value *v = json_parse(buf, len, err);

	if (!v)
		return NULL;
	struct oci_config *c = config_from_value(v, err);
	json_free(v);
	return c;
}

struct oci_config *oci_config_parse_file(const char *path, rp_err_t *err)
{
	json_value *v = json_parse_file(path, err);

	if (!v)
		return NULL;
	struct oci_config *c = config_from_value(v, err);
	json_free(v);
	if (!c)
		rp_error_prefix(err, "%s", path);
	return c;
}

struct oci_config *oci_config_load_bundle(const char *bundle, rp_err_t *err)
{
	_cleanup_free_ char *path = rp_xasprintf("%s/config.json", bundle);

	return oci_config_parse_file(path, err);
}

struct oci_process *oci_process_parse(const char *buf, size_t len, rp_err_t *err)
{
	json_value *v = json_parse(buf, len, err);
	struct oci_process *p;

	if (!v)
		return NULL;
	p = rp_xcalloc(1, sizeof(*p));
	if (expect_object(v, NULL, err) < 0 || parse_process_obj(v, NULL, p, err) < 0) {
		oci_process_free(p);
		p = NULL;
	}
	json_free(v);
	return p;
}

struct oci_resources *oci_resources_parse(const char *buf, size_t len, rp_err_t *err)
{
	json_value *v = json_parse(buf, len, err);
	struct oci_resources *r;

	if (!v)
		return NULL;
	r = rp_xcalloc(1, sizeof(*r));
	if (expect_object(v, NULL, err) < 0 || parse_resources_obj(v, NULL, r, err) < 0) {
		oci_resources_free(r);
		r = NULL;
	}
	json_free(v);
	return r;
}

struct oci_seccomp *oci_seccomp_parse(const char *buf, size_t len, rp_err_t *err)
{
	json_value *v = json_parse(buf, len, err);
	struct oci_seccomp *s;

	if (!v)
		return NULL;
	s = rp_xcalloc(1, sizeof(*s));
	if (expect_object(v, NULL, err) < 0 || parse_seccomp_obj(v, NULL, s, err) < 0) {
		oci_seccomp_free(s);
		s = NULL;
	}
	json_free(v);
	return s;
}

/* ------------------------------------------------------------ lookups */

const char *str_map_get(const struct str_map *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->keys[i], key) == 0)
			return m->values[i];
	return NULL;
}

const struct oci_namespace *oci_config_namespace(const struct oci_config *c, enum oci_ns_type t)
{
	if (!c->linux_cfg)
		return NULL;
	for (size_t i = 0; i < c->linux_cfg->n_namespaces; i++)
		if (c->linux_cfg->namespaces[i].type == t)
			return &c->linux_cfg->namespaces[i];
	return NULL;
}

/* --------------------------------------------------------------- free */

static void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void str_map_free(struct str_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->keys[i]);
		free(m->values[i]);
	}
	free(m->keys);
	free(m->values);
}

static void hook_list_free(struct oci_hook_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		strv_free(&l->v[i].args);
		strv_free(&l->v[i].env);
	}
	free(l->v);
}

static void capabilities_free(struct oci_capabilities *c)
{
	if (!c)
		return;
	strv_free(&c->bounding.names);
	strv_free(&c->effective.names);
	strv_free(&c->inheritable.names);
	strv_free(&c->permitted.names);
	strv_free(&c->ambient.names);
	free(c);
}

void oci_process_free(struct oci_process *p)
{
	if (!p)
		return;
	free(p->console_size);
	free(p->user.additional_gids);
	free(p->user.username);
	strv_free(&p->args);
	free(p->command_line);
	strv_free(&p->env);
	free(p->cwd);
	capabilities_free(p->capabilities);
	for (size_t i = 0; i < p->n_rlimits; i++)
		free(p->rlimits[i].type);
	free(p->rlimits);
	free(p->apparmor_profile);
	free(p->selinux_label);
	if (p->io_priority)
		free(p->io_priority->class_name);
	free(p->io_priority);
	if (p->scheduler) {
		free(p->scheduler->policy_name);
		strv_free(&p->scheduler->flag_names);
		free(p->scheduler);
	}
	if (p->exec_cpu_affinity) {
		free(p->exec_cpu_affinity->initial);
		free(p->exec_cpu_affinity->final);
		free(p->exec_cpu_affinity);
	}
	free(p);
}

void oci_resources_free(struct oci_resources *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_devices; i++)
		free(r->devices[i].access);
	free(r->devices);
	free(r->memory);
	if (r->cpu) {
		free(r->cpu->cpus);
		free(r->cpu->mems);
		free(r->cpu);
	}
	free(r->pids);
	if (r->block_io) {
		struct oci_blkio *b = r->block_io;
		free(b->weight_device);
		free(b->throttle_read_bps);
		free(b->throttle_write_bps);
		free(b->throttle_read_iops);
		free(b->throttle_write_iops);
		free(b);
	}
	for (size_t i = 0; i < r->n_hugepage_limits; i++)
		free(r->hugepage_limits[i].page_size);
	free(r->hugepage_limits);
	if (r->network) {
		for (size_t i = 0; i < r->network->n_priorities; i++)
			free(r->network->priorities[i].name);
		free(r->network->priorities);
		free(r->network);
	}
	for (size_t i = 0; i < r->n_rdma; i++)
		free(r->rdma[i].device);
	free(r->rdma);
	str_map_free(&r->unified);
	free(r);
}

void oci_seccomp_free(struct oci_seccomp *s)
{
	if (!s)
		return;
	strv_free(&s->architectures);
	strv_free(&s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		strv_free(&s->syscalls[i].names);
		free(s->syscalls[i].args);
	}
	free(s->syscalls);
	free(s);
}

static void linux_free(struct oci_linux *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_namespaces; i++)
		free(l->namespaces[i].path);
	free(l->namespaces);
	free(l->uid_mappings);
	free(l->gid_mappings);
	for (size_t i = 0; i < l->n_time_offsets; i++)
		free(l->time_offsets[i].clock);
	free(l->time_offsets);
	for (size_t i = 0; i < l->n_devices; i++)
		free(l->devices[i].path);
	free(l->devices);
	free(l->cgroups_path);
	oci_resources_free(l->resources);
	free(l->rootfs_propagation);
	oci_seccomp_free(l->seccomp);
	str_map_free(&l->sysctl);
	strv_free(&l->masked_paths);
	strv_free(&l->readonly_paths);
	free(l->mount_label);
	if (l->personality) {
		free(l->personality->domain);
		strv_free(&l->personality->flags);
		free(l->personality);
	}
	if (l->intel_rdt) {
		free(l->intel_rdt->clos_id);
		free(l->intel_rdt->l3_cache_schema);
		free(l->intel_rdt->mem_bw_schema);
		strv_free(&l->intel_rdt->schemata);
		free(l->intel_rdt);
	}
	if (l->memory_policy) {
		free(l->memory_policy->mode_name);
		free(l->memory_policy->nodes);
		strv_free(&l->memory_policy->flag_names);
		free(l->memory_policy);
	}
	for (size_t i = 0; i < l->n_net_devices; i++) {
		free(l->net_devices[i].host_name);
		free(l->net_devices[i].name);
	}
	free(l->net_devices);
	free(l);
}

void oci_config_free(struct oci_config *c)
{
	if (!c)
		return;
	free(c->oci_version);
	if (c->root)
		free(c->root->path);
	free(c->root);
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct oci_mount *m = &c->mounts[i];
		free(m->destination);
		free(m->source);
		free(m->type);
		strv_free(&m->options);
		free(m->uid_mappings);
		free(m->gid_mappings);
	}
	free(c->mounts);
	oci_process_free(c->process);
	free(c->hostname);
	free(c->domainname);
	if (c->hooks) {
		hook_list_free(&c->hooks->prestart);
		hook_list_free(&c->hooks->create_runtime);
		hook_list_free(&c->hooks->create_container);
		hook_list_free(&c->hooks->start_container);
		hook_list_free(&c->hooks->poststart);
		hook_list_free(&c->hooks->poststop);
		free(c->hooks);
	}
	str_map_free(&c->annotations);
	linux_free(c->linux_cfg);
	free(c);
}

/* -------------------------------------------------------------- write */

static void w_opt_string(json_writer *w, const char *key, const char *s)
{
	if (s)
		json_w_kv_string(w, key, s);
}

static void w_strv(json_writer *w, const char *key, const struct strv *s)
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < s->n; i++)
		json_w_string(w, s->v[i]);
	json_w_array_end(w);
}

static void w_opt_strv(json_writer *w, const char *key, const struct strv *s)
{
	if (s->n > 0)
		w_strv(w, key, s);
}

static void w_map(json_writer *w, const char *key, const struct str_map *m)
{
	if (m->n == 0)
		return;
	json_w_key(w, key);
	json_w_object_begin(w);
	for (size_t i = 0; i < m->n; i++)
		json_w_kv_string(w, m->keys[i], m->values[i]);
	json_w_object_end(w);
}

#define W_OPT_INT(w, key, o) do { if ((o).set) json_w_kv_int(w, key, (o).value); } while (0)
#define W_OPT_UINT(w, key, o) do { if ((o).set) json_w_kv_uint(w, key, (o).value); } while (0)
#define W_OPT_BOOL(w, key, o) do { if ((o).set) json_w_kv_bool(w, key, (o).value); } while (0)

static void w_id_mappings(json_writer *w, const char *key, const struct oci_id_mapping *m, size_t n)
{
	if (n == 0)
		return;
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		json_w_object_begin(w);
		json_w_kv_uint(w, "containerID", m[i].container_id);
		json_w_kv_uint(w, "hostID", m[i].host_id);
		json_w_kv_uint(w, "size", m[i].size);
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

/* Enum-like fields keep the name the config used; a model built in code
 * (rampart spec) may only set the number, so fall back to the table. */
static const char *name_or(const char *name, const struct name_val *t, size_t n, int value)
{
	return name ? name : rlookup(t, n, value);
}
#define NAME_OR(name, table, value) name_or(name, table, ARRAY_SIZE(table), value)

static void w_bits(json_writer *w, const char *key, const struct strv *names, const struct name_val *t,
		   size_t n, uint64_t bits)
{
	if (names->n > 0 || bits == 0) {
		w_opt_strv(w, key, names);
		return;
	}
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		if (bits & (uint64_t)t[i].value)
			json_w_string(w, t[i].name);
	json_w_array_end(w);
}

static void w_capset(json_writer *w, const char *key, const struct oci_capset *cs)
{
	if (!cs->set)
		return;
	if (cs->names.n > 0 || cs->mask == 0) {
		w_strv(w, key, &cs->names);
		return;
	}
	json_w_key(w, key);
	json_w_array_begin(w);
	for (int cap = 0; cap <= OCI_CAP_LAST; cap++)
		if ((cs->mask & (UINT64_C(1) << cap)) && oci_cap_name(cap))
			json_w_string(w, oci_cap_name(cap));
	json_w_array_end(w);
}

static void w_process(json_writer *w, const struct oci_process *p)
{
	json_w_object_begin(w);
	json_w_kv_bool(w, "terminal", p->terminal);
	if (p->console_size) {
		json_w_key(w, "consoleSize");
		json_w_object_begin(w);
		json_w_kv_uint(w, "height", p->console_size->height);
		json_w_kv_uint(w, "width", p->console_size->width);
		json_w_object_end(w);
	}
	json_w_key(w, "user");
	json_w_object_begin(w);
	json_w_kv_uint(w, "uid", p->user.uid);
	json_w_kv_uint(w, "gid", p->user.gid);
	W_OPT_UINT(w, "umask", p->user.umask);
	if (p->user.n_additional_gids) {
		json_w_key(w, "additionalGids");
		json_w_array_begin(w);
		for (size_t i = 0; i < p->user.n_additional_gids; i++)
			json_w_uint(w, p->user.additional_gids[i]);
		json_w_array_end(w);
	}
	w_opt_string(w, "username", p->user.username);
	json_w_object_end(w);
	w_strv(w, "args", &p->args);
	w_opt_string(w, "commandLine", p->command_line);
	w_opt_strv(w, "env", &p->env);
	w_opt_string(w, "cwd", p->cwd);
	if (p->capabilities) {
		json_w_key(w, "capabilities");
		json_w_object_begin(w);
		w_capset(w, "bounding", &p->capabilities->bounding);
		w_capset(w, "effective", &p->capabilities->effective);
		w_capset(w, "inheritable", &p->capabilities->inheritable);
		w_capset(w, "permitted", &p->capabilities->permitted);
		w_capset(w, "ambient", &p->capabilities->ambient);
		json_w_object_end(w);
	}
	if (p->n_rlimits) {
		json_w_key(w, "rlimits");
		json_w_array_begin(w);
		for (size_t i = 0; i < p->n_rlimits; i++) {
			json_w_object_begin(w);
			json_w_kv_string(w, "type", NAME_OR(p->rlimits[i].type, rlimit_types, p->rlimits[i].resource));
			json_w_kv_uint(w, "hard", p->rlimits[i].hard);
			json_w_kv_uint(w, "soft", p->rlimits[i].soft);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	if (p->no_new_privileges_set)
		json_w_kv_bool(w, "noNewPrivileges", p->no_new_privileges);
	w_opt_string(w, "apparmorProfile", p->apparmor_profile);
	W_OPT_INT(w, "oomScoreAdj", p->oom_score_adj);
	w_opt_string(w, "selinuxLabel", p->selinux_label);
	if (p->io_priority) {
		json_w_key(w, "ioPriority");
		json_w_object_begin(w);
		json_w_kv_string(w, "class", NAME_OR(p->io_priority->class_name, ioprio_classes, p->io_priority->class));
		json_w_kv_int(w, "priority", p->io_priority->priority);
		json_w_object_end(w);
	}
	if (p->scheduler) {
		const struct oci_scheduler *s = p->scheduler;
		json_w_key(w, "scheduler");
		json_w_object_begin(w);
		json_w_kv_string(w, "policy", NAME_OR(s->policy_name, sched_policies, s->policy));
		W_OPT_INT(w, "nice", s->nice);
		W_OPT_INT(w, "priority", s->priority);
		w_bits(w, "flags", &s->flag_names, sched_flags, ARRAY_SIZE(sched_flags), s->flags);
		W_OPT_UINT(w, "runtime", s->runtime);
		W_OPT_UINT(w, "deadline", s->deadline);
		W_OPT_UINT(w, "period", s->period);
		json_w_object_end(w);
	}
	if (p->exec_cpu_affinity) {
		json_w_key(w, "execCPUAffinity");
		json_w_object_begin(w);
		w_opt_string(w, "initial", p->exec_cpu_affinity->initial);
		w_opt_string(w, "final", p->exec_cpu_affinity->final);
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

static void w_hook_list(json_writer *w, const char *key, const struct oci_hook_list *l)
{
	if (l->n == 0)
		return;
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < l->n; i++) {
		const struct oci_hook *h = &l->v[i];
		json_w_object_begin(w);
		json_w_kv_string(w, "path", h->path);
		w_opt_strv(w, "args", &h->args);
		w_opt_strv(w, "env", &h->env);
		W_OPT_INT(w, "timeout", h->timeout);
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

static void w_hooks(json_writer *w, const struct oci_hooks *h)
{
	json_w_object_begin(w);
	w_hook_list(w, "prestart", &h->prestart);
	w_hook_list(w, "createRuntime", &h->create_runtime);
	w_hook_list(w, "createContainer", &h->create_container);
	w_hook_list(w, "startContainer", &h->start_container);
	w_hook_list(w, "poststart", &h->poststart);
	w_hook_list(w, "poststop", &h->poststop);
	json_w_object_end(w);
}

static void w_throttle(json_writer *w, const char *key, const struct oci_throttle_device *d, size_t n)
{
	if (n == 0)
		return;
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		json_w_object_begin(w);
		json_w_kv_int(w, "major", d[i].major);
		json_w_kv_int(w, "minor", d[i].minor);
		json_w_kv_uint(w, "rate", d[i].rate);
		json_w_object_end(w);
	}
	json_w_array_end(w);
}

static void w_resources(json_writer *w, const struct oci_resources *r)
{
	json_w_object_begin(w);
	if (r->n_devices) {
		json_w_key(w, "devices");
		json_w_array_begin(w);
		for (size_t i = 0; i < r->n_devices; i++) {
			const struct oci_device_cgroup *d = &r->devices[i];
			char type[2] = { d->type, '\0' };
			json_w_object_begin(w);
			json_w_kv_bool(w, "allow", d->allow);
			json_w_kv_string(w, "type", type);
			W_OPT_INT(w, "major", d->major);
			W_OPT_INT(w, "minor", d->minor);
			w_opt_string(w, "access", d->access);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	if (r->memory) {
		const struct oci_memory *m = r->memory;
		json_w_key(w, "memory");
		json_w_object_begin(w);
		W_OPT_INT(w, "limit", m->limit);
		W_OPT_INT(w, "reservation", m->reservation);
		W_OPT_INT(w, "swap", m->swap);
		W_OPT_INT(w, "kernel", m->kernel);
		W_OPT_INT(w, "kernelTCP", m->kernel_tcp);
		W_OPT_UINT(w, "swappiness", m->swappiness);
		W_OPT_BOOL(w, "disableOOMKiller", m->disable_oom_killer);
		W_OPT_BOOL(w, "useHierarchy", m->use_hierarchy);
		W_OPT_BOOL(w, "checkBeforeUpdate", m->check_before_update);
		json_w_object_end(w);
	}
	if (r->cpu) {
		const struct oci_cpu *c = r->cpu;
		json_w_key(w, "cpu");
		json_w_object_begin(w);
		W_OPT_UINT(w, "shares", c->shares);
		W_OPT_INT(w, "quota", c->quota);
		W_OPT_UINT(w, "burst", c->burst);
		W_OPT_UINT(w, "period", c->period);
		W_OPT_INT(w, "realtimeRuntime", c->realtime_runtime);
		W_OPT_UINT(w, "realtimePeriod", c->realtime_period);
		w_opt_string(w, "cpus", c->cpus);
		w_opt_string(w, "mems", c->mems);
		W_OPT_INT(w, "idle", c->idle);
		json_w_object_end(w);
	}
	if (r->pids) {
		json_w_key(w, "pids");
		json_w_object_begin(w);
		json_w_kv_int(w, "limit", r->pids->limit);
		json_w_object_end(w);
	}
	if (r->block_io) {
		const struct oci_blkio *b = r->block_io;
		json_w_key(w, "blockIO");
		json_w_object_begin(w);
		W_OPT_UINT(w, "weight", b->weight);
		W_OPT_UINT(w, "leafWeight", b->leaf_weight);
		if (b->n_weight_device) {
			json_w_key(w, "weightDevice");
			json_w_array_begin(w);
			for (size_t i = 0; i < b->n_weight_device; i++) {
				const struct oci_weight_device *d = &b->weight_device[i];
				json_w_object_begin(w);
				json_w_kv_int(w, "major", d->major);
				json_w_kv_int(w, "minor", d->minor);
				W_OPT_UINT(w, "weight", d->weight);
				W_OPT_UINT(w, "leafWeight", d->leaf_weight);
				json_w_object_end(w);
			}
			json_w_array_end(w);
		}
		w_throttle(w, "throttleReadBpsDevice", b->throttle_read_bps, b->n_throttle_read_bps);
		w_throttle(w, "throttleWriteBpsDevice", b->throttle_write_bps, b->n_throttle_write_bps);
		w_throttle(w, "throttleReadIOPSDevice", b->throttle_read_iops, b->n_throttle_read_iops);
		w_throttle(w, "throttleWriteIOPSDevice", b->throttle_write_iops, b->n_throttle_write_iops);
		json_w_object_end(w);
	}
	if (r->n_hugepage_limits) {
		json_w_key(w, "hugepageLimits");
		json_w_array_begin(w);
		for (size_t i = 0; i < r->n_hugepage_limits; i++) {
			json_w_object_begin(w);
			json_w_kv_string(w, "pageSize", r->hugepage_limits[i].page_size);
			json_w_kv_uint(w, "limit", r->hugepage_limits[i].limit);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	if (r->network) {
		json_w_key(w, "network");
		json_w_object_begin(w);
		W_OPT_UINT(w, "classID", r->network->class_id);
		if (r->network->n_priorities) {
			json_w_key(w, "priorities");
			json_w_array_begin(w);
			for (size_t i = 0; i < r->network->n_priorities; i++) {
				json_w_object_begin(w);
				json_w_kv_string(w, "name", r->network->priorities[i].name);
				json_w_kv_uint(w, "priority", r->network->priorities[i].priority);
				json_w_object_end(w);
			}
			json_w_array_end(w);
		}
		json_w_object_end(w);
	}
	if (r->n_rdma) {
		json_w_key(w, "rdma");
		json_w_object_begin(w);
		for (size_t i = 0; i < r->n_rdma; i++) {
			json_w_key(w, r->rdma[i].device);
			json_w_object_begin(w);
			W_OPT_UINT(w, "hcaHandles", r->rdma[i].hca_handles);
			W_OPT_UINT(w, "hcaObjects", r->rdma[i].hca_objects);
			json_w_object_end(w);
		}
		json_w_object_end(w);
	}
	w_map(w, "unified", &r->unified);
	json_w_object_end(w);
}

static void w_seccomp(json_writer *w, const struct oci_seccomp *s)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "defaultAction", oci_seccomp_action_name(s->default_action));
	W_OPT_UINT(w, "defaultErrnoRet", s->default_errno_ret);
	w_opt_strv(w, "architectures", &s->architectures);
	w_opt_strv(w, "flags", &s->flags);
	w_opt_string(w, "listenerPath", s->listener_path);
	w_opt_string(w, "listenerMetadata", s->listener_metadata);
	if (s->n_syscalls) {
		json_w_key(w, "syscalls");
		json_w_array_begin(w);
		for (size_t i = 0; i < s->n_syscalls; i++) {
			const struct oci_seccomp_syscall *sc = &s->syscalls[i];
			json_w_object_begin(w);
			w_strv(w, "names", &sc->names);
			json_w_kv_string(w, "action", oci_seccomp_action_name(sc->action));
			W_OPT_UINT(w, "errnoRet", sc->errno_ret);
			if (sc->n_args) {
				json_w_key(w, "args");
				json_w_array_begin(w);
				for (size_t j = 0; j < sc->n_args; j++) {
					const struct oci_seccomp_arg *a = &sc->args[j];
					json_w_object_begin(w);
					json_w_kv_uint(w, "index", a->index);
					json_w_kv_uint(w, "value", a->value);
					if (a->value_two)
						json_w_kv_uint(w, "valueTwo", a->value_two);
					json_w_kv_string(w, "op", rlookup(seccomp_ops, ARRAY_SIZE(seccomp_ops),
									  (int)a->op));
					json_w_object_end(w);
				}
				json_w_array_end(w);
			}
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	json_w_object_end(w);
}

static void w_linux(json_writer *w, const struct oci_linux *l)
{
	json_w_object_begin(w);
	if (l->n_namespaces) {
		json_w_key(w, "namespaces");
		json_w_array_begin(w);
		for (size_t i = 0; i < l->n_namespaces; i++) {
			json_w_object_begin(w);
			json_w_kv_string(w, "type", oci_ns_name(l->namespaces[i].type));
			w_opt_string(w, "path", l->namespaces[i].path);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	w_id_mappings(w, "uidMappings", l->uid_mappings, l->n_uid_mappings);
	w_id_mappings(w, "gidMappings", l->gid_mappings, l->n_gid_mappings);
	if (l->n_time_offsets) {
		json_w_key(w, "timeOffsets");
		json_w_object_begin(w);
		for (size_t i = 0; i < l->n_time_offsets; i++) {
			json_w_key(w, l->time_offsets[i].clock);
			json_w_object_begin(w);
			json_w_kv_int(w, "secs", l->time_offsets[i].secs);
			json_w_kv_uint(w, "nanosecs", l->time_offsets[i].nanosecs);
			json_w_object_end(w);
		}
		json_w_object_end(w);
	}
	if (l->n_devices) {
		json_w_key(w, "devices");
		json_w_array_begin(w);
		for (size_t i = 0; i < l->n_devices; i++) {
			const struct oci_device *d = &l->devices[i];
			char type[2] = { d->type, '\0' };
			json_w_object_begin(w);
			json_w_kv_string(w, "type", type);
			json_w_kv_string(w, "path", d->path);
			if (d->type != 'p') {
				json_w_kv_int(w, "major", d->major);
				json_w_kv_int(w, "minor", d->minor);
			}
			W_OPT_UINT(w, "fileMode", d->file_mode);
			W_OPT_UINT(w, "uid", d->uid);
			W_OPT_UINT(w, "gid", d->gid);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	w_opt_string(w, "cgroupsPath", l->cgroups_path);
	if (l->resources) {
		json_w_key(w, "resources");
		w_resources(w, l->resources);
	}
	w_opt_string(w, "rootfsPropagation", l->rootfs_propagation);
	if (l->seccomp) {
		json_w_key(w, "seccomp");
		w_seccomp(w, l->seccomp);
	}
	w_map(w, "sysctl", &l->sysctl);
	if (l->masked_paths_set)
		w_strv(w, "maskedPaths", &l->masked_paths);
	if (l->readonly_paths_set)
		w_strv(w, "readonlyPaths", &l->readonly_paths);
	w_opt_string(w, "mountLabel", l->mount_label);
	if (l->personality) {
		json_w_key(w, "personality");
		json_w_object_begin(w);
		json_w_kv_string(w, "domain", l->personality->domain);
		w_opt_strv(w, "flags", &l->personality->flags);
		json_w_object_end(w);
	}
	if (l->intel_rdt) {
		const struct oci_intel_rdt *r = l->intel_rdt;
		json_w_key(w, "intelRdt");
		json_w_object_begin(w);
		w_opt_string(w, "closID", r->clos_id);
		w_opt_string(w, "l3CacheSchema", r->l3_cache_schema);
		w_opt_string(w, "memBwSchema", r->mem_bw_schema);
		w_opt_strv(w, "schemata", &r->schemata);
		W_OPT_BOOL(w, "enableMonitoring", r->enable_monitoring);
		W_OPT_BOOL(w, "enableCMT", r->enable_cmt);
		W_OPT_BOOL(w, "enableMBM", r->enable_mbm);
		json_w_object_end(w);
	}
	if (l->memory_policy) {
		json_w_key(w, "memoryPolicy");
		json_w_object_begin(w);
		const struct oci_memory_policy *mp = l->memory_policy;
		json_w_kv_string(w, "mode", NAME_OR(mp->mode_name, mpol_modes, mp->mode));
		w_opt_string(w, "nodes", mp->nodes);
		w_bits(w, "flags", &mp->flag_names, mpol_flags, ARRAY_SIZE(mpol_flags), mp->flags);
		json_w_object_end(w);
	}
	if (l->n_net_devices) {
		json_w_key(w, "netDevices");
		json_w_object_begin(w);
		for (size_t i = 0; i < l->n_net_devices; i++) {
			json_w_key(w, l->net_devices[i].host_name);
			json_w_object_begin(w);
			w_opt_string(w, "name", l->net_devices[i].name);
			json_w_object_end(w);
		}
		json_w_object_end(w);
	}
	json_w_object_end(w);
}

void oci_config_write(json_writer *w, const struct oci_config *c)
{
	json_w_object_begin(w);
	json_w_kv_string(w, "ociVersion", c->oci_version);
	if (c->process) {
		json_w_key(w, "process");
		w_process(w, c->process);
	}
	if (c->root) {
		json_w_key(w, "root");
		json_w_object_begin(w);
		json_w_kv_string(w, "path", c->root->path);
		if (c->root->readonly)
			json_w_kv_bool(w, "readonly", true);
		json_w_object_end(w);
	}
	w_opt_string(w, "hostname", c->hostname);
	w_opt_string(w, "domainname", c->domainname);
	if (c->n_mounts) {
		json_w_key(w, "mounts");
		json_w_array_begin(w);
		for (size_t i = 0; i < c->n_mounts; i++) {
			const struct oci_mount *m = &c->mounts[i];
			json_w_object_begin(w);
			json_w_kv_string(w, "destination", m->destination);
			w_opt_string(w, "type", m->type);
			w_opt_string(w, "source", m->source);
			w_opt_strv(w, "options", &m->options);
			w_id_mappings(w, "uidMappings", m->uid_mappings, m->n_uid_mappings);
			w_id_mappings(w, "gidMappings", m->gid_mappings, m->n_gid_mappings);
			json_w_object_end(w);
		}
		json_w_array_end(w);
	}
	if (c->hooks) {
		json_w_key(w, "hooks");
		w_hooks(w, c->hooks);
	}
	w_map(w, "annotations", &c->annotations);
	if (c->linux_cfg) {
		json_w_key(w, "linux");
		w_linux(w, c->linux_cfg);
	}
	json_w_object_end(w);
}
