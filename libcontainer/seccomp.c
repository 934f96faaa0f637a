/* rampart: seccomp filters from an OCI LinuxSeccomp, through libseccomp.
 *
 * One function, build_filter(), turns the model into a libseccomp context;
 * validate compiles it and throws it away, install loads it.  Every error
 * names the JSON path of the field at fault ("linux.seccomp.syscalls[3].action")
 * so the person who wrote the profile knows what to change. */
#include "config-host.h"

#include <errno.h>
#include <seccomp.h> /* the library (-iquote keeps "seccomp.h", ours, apart) */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "oci-config.h"
#include "seccomp.h"
#include "utils.h"

/* The profile compiled in by seccomp-profile.S (NUL-terminated). */
extern const char rp_seccomp_default_json[];

#define FIELD "linux.seccomp"

static void rp_seccomp_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}
#define _cleanup_seccomp_ __attribute__((cleanup(rp_seccomp_releasep)))

struct oci_seccomp *rp_seccomp_default_profile(rp_err_t *err)
{
	struct oci_seccomp *s;

	s = oci_seccomp_parse(rp_seccomp_default_json, strlen(rp_seccomp_default_json), err);
	if (s == NULL)
		rp_error_prefix(err, "the built-in default seccomp profile");
	return s;
}

/* errnoRet only means something to ERRNO (the errno) and TRACE (the
 * message the tracer sees); the spec wants an error for any other action. */
static int action_to_scmp(enum oci_seccomp_action action, opt_u32 errno_ret, uint32_t *out,
			  const char *action_field, const char *errno_field, rp_err_t *err)
{
	uint32_t data = errno_ret.set ? errno_ret.value : EPERM;

	if (errno_ret.set && action != OCI_SECCOMP_ERRNO && action != OCI_SECCOMP_TRACE)
		return rp_error(err, 0, "%s: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not %s",
				errno_field, oci_seccomp_action_name(action));
	/* The kernel keeps 16 bits of data in the filter's return value. */
	if (data > 0xffff)
		return rp_error(err, 0, "%s: %u does not fit seccomp's 16-bit return data",
				errno_field, data);

	switch (action) {
	case OCI_SECCOMP_KILL:         *out = SCMP_ACT_KILL; return 0;
	case OCI_SECCOMP_KILL_PROCESS: *out = SCMP_ACT_KILL_PROCESS; return 0;
	case OCI_SECCOMP_KILL_THREAD:  *out = SCMP_ACT_KILL_THREAD; return 0;
	case OCI_SECCOMP_TRAP:         *out = SCMP_ACT_TRAP; return 0;
	case OCI_SECCOMP_ERRNO:        *out = SCMP_ACT_ERRNO(data); return 0;
	case OCI_SECCOMP_TRACE:        *out = SCMP_ACT_TRACE(data); return 0;
	case OCI_SECCOMP_ALLOW:        *out = SCMP_ACT_ALLOW; return 0;
	case OCI_SECCOMP_LOG:          *out = SCMP_ACT_LOG; return 0;
	case OCI_SECCOMP_NOTIFY:       *out = SCMP_ACT_NOTIFY; return 0;
	}
	return rp_error(err, 0, "%s: unknown action %d", action_field, (int) action);
}

static int op_to_scmp(enum oci_seccomp_op op, enum scmp_compare *out)
{
	switch (op) {
	case OCI_SECCOMP_OP_NE:        *out = SCMP_CMP_NE; return 0;
	case OCI_SECCOMP_OP_LT:        *out = SCMP_CMP_LT; return 0;
	case OCI_SECCOMP_OP_LE:        *out = SCMP_CMP_LE; return 0;
	case OCI_SECCOMP_OP_EQ:        *out = SCMP_CMP_EQ; return 0;
	case OCI_SECCOMP_OP_GE:        *out = SCMP_CMP_GE; return 0;
	case OCI_SECCOMP_OP_GT:        *out = SCMP_CMP_GT; return 0;
	case OCI_SECCOMP_OP_MASKED_EQ: *out = SCMP_CMP_MASKED_EQ; return 0;
	}
	return -1;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64" -> its token. */
static int arch_token(const char *name, uint32_t *token)
{
	char lower[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof(lower))
		return -1;
	for (i = 0; name[10 + i]; i++)
		lower[i] = (char) (name[10 + i] >= 'A' && name[10 + i] <= 'Z' ? name[10 + i] - 'A' + 'a' : name[10 + i]);
	lower[i] = '\0';
	*token = seccomp_arch_resolve_name(lower);
	return *token == 0 ? -1 : 0;
}

/* Is this process under a seccomp filter already?  (Then probing a syscall
 * ABI the filter does not list could kill it.) */
static bool self_filtered(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");
	char line[128];
	int mode;

	if (f == NULL)
		return true;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			return mode != 0;
	return true;
}

/* Can a process on this kernel make x32 syscalls?  Debian and most
 * distributions build the ABI but leave it off (syscall.x32=n). */
static bool x32_enabled(void)
{
#ifdef __x86_64__
	static int enabled = -1;

	if (enabled < 0)
		enabled = self_filtered() || syscall(0x40000000 | SYS_getpid) >= 0;
	return enabled;
#else
	return true;
#endif
}

/* Can a syscall of this architecture reach the kernel here at all?  The
 * filter's code for an architecture the kernel cannot run never matches,
 * but libseccomp spends ~25 ms per architecture generating it; profiles
 * list every architecture they support (x86 and arm alike), so this is
 * most of the cost of loading them.  Hosts not in the table keep all. */
static bool arch_runs_here(uint32_t token)
{
	uint32_t native = seccomp_arch_native();

	if (token == native)
		return true;
	switch (native) {
	case SCMP_ARCH_X86_64:
		return token == SCMP_ARCH_X86 || (token == SCMP_ARCH_X32 && x32_enabled());
	case SCMP_ARCH_AARCH64:
		return token == SCMP_ARCH_ARM;
	default:
		return true;
	}
}

static int add_architectures(scmp_filter_ctx ctx, const struct oci_seccomp *s, rp_err_t *err)
{
	for (size_t i = 0; i < s->architectures.n; i++) {
		const char *name = s->architectures.v[i];
		uint32_t token;
		int rc;

		if (arch_token(name, &token) < 0)
			return rp_error(err, 0, FIELD ".architectures[%zu]: unknown architecture \"%s\"", i, name);
		if (!arch_runs_here(token)) {
			rp_debug("seccomp: %s cannot run on this kernel; left out of the filter", name);
			continue;
		}
		rc = seccomp_arch_add(ctx, token);
		/* The native architecture is always in a new filter. */
		if (rc < 0 && rc != -EEXIST)
			return rp_error(err, -rc, FIELD ".architectures[%zu]: cannot add %s", i, name);
	}
	return 0;
}

static int set_flags(scmp_filter_ctx ctx, const struct oci_seccomp *s, rp_err_t *err)
{
	static const struct {
		const char *name;
		int attr; /* -1: this libseccomp has no attribute for it */
	} flags[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", SCMP_FLTATR_CTL_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", SCMP_FLTATR_CTL_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SCMP_FLTATR_CTL_SSB },
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
		{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SCMP_FLTATR_CTL_WAITKILL },
#else
		{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", -1 },
#endif
	};

	for (size_t i = 0; i < s->flags.n; i++) {
		const char *name = s->flags.v[i];
		size_t f;
		int rc;

		for (f = 0; f < ARRAY_SIZE(flags); f++)
			if (strcmp(flags[f].name, name) == 0)
				break;
		if (f == ARRAY_SIZE(flags))
			return rp_error(err, 0, FIELD ".flags[%zu]: unknown flag \"%s\"", i, name);
		/* Silently dropping a flag would weaken or change the filter
		 * without telling anyone. */
		if (flags[f].attr < 0)
			return rp_error(err, EOPNOTSUPP,
					FIELD ".flags[%zu]: flag %s is not supported by this build (libseccomp %d.%d.%d)",
					i, name, SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
		rc = seccomp_attr_set(ctx, (enum scmp_filter_attr) flags[f].attr, 1);
		if (rc < 0)
			return rp_error(err, -rc, FIELD ".flags[%zu]: cannot set %s", i, name);
	}
	return 0;
}

static int build_args(const struct oci_seccomp_syscall *sc, size_t i,
		      struct scmp_arg_cmp *cmps, rp_err_t *err)
{
	if (sc->n_args > 6)
		return rp_error(err, 0, FIELD ".syscalls[%zu].args: %zu comparisons, a syscall has only 6 arguments",
				i, sc->n_args);
	for (size_t k = 0; k < sc->n_args; k++) {
		const struct oci_seccomp_arg *a = &sc->args[k];
		enum scmp_compare op;

		if (a->index > 5)
			return rp_error(err, 0, FIELD ".syscalls[%zu].args[%zu].index: %u is not an argument index (0-5)",
					i, k, a->index);
		if (op_to_scmp(a->op, &op) < 0)
			return rp_error(err, 0, FIELD ".syscalls[%zu].args[%zu].op: unknown operator %d",
					i, k, (int) a->op);
		/* libseccomp compares each argument once per rule: the
		 * comparisons of one rule are ANDed, so two on one argument
		 * cannot be expressed.  Say so instead of guessing. */
		for (size_t j = 0; j < k; j++)
			if (sc->args[j].index == a->index)
				return rp_error(err, 0,
						FIELD ".syscalls[%zu].args[%zu]: argument %u is already compared by args[%zu]; "
						"comparisons of one rule are ANDed and libseccomp allows one per argument "
						"(write separate rules to OR them)", i, k, a->index, j);
		/* For MASKED_EQ, value is the mask and valueTwo the datum. */
		cmps[k] = (struct scmp_arg_cmp) {
			.arg = a->index, .op = op, .datum_a = a->value, .datum_b = a->value_two,
		};
	}
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct oci_seccomp_syscall *sc, size_t i,
		    uint32_t default_action, bool *uses_notify, rp_err_t *err)
{
	struct scmp_arg_cmp cmps[6];
	_cleanup_free_ char *field = rp_xasprintf(FIELD ".syscalls[%zu]", i);
	_cleanup_free_ char *afield = rp_xasprintf("%s.action", field);
	_cleanup_free_ char *efield = rp_xasprintf("%s.errnoRet", field);
	uint32_t action;

	if (sc->names.n == 0)
		return rp_error(err, 0, "%s.names: at least one syscall name is required", field);
	if (action_to_scmp(sc->action, sc->errno_ret, &action, afield, efield, err) < 0)
		return -1;
	if (build_args(sc, i, cmps, err) < 0)
		return -1;
	/* libseccomp refuses a rule that repeats the default action; such a
	 * rule changes nothing, so it is dropped. */
	if (action == default_action) {
		rp_debug("seccomp: %s has the default action %s; nothing to add", field,
			 oci_seccomp_action_name(sc->action));
		return 0;
	}
	if (sc->action == OCI_SECCOMP_NOTIFY)
		*uses_notify = true;

	for (size_t n = 0; n < sc->names.n; n++) {
		const char *name = sc->names.v[n];
		int nr = seccomp_syscall_resolve_name(name);
		int rc;

		/* Profiles name the syscalls of every architecture they cover;
		 * a name libseccomp does not know for any of ours is skipped. */
		if (nr == __NR_SCMP_ERROR) {
			rp_debug("seccomp: %s.names[%zu]: syscall \"%s\" is unknown here, skipped", field, n, name);
			continue;
		}
		rc = seccomp_rule_add_array(ctx, action, nr, (unsigned) sc->n_args, cmps);
		if (rc < 0)
			return rp_error(err, -rc, "%s: cannot add the rule for \"%s\"", field, name);
	}
	return 0;
}

/* Build the whole filter.  *uses_notify tells whether a rule notifies. */
static scmp_filter_ctx build_filter(const struct oci_seccomp *s, bool *uses_notify, rp_err_t *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	uint32_t default_action;
	int rc;

	*uses_notify = false;
	if (s->listener_metadata && !s->listener_path) {
		rp_error(err, 0, FIELD ".listenerMetadata: set without listenerPath");
		return NULL;
	}
	if (action_to_scmp(s->default_action, s->default_errno_ret, &default_action,
			   FIELD ".defaultAction", FIELD ".defaultErrnoRet", err) < 0)
		return NULL;

	ctx = seccomp_init(default_action);
	if (ctx == NULL) {
		rp_error(err, EINVAL, FIELD ".defaultAction: libseccomp cannot start a filter with %s",
			 oci_seccomp_action_name(s->default_action));
		return NULL;
	}
	/* no_new_privs is the config's decision (process.noNewPrivileges),
	 * not a side effect of loading a filter. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0) {
		rp_error(err, -rc, FIELD ": cannot clear SCMP_FLTATR_CTL_NNP");
		return NULL;
	}
	/* Give us the kernel's errno rather than libseccomp's -ECANCELED. */
	(void) seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);

	if (add_architectures(ctx, s, err) < 0 || set_flags(ctx, s, err) < 0)
		return NULL;
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (add_rule(ctx, &s->syscalls[i], i, default_action, uses_notify, err) < 0)
			return NULL;

	if (s->default_action == OCI_SECCOMP_NOTIFY)
		*uses_notify = true;
	/* A notifying filter with nobody listening would hang the container
	 * on its first notified syscall. */
	if (*uses_notify && s->listener_path == NULL) {
		rp_error(err, 0, FIELD ".listenerPath: required when SCMP_ACT_NOTIFY is used");
		return NULL;
	}
	return take_ptr(ctx);
}

/* Building the filter checks every action, flag, argument and rule with
 * libseccomp.  Generating the BPF as well would add tens of milliseconds to
 * every create for the one error it alone finds (a program too large for
 * the kernel), which install still reports. */
int rp_seccomp_validate(const struct oci_seccomp *s, rp_err_t *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	bool uses_notify;

	ctx = build_filter(s, &uses_notify, err);
	return ctx == NULL ? -1 : 0;
}

int rp_seccomp_install(const struct oci_seccomp *s, int *notify_fd, rp_err_t *err)
{
	_cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
	bool uses_notify;
	int rc;

	*notify_fd = -1;
	ctx = build_filter(s, &uses_notify, err);
	if (ctx == NULL)
		return -1;
	rc = seccomp_load(ctx);
	if (rc < 0)
		return rp_error(err, -rc, "load the seccomp filter");
	if (uses_notify) {
		/* The listener fd comes from the kernel with O_CLOEXEC set. */
		rc = seccomp_notify_fd(ctx);
		if (rc < 0)
			return rp_error(err, -rc, "get the seccomp notify fd");
		*notify_fd = rc;
	}
	return 0;
}

/* --------------------------------------------------------- the listener */

/* The "container process state" of config-linux.md.  state_json is either
 * the OCI state of the container (wrapped here) or, when it already has a
 * "state" member, a complete container process state (sent as given). */
static char *process_state_json(const struct oci_seccomp *s, const char *state_json, rp_err_t *err)
{
	json_value *state = json_parse(state_json, strlen(state_json), err);
	json_writer *w;
	json_value *pid;
	const char *version, *buf;
	char *out;
	int64_t pid_value = 0;
	size_t len;

	if (state == NULL)
		return NULL;
	if (json_typeof(state) != JSON_OBJECT) {
		json_free(state);
		rp_error(err, 0, "the container state is %s, not an object", json_type_name(state));
		return NULL;
	}
	if (json_object_get(state, "state")) {
		json_free(state);
		return rp_xstrdup(state_json);
	}
	version = json_string(json_object_get(state, "ociVersion"));
	pid = json_object_get(state, "pid");
	if (pid)
		(void) json_to_i64(pid, &pid_value);

	w = json_writer_new(false);
	json_w_object_begin(w);
	json_w_kv_string(w, "ociVersion", version ? version : OCI_SPEC_VERSION);
	json_w_key(w, "fds");
	json_w_array_begin(w);
	json_w_string(w, "seccompFd");
	json_w_array_end(w);
	json_w_kv_int(w, "pid", pid_value);
	if (s->listener_metadata)
		json_w_kv_string(w, "metadata", s->listener_metadata);
	json_w_key(w, "state");
	json_w_value(w, state);
	json_w_object_end(w);
	buf = json_writer_buf(w, &len);
	out = rp_xmalloc(len + 1);
	memcpy(out, buf, len);
	out[len] = '\0';
	json_writer_free(w);
	json_free(state);
	return out;
}

static int send_with_fd(int sock, const char *buf, size_t len, int fd, rp_err_t *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = (void *) buf, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;

	memset(&control, 0, sizeof(control));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

	/* The fd travels with the first sendmsg only, as the spec requires. */
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rp_error(err, errno, "sendmsg");
	if ((size_t) n < len) {
		for (size_t off = (size_t) n; off < len; off += (size_t) n) {
			do
				n = send(sock, buf + off, len - off, MSG_NOSIGNAL);
			while (n < 0 && errno == EINTR);
			if (n < 0)
				return rp_error(err, errno, "send");
		}
	}
	return 0;
}

int rp_seccomp_send_listener(const struct oci_seccomp *s, int notify_fd,
			     const char *state_json, rp_err_t *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	_cleanup_close_ int sock = -1;
	_cleanup_free_ char *payload = NULL;

	if (s->listener_path == NULL)
		return rp_error(err, 0, FIELD ".listenerPath: not set");
	if (notify_fd < 0)
		return rp_error(err, EBADF, FIELD ".listenerPath: no seccomp notify fd to send");
	if (strlen(s->listener_path) >= sizeof(addr.sun_path))
		return rp_error(err, ENAMETOOLONG, FIELD ".listenerPath: \"%s\"", s->listener_path);
	strcpy(addr.sun_path, s->listener_path);

	payload = process_state_json(s, state_json, err);
	if (payload == NULL)
		return rp_error_prefix(err, FIELD ".listenerPath: build the container process state");

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return rp_error(err, errno, "socket");
	if (connect(sock, (struct sockaddr *) &addr, sizeof(addr)) < 0)
		return rp_error(err, errno, FIELD ".listenerPath: connect to %s", s->listener_path);
	if (send_with_fd(sock, payload, strlen(payload), notify_fd, err) < 0)
		return rp_error_prefix(err, FIELD ".listenerPath: send the seccomp fd to %s", s->listener_path);
	/* One state per connection, then the connection is closed (by the
	 * cleanup of sock). */
	return 0;
}
