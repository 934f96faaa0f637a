/* rampart: unit tests for state.c and hooks.c.
 *
 * The state tests work in a private directory and use real processes (a
 * forked child) for liveness; the hook tests run real programs (/bin/sh)
 * and check what they saw through files they write. */
#include "config-host.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "json.h"
#include "state.h"
#include "utils.h"

static char tmpdir[] = "/tmp/rp-test-state-XXXXXX";
static char *root;

static void setup(void)
{
	strcpy(tmpdir, "/tmp/rp-test-state-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	root = rp_xasprintf("%s/root", tmpdir);
}

static void teardown(void)
{
	char *cmd = rp_xasprintf("rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(root);
}

static unsigned long long start_time_of(pid_t pid)
{
	char path[64];
	char *buf = NULL, *p;
	size_t len;
	unsigned long long t;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ck_assert_int_eq(rp_read_file(path, &buf, &len, 4096, NULL), 0);
	p = strrchr(buf, ')') + 2;
	for (int f = 3; f < 22; f++)
		p = strchr(p, ' ') + 1;
	t = strtoull(p, NULL, 10);
	free(buf);
	return t;
}

static void fill(struct rp_state *st, const char *id, pid_t pid)
{
	memset(st, 0, sizeof(*st));
	st->oci_version = rp_xstrdup("1.2.0");
	st->id = rp_xstrdup(id);
	st->status = RP_CREATED;
	st->pid = pid;
	st->pid_start_time = pid > 0 ? start_time_of(pid) : 0;
	st->bundle = rp_xstrdup("/b");
	st->rootfs = rp_xstrdup("/b/rootfs");
	st->created = rp_xstrdup("2026-11-23T01:02:03.000000001Z");
	st->owner = rp_xstrdup("");
	st->annotations = json_parse("{\"k\":\"v\"}", 9, NULL);
	st->config_path = rp_xstrdup("/b/config.json");
	st->use_console_socket = true;
}

START_TEST(test_validate_id)
{
	static const char *const good[] = { "a", "web-1", "A_b.c+d", "x..y" };
	static const char *const bad[] = { "", ".", "..", ".x", "a/b", "../x", "a b", "a\nb", "é" };
	char long_id[1026];

	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		ck_assert_msg(rp_validate_id(good[i], NULL) == 0, "%s", good[i]);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(rp_validate_id(bad[i], NULL) < 0, "%s", bad[i]);
	memset(long_id, 'x', 1024);
	long_id[1024] = '\0';
	ck_assert_int_eq(rp_validate_id(long_id, NULL), 0);
	long_id[1024] = 'x';
	long_id[1025] = '\0';
	ck_assert_int_lt(rp_validate_id(long_id, NULL), 0);
}
END_TEST

START_TEST(test_create_dir_exclusive)
{
	rp_err_t err = NULL;
	struct stat sb;

	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), 0);
	ck_assert_int_eq(stat(root, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 07777, 0700);
	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), -1);
	ck_assert_str_eq(err->msg, "container \"c1\" already exists");
	ck_assert_int_eq(err->errnum, EEXIST);
	rp_error_free(&err);
}
END_TEST

START_TEST(test_world_writable_root_refused)
{
	rp_err_t err = NULL;

	ck_assert_int_eq(mkdir(root, 0777), 0);
	ck_assert_int_eq(chmod(root, 0777), 0);
	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "writable"));
	rp_error_free(&err);
}
END_TEST

START_TEST(test_save_load_roundtrip)
{
	struct rp_state st, back;
	rp_err_t err = NULL;

	fill(&st, "c1", getpid());
	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), 0);
	ck_assert_int_eq(rp_state_save(root, &st, &err), 0);
	ck_assert_int_eq(rp_state_load(root, "c1", &back, &err), 0);
	ck_assert_str_eq(back.id, "c1");
	ck_assert_int_eq(back.status, RP_CREATED);
	ck_assert_int_eq(back.pid, getpid());
	ck_assert_uint_eq(back.pid_start_time, st.pid_start_time);
	ck_assert_str_eq(back.bundle, "/b");
	ck_assert_str_eq(back.created, st.created);
	ck_assert_str_eq(back.config_path, "/b/config.json");
	ck_assert_ptr_null(back.cgroup_path);
	ck_assert(back.use_console_socket);
	ck_assert_str_eq(json_string(json_object_get(back.annotations, "k")), "v");
	rp_state_clear(&back);
	rp_state_clear(&st);

	ck_assert_int_eq(rp_state_load(root, "nope", &back, &err), -1);
	ck_assert_str_eq(err->msg, "container \"nope\" does not exist");
	ck_assert_int_eq(err->errnum, ENOENT);
	rp_error_free(&err);
}
END_TEST

START_TEST(test_refresh)
{
	struct rp_state st;
	rp_err_t err = NULL;
	pid_t child;
	char *fifo;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), 0);
	fifo = rp_xasprintf("%s/c1/exec.fifo", root);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);

	fill(&st, "c1", child);
	rp_state_refresh(&st, root);
	ck_assert_int_eq(st.status, RP_CREATED);
	unlink(fifo);
	rp_state_refresh(&st, root);
	ck_assert_int_eq(st.status, RP_RUNNING);
	ck_assert_int_eq(st.pid, child);

	/* a recycled pid: same pid, other start time */
	st.pid_start_time += 1;
	rp_state_refresh(&st, root);
	ck_assert_int_eq(st.status, RP_STOPPED);
	ck_assert_int_eq(st.pid, 0);
	rp_state_clear(&st);

	/* a zombie is stopped */
	fill(&st, "c1", child);
	kill(child, SIGKILL);
	for (int i = 0; i < 100; i++) {
		char path[64], *buf = NULL;
		size_t len;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
		rp_read_file(path, &buf, &len, 4096, NULL);
		bool zombie = buf && strstr(buf, ") Z ");
		free(buf);
		if (zombie)
			break;
		usleep(10000);
	}
	rp_state_refresh(&st, root);
	ck_assert_int_eq(st.status, RP_STOPPED);
	waitpid(child, NULL, 0);
	rp_state_clear(&st);
	free(fifo);
}
END_TEST

START_TEST(test_list_and_remove)
{
	struct rp_state st;
	rp_err_t err = NULL;
	char **ids = NULL;
	size_t n = 0;
	char *stray;

	ck_assert_int_eq(rp_state_list(root, &ids, &n, &err), 0); /* root absent */
	ck_assert_uint_eq(n, 0);
	free(ids);
	for (const char *const *id = (const char *const[]){ "zeta", "alpha", "mid", NULL }; *id; id++) {
		fill(&st, *id, 0);
		ck_assert_int_eq(rp_state_create_dir(root, *id, &err), 0);
		ck_assert_int_eq(rp_state_save(root, &st, &err), 0);
		rp_state_clear(&st);
	}
	/* a directory without a record is not a container */
	ck_assert_int_eq(rp_state_create_dir(root, "partial", &err), 0);
	ck_assert_int_eq(rp_state_list(root, &ids, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(ids[0], "alpha");
	ck_assert_str_eq(ids[1], "mid");
	ck_assert_str_eq(ids[2], "zeta");
	ck_assert_ptr_null(ids[3]);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);

	stray = rp_xasprintf("%s/mid/sub", root);
	ck_assert_int_eq(mkdir(stray, 0700), 0);
	ck_assert_int_eq(rp_state_remove(root, "mid", &err), 0);
	ck_assert_int_eq(access(stray, F_OK), -1);
	ck_assert_int_eq(rp_state_remove(root, "mid", &err), 0); /* idempotent */
	free(stray);
}
END_TEST

START_TEST(test_lock_after_remove)
{
	rp_err_t err = NULL;
	int fd;

	ck_assert_int_eq(rp_state_lock(root, "c1", &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "does not exist"));
	rp_error_free(&err);
	ck_assert_int_eq(rp_state_create_dir(root, "c1", &err), 0);
	fd = rp_state_lock(root, "c1", &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rp_state_remove(root, "c1", &err), 0);
	close(fd);
}
END_TEST

START_TEST(test_state_json)
{
	struct rp_state st;
	char *s;
	json_value *v;

	fill(&st, "c1", 0);
	st.status = RP_STOPPED;
	s = rp_state_json(&st);
	v = json_parse(s, strlen(s), NULL);
	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(json_string(json_object_get(v, "ociVersion")), "1.2.0");
	ck_assert_str_eq(json_string(json_object_get(v, "status")), "stopped");
	ck_assert_str_eq(json_string(json_object_get(v, "bundle")), "/b");
	ck_assert_ptr_null(json_object_get(v, "configPath")); /* rampart's own fields stay private */
	json_free(v);
	free(s);
	rp_state_clear(&st);
}
END_TEST

/* ---- hooks ---- */

static struct oci_hook sh_hook(const char *script)
{
	struct oci_hook h = { 0 };

	h.path = (char *)"/bin/sh";
	h.args.v = rp_xcalloc(4, sizeof(char *));
	h.args.v[0] = (char *)"sh";
	h.args.v[1] = (char *)"-c";
	h.args.v[2] = (char *)script;
	h.args.n = 3;
	return h;
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len;

	if (rp_read_file(path, &buf, &len, 1 << 20, NULL) < 0)
		return NULL;
	return buf;
}

START_TEST(test_hook_stdin_env_argv)
{
	_cleanup_free_ char *script = rp_xasprintf(
		"cat >%1$s/in; env >%1$s/env; echo \"$0\" >%1$s/argv0", tmpdir);
	struct oci_hook h = sh_hook(script);
	char *env[] = { (char *)"ONLY=this", NULL };
	struct oci_hook_list list = { &h, 1 };
	rp_err_t err = NULL;
	_cleanup_free_ char *in = NULL, *envs = NULL, *argv0 = NULL;
	_cleanup_free_ char *p_in = rp_xasprintf("%s/in", tmpdir);
	_cleanup_free_ char *p_env = rp_xasprintf("%s/env", tmpdir);
	_cleanup_free_ char *p_argv0 = rp_xasprintf("%s/argv0", tmpdir);

	h.env.v = env;
	h.env.n = 1;
	ck_assert_int_eq(rp_hooks_run(&list, "prestart", "{\"id\":\"x\"}", false, &err), 0);
	in = slurp(p_in);
	envs = slurp(p_env);
	argv0 = slurp(p_argv0);
	ck_assert_str_eq(in, "{\"id\":\"x\"}");
	ck_assert_ptr_nonnull(strstr(envs, "ONLY=this\n"));
	ck_assert_ptr_null(strstr(envs, "PATH=/usr"));
	ck_assert_str_eq(argv0, "sh\n");
	free(h.args.v);
}
END_TEST

START_TEST(test_hook_exit_status)
{
	struct oci_hook h = sh_hook("exit 3");
	struct oci_hook_list list = { &h, 1 };
	rp_err_t err = NULL;

	ck_assert_int_eq(rp_hooks_run(&list, "createRuntime", "{}", false, &err), -1);
	ck_assert_str_eq(err->msg, "createRuntime hook /bin/sh failed: exit status 3");
	rp_error_free(&err);
	/* warn_only: logged, the call succeeds */
	ck_assert_int_eq(rp_hooks_run(&list, "poststop", "{}", true, &err), 0);
	ck_assert_ptr_null(err);
	free(h.args.v);
}
END_TEST

START_TEST(test_hook_exec_failure_and_signal)
{
	struct oci_hook missing = { .path = (char *)"/nonexistent/hook" };
	struct oci_hook relative = { .path = (char *)"bin/true" };
	struct oci_hook killed = sh_hook("kill -9 $$");
	struct oci_hook_list l1 = { &missing, 1 }, l2 = { &relative, 1 }, l3 = { &killed, 1 };
	rp_err_t err = NULL;

	ck_assert_int_eq(rp_hooks_run(&l1, "poststart", "{}", false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "No such file or directory"));
	rp_error_free(&err);
	ck_assert_int_eq(rp_hooks_run(&l2, "poststart", "{}", false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "absolute"));
	rp_error_free(&err);
	ck_assert_int_eq(rp_hooks_run(&l3, "poststart", "{}", false, &err), -1);
	ck_assert_str_eq(err->msg, "poststart hook /bin/sh failed: killed by signal 9");
	rp_error_free(&err);
	free(killed.args.v);
}
END_TEST

START_TEST(test_hook_timeout)
{
	struct oci_hook h = sh_hook("exec sleep 30");
	struct oci_hook_list list = { &h, 1 };
	rp_err_t err = NULL;
	time_t t0 = time(NULL);

	h.timeout.set = true;
	h.timeout.value = 1;
	ck_assert_int_eq(rp_hooks_run(&list, "prestart", "{}", false, &err), -1);
	ck_assert_str_eq(err->msg, "prestart hook /bin/sh timed out after 1s");
	ck_assert_int_lt(time(NULL) - t0, 5);
	rp_error_free(&err);
	free(h.args.v);
}
END_TEST

START_TEST(test_hook_ignores_stdin)
{
	/* a 1 MiB state and a hook that never reads it: no SIGPIPE, no hang */
	struct oci_hook h = sh_hook("exit 0");
	struct oci_hook_list list = { &h, 1 };
	rp_err_t err = NULL;
	char *big = rp_xmalloc(1 << 20);

	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	ck_assert_int_eq(rp_hooks_run(&list, "poststop", big, false, &err), 0);
	free(big);
	free(h.args.v);
}
END_TEST

START_TEST(test_hook_no_fd_leak)
{
	_cleanup_free_ char *script = rp_xasprintf(
		"for n in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$n ] && echo $n; done >%s/fds; true", tmpdir);
	struct oci_hook h = sh_hook(script);
	struct oci_hook_list list = { &h, 1 };
	rp_err_t err = NULL;
	_cleanup_free_ char *p = rp_xasprintf("%s/fds", tmpdir);
	_cleanup_free_ char *fds = NULL;
	int leak = open("/dev/null", O_RDONLY); /* not CLOEXEC on purpose */

	ck_assert_int_ge(leak, 3);
	ck_assert_int_eq(rp_hooks_run(&list, "poststop", "{}", false, &err), 0);
	fds = slurp(p);
	ck_assert_str_eq(fds, "");
	close(leak);
	free(h.args.v);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("state");
	TCase *th = tcase_create("hooks");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_validate_id);
	tcase_add_test(tc, test_create_dir_exclusive);
	tcase_add_test(tc, test_world_writable_root_refused);
	tcase_add_test(tc, test_save_load_roundtrip);
	tcase_add_test(tc, test_refresh);
	tcase_add_test(tc, test_list_and_remove);
	tcase_add_test(tc, test_lock_after_remove);
	tcase_add_test(tc, test_state_json);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(th, setup, teardown);
	tcase_set_timeout(th, 20);
	tcase_add_test(th, test_hook_stdin_env_argv);
	tcase_add_test(th, test_hook_exit_status);
	tcase_add_test(th, test_hook_exec_failure_and_signal);
	tcase_add_test(th, test_hook_timeout);
	tcase_add_test(th, test_hook_ignores_stdin);
	tcase_add_test(th, test_hook_no_fd_leak);
	suite_add_tcase(s, th);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
