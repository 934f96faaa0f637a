/* rampart: unit tests for seccomp.c, caps.c and selinux.c.
 *
 * The default profile is checked twice: statically (what it allows, how many
 * syscalls it allows without conditions) and by what the kernel does to a
 * process that runs under it.  Filters and capability sets are installed in
 * a forked child, which reports through its exit status; the parent reads
 * what the kernel shows (/proc/<pid>/status) where it can. */
#include "config-host.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h> /* the library's API, for the notify side */

#include "caps.h"
#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "oci-config.h"
#include "seccomp.h"
#include "selinux.h"
#include "utils.h"

/* Docker's default profile allows this many syscalls without conditions;
 * ours must allow fewer. */
#define DOCKER_UNCONDITIONAL 361

static struct oci_seccomp *default_profile(void)
{
	rp_err_t err = NULL;
	struct oci_seccomp *s = rp_seccomp_default_profile(&err);

	ck_assert_msg(s != NULL, "default profile: %s", err ? err->msg : "?");
	return s;
}

static struct oci_seccomp *parse(const char *json)
{
	rp_err_t err = NULL;
	struct oci_seccomp *s = oci_seccomp_parse(json, strlen(json), &err);

	ck_assert_msg(s != NULL, "%s: %s", json, err ? err->msg : "?");
	return s;
}

static bool is_unconditional_allow(const struct oci_seccomp_syscall *sc)
{
	return sc->action == OCI_SECCOMP_ALLOW && sc->n_args == 0;
}

/* Does any rule let `name` run (allow or log it)? */
static bool profile_lets_run(const struct oci_seccomp *s, const char *name)
{
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_syscall *sc = &s->syscalls[i];

		if (sc->action != OCI_SECCOMP_ALLOW && sc->action != OCI_SECCOMP_LOG)
			continue;
		for (size_t n = 0; n < sc->names.n; n++)
			if (strcmp(sc->names.v[n], name) == 0)
				return true;
	}
	return false;
}

/* Run fn in a child; its exit status is the number of failed checks, and
 * it says which on stderr. */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn(arg));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died with signal %d", WTERMSIG(status));
	return WEXITSTATUS(status);
}

static int install(const struct oci_seccomp *s)
{
	rp_err_t err = NULL;
	int notify_fd;

	if (rp_seccomp_install(s, &notify_fd, &err) < 0) {
		fprintf(stderr, "install: %s\n", err->msg);
		return -1;
	}
	return 0;
}

/* One syscall outcome: the return value r with errno, against expected_errno
 * (0: must succeed). */
static int expect(const char *what, long r, int expected_errno)
{
	int e = r < 0 ? errno : 0;

	if (e == expected_errno)
		return 0;
	fprintf(stderr, "%s: expected %s, got %s\n", what,
		expected_errno ? strerror(expected_errno) : "success", e ? strerror(e) : "success");
	return 1;
}

/* ------------------------------------------------------------ the profile */

START_TEST(default_profile_parses_and_compiles)
{
	struct oci_seccomp *s = default_profile();
	rp_err_t err = NULL;

	ck_assert_int_eq(s->default_action, OCI_SECCOMP_ERRNO);
	ck_assert(s->default_errno_ret.set);
	ck_assert_int_eq(s->default_errno_ret.value, EPERM);
	ck_assert_msg(rp_seccomp_validate(s, &err) == 0, "validate: %s", err ? err->msg : "?");
	oci_seccomp_free(s);
}
END_TEST

START_TEST(default_profile_allows_fewer_than_docker)
{
	struct oci_seccomp *s = default_profile();
	size_t names = 0, native = 0;

	for (size_t i = 0; i < s->n_syscalls; i++) {
		if (!is_unconditional_allow(&s->syscalls[i]))
			continue;
		for (size_t n = 0; n < s->syscalls[i].names.n; n++) {
			names++;
			if (seccomp_syscall_resolve_name(s->syscalls[i].names.v[n]) >= 0)
				native++;
		}
	}
	printf("default profile: %zu syscall names allowed without conditions "
	       "(%zu of them exist on this architecture); Docker: %d\n", names, native, DOCKER_UNCONDITIONAL);
	ck_assert_uint_lt(names, DOCKER_UNCONDITIONAL);
	oci_seccomp_free(s);
}
END_TEST

static const char *const must_be_denied[] = {
	"bpf", "mount", "umount", "umount2", "pivot_root", "move_mount", "fsopen", "fsconfig", "fsmount",
	"fspick", "open_tree", "mount_setattr", "kexec_load", "kexec_file_load", "init_module",
	"finit_module", "delete_module", "keyctl", "add_key", "request_key", "ptrace", "process_vm_readv",
	"process_vm_writev", "userfaultfd", "perf_event_open", "unshare", "setns", "clone3", "acct",
	"swapon", "swapoff", "reboot", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime",
	"syslog", "iopl", "ioperm", "lookup_dcookie", "quotactl", "quotactl_fd", "nfsservctl",
	"open_by_handle_at", "name_to_handle_at", "vm86", "vm86old", "uselib", "sysfs", "_sysctl", "kcmp",
	"pidfd_getfd", "fanotify_init", "io_uring_setup", "io_uring_enter", "io_uring_register",
	"modify_ldt", "vhangup", "migrate_pages", "move_pages", "process_madvise",
};

START_TEST(default_profile_denies_kernel_surface)
{
	struct oci_seccomp *s = default_profile();

	for (size_t i = 0; i < ARRAY_SIZE(must_be_denied); i++)
		ck_assert_msg(!profile_lets_run(s, must_be_denied[i]), "the default profile lets %s run",
			      must_be_denied[i]);
	oci_seccomp_free(s);
}
END_TEST

static int child_default_profile(void *arg)
{
	const struct oci_seccomp *s = arg;
	int fails = 0, fd;
	struct utsname u;

	if (install(s) < 0)
		return 100;
	/* still works */
	fails += expect("getpid", syscall(SYS_getpid), 0);
	fails += expect("write", write(STDERR_FILENO, "", 0), 0);
	fails += expect("uname", uname(&u), 0);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	fails += expect("socket(AF_UNIX)", fd, 0);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	fails += expect("socket(AF_INET6)", fd, 0);
	fd = socket(AF_NETLINK, SOCK_RAW, 0 /* NETLINK_ROUTE */);
	fails += expect("socket(AF_NETLINK, NETLINK_ROUTE)", fd, 0);
	fails += expect("personality(query)", personality(0xffffffff), 0);
	/* denied with EPERM */
	fails += expect("mount", mount("none", "/nonexistent-h5", "tmpfs", 0, NULL), EPERM);
	fails += expect("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER), EPERM);
	fails += expect("unshare(CLONE_NEWNS)", unshare(CLONE_NEWNS), EPERM);
	fails += expect("setns", setns(-1, 0), EPERM);
	fails += expect("bpf", syscall(SYS_bpf, BPF_PROG_LOAD, NULL, 0), EPERM);
	fails += expect("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0), EPERM);
	fails += expect("ptrace", ptrace(PTRACE_TRACEME, 0, NULL, NULL), EPERM);
	fails += expect("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0), EPERM);
	fails += expect("userfaultfd", syscall(SYS_userfaultfd, 0), EPERM);
	fails += expect("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL), EPERM);
	fails += expect("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0xdeadUL), EPERM);
	fails += expect("init_module", syscall(SYS_init_module, NULL, 0, ""), EPERM);
	fails += expect("personality(ADDR_NO_RANDOMIZE)", personality(ADDR_NO_RANDOMIZE), EPERM);
	/* clone with a namespace flag: the masked comparison on its flags */
	fails += expect("clone(CLONE_NEWUSER)",
			syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0), EPERM);
	/* chosen errnos */
	fails += expect("clone3", syscall(SYS_clone3, NULL, 0), ENOSYS);
	fails += expect("socket(AF_PACKET)", socket(AF_PACKET, SOCK_RAW, 0), EAFNOSUPPORT);
	fails += expect("socket(AF_VSOCK)", socket(AF_VSOCK, SOCK_STREAM, 0), EAFNOSUPPORT);
	fails += expect("socket(AF_ALG)", socket(AF_ALG, SOCK_SEQPACKET, 0), EAFNOSUPPORT);
	fails += expect("socket(AF_NETLINK, NETLINK_NETFILTER)", socket(AF_NETLINK, SOCK_RAW, 12), EPROTONOSUPPORT);
	/* and a plain fork still works (clone without namespace flags) */
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	fails += expect("fork", pid, 0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return fails;
}

START_TEST(default_profile_in_a_process)
{
	struct oci_seccomp *s = default_profile();

	ck_assert_int_eq(in_child(child_default_profile, s), 0);
	oci_seccomp_free(s);
}
END_TEST

/* ------------------------------------------------------- config profiles */

static int child_mkdir_enosys(void *arg)
{
	const struct oci_seccomp *s = arg;
	int fails = 0;

	if (install(s) < 0)
		return 100;
	fails += expect("mkdir", mkdir("/tmp/rp-h5-never", 0700), ENOSYS);
	fails += expect("getpid", getpid(), 0);
	return fails;
}

START_TEST(errno_ret_is_returned)
{
	struct oci_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\"],"
		"\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}");

	ck_assert_int_eq(in_child(child_mkdir_enosys, s), 0);
	oci_seccomp_free(s);
}
END_TEST

static int child_args(void *arg)
{
	const struct oci_seccomp *s = arg;
	int fails = 0;

	if (install(s) < 0)
		return 100;
	/* both comparisons match: denied */
	errno = 0;
	fails += expect("getpriority(PRIO_PROCESS, 424242)", getpriority(PRIO_PROCESS, 424242), 42);
	/* only one matches: the kernel answers (no such process) */
	errno = 0;
	fails += expect("getpriority(PRIO_PGRP, 424242)", getpriority(PRIO_PGRP, 424242), ESRCH);
	errno = 0;
	fails += expect("getpriority(PRIO_PROCESS, 0)", getpriority(PRIO_PROCESS, 0) == -1 && errno ? -1 : 0, 0);
	return fails;
}

START_TEST(args_are_anded)
{
	struct oci_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getpriority\"],"
		"\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42,\"args\":["
		"{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_EQ\"},"
		"{\"index\":1,\"value\":424242,\"op\":\"SCMP_CMP_EQ\"}]}]}");

	ck_assert_int_eq(in_child(child_args, s), 0);
	oci_seccomp_free(s);
}
END_TEST

START_TEST(rule_with_default_action_is_skipped)
{
	struct oci_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"},"
		"{\"names\":[\"read\",\"no_such_syscall_h5\"],\"action\":\"SCMP_ACT_ALLOW\"}],"
		"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_AARCH64\"]}");
	rp_err_t err = NULL;

	ck_assert_msg(rp_seccomp_validate(s, &err) == 0, "%s", err ? err->msg : "?");
	oci_seccomp_free(s);
}
END_TEST

/* A bad value must fail with a message naming the field.  The parser already
 * refuses unknown names; these go around it, as a caller building the model
 * in code would. */
static void expect_invalid(struct oci_seccomp *s, const char *field)
{
	rp_err_t err = NULL;

	ck_assert_int_eq(rp_seccomp_validate(s, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, field) != NULL, "\"%s\" does not name %s", err->msg, field);
	rp_error_free(&err);
}

START_TEST(bad_values_name_the_field)
{
	struct oci_seccomp *s = parse(
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		"{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}");
	char *saved;

	s->architectures.v = rp_xcalloc(2, sizeof(char *));
	s->architectures.v[0] = rp_xstrdup("SCMP_ARCH_VAX");
	s->architectures.n = 1;
	expect_invalid(s, "linux.seccomp.architectures[0]");
	free(s->architectures.v[0]);
	s->architectures.v[0] = rp_xstrdup("SCMP_ARCH_X86_64");

	s->flags.v = rp_xcalloc(2, sizeof(char *));
	s->flags.v[0] = rp_xstrdup("SECCOMP_FILTER_FLAG_BOGUS");
	s->flags.n = 1;
	expect_invalid(s, "linux.seccomp.flags[0]");
	saved = s->flags.v[0];
	s->flags.v[0] = rp_xstrdup("SECCOMP_FILTER_FLAG_LOG");
	free(saved);
	{
		rp_err_t err = NULL;
		ck_assert_msg(rp_seccomp_validate(s, &err) == 0, "LOG flag: %s", err ? err->msg : "?");
	}
#if !(SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6))
	free(s->flags.v[0]);
	s->flags.v[0] = rp_xstrdup("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
	expect_invalid(s, "is not supported by this build");
#endif
	free(s->flags.v[0]);
	s->flags.v[0] = NULL;
	s->flags.n = 0;

	s->syscalls[0].action = (enum oci_seccomp_action) 99;
	expect_invalid(s, "linux.seccomp.syscalls[0].action");
	s->syscalls[0].action = OCI_SECCOMP_ALLOW;

	s->syscalls[0].errno_ret = (opt_u32) { .set = true, .value = 5 };
	expect_invalid(s, "linux.seccomp.syscalls[0].errnoRet");
	s->syscalls[0].errno_ret.set = false;

	s->syscalls[1].args[0].op = (enum oci_seccomp_op) 99;
	expect_invalid(s, "linux.seccomp.syscalls[1].args[0].op");
	s->syscalls[1].args[0].op = OCI_SECCOMP_OP_EQ;

	s->syscalls[1].args[0].index = 6;
	expect_invalid(s, "linux.seccomp.syscalls[1].args[0].index");
	s->syscalls[1].args[0].index = 0;

	s->syscalls[0].action = OCI_SECCOMP_NOTIFY;
	expect_invalid(s, "linux.seccomp.listenerPath");
	s->syscalls[0].action = OCI_SECCOMP_ALLOW;

	s->default_errno_ret = (opt_u32) { .set = true, .value = 0x10000 };
	expect_invalid(s, "linux.seccomp.defaultErrnoRet");
	oci_seccomp_free(s);

	/* two comparisons of one argument cannot be ANDed by libseccomp */
	s = parse("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_NE\"},{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_NE\"}]}]}");
	expect_invalid(s, "linux.seccomp.syscalls[0].args[1]");
	oci_seccomp_free(s);
}
END_TEST

START_TEST(parser_names_bad_fields)
{
	static const struct { const char *json, *field; } cases[] = {
		{ "{\"defaultAction\":\"SCMP_ACT_BOGUS\"}", "defaultAction" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_VAX\"]}", "architectures[0]" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_NOPE\"]}", "flags[0]" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
		  "{\"names\":[\"read\"],\"action\":\"ALLOW\"}]}", "syscalls[1].action" },
		{ "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_SORTA\"}]}]}", "syscalls[0].args[0].op" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		rp_err_t err = NULL;
		struct oci_seccomp *s = oci_seccomp_parse(cases[i].json, strlen(cases[i].json), &err);

		ck_assert_msg(s == NULL, "%s parsed", cases[i].json);
		ck_assert_msg(strstr(err->msg, cases[i].field) != NULL, "\"%s\" does not name %s", err->msg,
			      cases[i].field);
		rp_error_free(&err);
	}
}
END_TEST

/* ---------------------------------------------------------------- notify */

static int child_notify(void *arg)
{
	const struct oci_seccomp *s = arg;
	rp_err_t err = NULL;
	struct utsname u;
	int fd, fails = 0;

	if (rp_seccomp_install(s, &fd, &err) < 0) {
		fprintf(stderr, "install: %s\n", err->msg);
		return 100;
	}
	if (fd < 0) {
		fprintf(stderr, "no notify fd\n");
		return 101;
	}
	if (rp_seccomp_send_listener(s, fd, "{\"ociVersion\":\"1.3.0\",\"id\":\"h5\",\"status\":\"creating\","
				     "\"pid\":4242,\"bundle\":\"/b\"}", &err) < 0) {
		fprintf(stderr, "send: %s\n", err->msg);
		return 102;
	}
	close(fd);
	/* the listener answers uname with errno 77 */
	fails += expect("uname", uname(&u), 77);
	return fails;
}

START_TEST(notify_sends_fd_and_state)
{
	_cleanup_free_ char *dir = rp_xstrdup("/tmp/rp-h5-notify-XXXXXX");
	_cleanup_free_ char *path = NULL, *json = NULL;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;
	char buf[4096], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	int lsock, conn, notify_fd = -1, status;
	ssize_t n;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = rp_xasprintf("%s/listener.sock", dir);
	strcpy(addr.sun_path, path);
	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(lsock, 0);
	ck_assert_int_eq(bind(lsock, (struct sockaddr *) &addr, sizeof(addr)), 0);
	ck_assert_int_eq(listen(lsock, 1), 0);

	json = rp_xasprintf("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"%s\","
			    "\"listenerMetadata\":\"hello-agent\",\"syscalls\":[{\"names\":[\"uname\"],"
			    "\"action\":\"SCMP_ACT_NOTIFY\"}]}", path);
	struct oci_seccomp *s = parse(json);

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child_notify(s));

	conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	ck_assert_int_ge(conn, 0);
	n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&notify_fd, CMSG_DATA(c), sizeof(int));
	ck_assert_int_ge(notify_fd, 0);
	/* the container process state, as config-linux.md shows it */
	{
		rp_err_t err = NULL;
		json_value *v = json_parse(buf, (size_t) n, &err);

		ck_assert_msg(v != NULL, "%s: %s", buf, err ? err->msg : "?");
		ck_assert_str_eq(json_string(json_array_get(json_object_get(v, "fds"), 0)), "seccompFd");
		ck_assert_str_eq(json_string(json_object_get(v, "metadata")), "hello-agent");
		ck_assert_str_eq(json_string(json_object_get(json_object_get(v, "state"), "id")), "h5");
		ck_assert_ptr_nonnull(json_object_get(v, "ociVersion"));
		int64_t p = 0;
		ck_assert(json_to_i64(json_object_get(v, "pid"), &p) && p == 4242);
		json_free(v);
	}
	/* answer the child's uname */
	ck_assert_int_eq(seccomp_notify_alloc(&req, &resp), 0);
	ck_assert_int_eq(seccomp_notify_receive(notify_fd, req), 0);
	ck_assert_int_eq(req->pid, pid);
	ck_assert_int_eq(req->data.nr, seccomp_syscall_resolve_name("uname"));
	resp->id = req->id;
	resp->error = -77;
	resp->val = 0;
	resp->flags = 0;
	ck_assert_int_eq(seccomp_notify_respond(notify_fd, resp), 0);
	seccomp_notify_free(req, resp);

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	close(notify_fd);
	close(conn);
	close(lsock);
	unlink(path);
	rmdir(dir);
	oci_seccomp_free(s);
}
END_TEST

/* ------------------------------------------------------------------ caps */

static uint64_t status_mask(pid_t pid, const char *key)
{
	_cleanup_free_ char *path = rp_xasprintf("/proc/%d/status", (int) pid);
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char line[256];
	unsigned long long v;

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0 && sscanf(line + strlen(key), ":\t%llx", &v) == 1)
			return v;
	ck_abort_msg("%s: no %s line", path, key);
	return 0;
}

static int child_caps(void *arg)
{
	const struct oci_capabilities *caps = arg;
	rp_err_t err = NULL;

	if (rp_caps_apply_bounding(caps, &err) < 0 || rp_caps_apply_final(caps, &err) < 0) {
		fprintf(stderr, "caps: %s\n", err->msg);
		return 100;
	}
	/* stopped, so the parent reads our /proc/<pid>/status */
	raise(SIGSTOP);
	return 0;
}

struct capsets { uint64_t bnd, eff, prm, inh, amb; };

static struct capsets run_caps(const struct oci_capabilities *caps)
{
	struct capsets got;
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child_caps((void *) caps));
	ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
	ck_assert_msg(WIFSTOPPED(status), "child did not stop (status %d)", status);
	got.bnd = status_mask(pid, "CapBnd");
	got.eff = status_mask(pid, "CapEff");
	got.prm = status_mask(pid, "CapPrm");
	got.inh = status_mask(pid, "CapInh");
	got.amb = status_mask(pid, "CapAmb");
	kill(pid, SIGCONT);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	return got;
}

#define CAPBIT(c) (UINT64_C(1) << (c))

static void set_caps(struct oci_capset *s, uint64_t mask)
{
	s->set = true;
	s->mask = mask;
}

START_TEST(caps_match_config)
{
	struct oci_capabilities caps = { 0 };
	struct capsets got;

	if (geteuid() != 0)
		return; /* checked by the skip in main */
	set_caps(&caps.bounding, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL) | CAPBIT(CAP_NET_BIND_SERVICE));
	set_caps(&caps.permitted, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL));
	set_caps(&caps.effective, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL));
	set_caps(&caps.inheritable, CAPBIT(CAP_KILL));
	set_caps(&caps.ambient, CAPBIT(CAP_KILL));
	got = run_caps(&caps);
	ck_assert_uint_eq(got.bnd, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL) | CAPBIT(CAP_NET_BIND_SERVICE));
	ck_assert_uint_eq(got.prm, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL));
	ck_assert_uint_eq(got.eff, CAPBIT(CAP_CHOWN) | CAPBIT(CAP_KILL));
	ck_assert_uint_eq(got.inh, CAPBIT(CAP_KILL));
	ck_assert_uint_eq(got.amb, CAPBIT(CAP_KILL));
}
END_TEST

START_TEST(caps_absent_means_empty)
{
	struct oci_capabilities caps = { 0 };
	struct capsets got;

	if (geteuid() != 0)
		return;
	got = run_caps(NULL);
	ck_assert_uint_eq(got.bnd | got.prm | got.eff | got.inh | got.amb, 0);

	/* permitted/effective given, inheritable not: it stays empty */
	set_caps(&caps.bounding, CAPBIT(CAP_CHOWN));
	set_caps(&caps.permitted, CAPBIT(CAP_CHOWN));
	set_caps(&caps.effective, CAPBIT(CAP_CHOWN));
	got = run_caps(&caps);
	ck_assert_uint_eq(got.inh, 0);
	ck_assert_uint_eq(got.amb, 0);
	ck_assert_uint_eq(got.eff, CAPBIT(CAP_CHOWN));
}
END_TEST

START_TEST(caps_unknown_to_kernel_are_skipped)
{
	struct oci_capabilities caps = { 0 };
	struct capsets got;
	int last = rp_caps_last_cap();

	if (geteuid() != 0 || last >= 62)
		return;
	ck_assert_int_gt(last, 30);
	/* bit 62: no kernel knows it; a warning, not a failure */
	set_caps(&caps.bounding, CAPBIT(CAP_KILL) | CAPBIT(62));
	set_caps(&caps.permitted, CAPBIT(CAP_KILL) | CAPBIT(62));
	set_caps(&caps.effective, CAPBIT(CAP_KILL) | CAPBIT(62));
	got = run_caps(&caps);
	ck_assert_uint_eq(got.bnd, CAPBIT(CAP_KILL));
	ck_assert_uint_eq(got.eff, CAPBIT(CAP_KILL));
}
END_TEST

/* --------------------------------------------------------------- selinux */

START_TEST(selinux_disabled_is_a_noop)
{
	rp_err_t err = NULL;
	char *proc = (char *) 1, *mnt = (char *) 1;
	_cleanup_free_ char *data = NULL;

	if (rp_selinux_enabled())
		return; /* this test describes a host without SELinux */
	ck_assert_int_eq(rp_selinux_set_exec_label("system_u:system_r:container_t:s0:c1,c2", &err), 0);
	ck_assert_int_eq(rp_selinux_set_keycreate_label("system_u:system_r:container_t:s0:c1,c2", &err), 0);
	data = rp_selinux_mount_data("mode=755", "tmpfs", "system_u:object_r:container_file_t:s0:c1,c2");
	ck_assert_str_eq(data, "mode=755");
	ck_assert_int_eq(rp_selinux_auto_labels("/tmp/rp-h5-nonexistent-root", "c1", &proc, &mnt, &err), 0);
	ck_assert_ptr_null(proc);
	ck_assert_ptr_null(mnt);
}
END_TEST

START_TEST(selinux_mount_data_never_for_proc)
{
	_cleanup_free_ char *a = rp_selinux_mount_data("nosuid", "proc", "system_u:object_r:x_t:s0");
	_cleanup_free_ char *b = rp_selinux_mount_data(NULL, "sysfs", "system_u:object_r:x_t:s0");
	_cleanup_free_ char *c = rp_selinux_mount_data("size=1m", "tmpfs", NULL);

	ck_assert_str_eq(a, "nosuid");
	ck_assert_str_eq(b, "");
	ck_assert_str_eq(c, "size=1m");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("seccomp-caps-selinux");
	TCase *profile = tcase_create("profile");
	TCase *filters = tcase_create("filters");
	TCase *caps = tcase_create("caps");
	TCase *selinux = tcase_create("selinux");
	SRunner *sr;
	int failed;

	tcase_add_test(profile, default_profile_parses_and_compiles);
	tcase_add_test(profile, default_profile_allows_fewer_than_docker);
	tcase_add_test(profile, default_profile_denies_kernel_surface);
	tcase_add_test(profile, default_profile_in_a_process);
	tcase_set_timeout(profile, 30);
	suite_add_tcase(s, profile);

	tcase_add_test(filters, errno_ret_is_returned);
	tcase_add_test(filters, args_are_anded);
	tcase_add_test(filters, rule_with_default_action_is_skipped);
	tcase_add_test(filters, bad_values_name_the_field);
	tcase_add_test(filters, parser_names_bad_fields);
	tcase_add_test(filters, notify_sends_fd_and_state);
	tcase_set_timeout(filters, 30);
	suite_add_tcase(s, filters);

	if (geteuid() == 0) {
		tcase_add_test(caps, caps_match_config);
		tcase_add_test(caps, caps_absent_means_empty);
		tcase_add_test(caps, caps_unknown_to_kernel_are_skipped);
		suite_add_tcase(s, caps);
	} else {
		printf("SKIP caps tests: they change capability sets and need root\n");
	}

	tcase_add_test(selinux, selinux_disabled_is_a_noop);
	tcase_add_test(selinux, selinux_mount_data_never_for_proc);
	suite_add_tcase(s, selinux);

	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
