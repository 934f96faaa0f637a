/* rampart: OCI lifecycle hooks (see hooks.h).
 *
 * Each hook runs as a child watched through a pidfd: one poll loop feeds the
 * state JSON into its stdin pipe (non-blocking, so a hook that never reads
 * cannot wedge us), notices its exit, and enforces its timeout. */
#include "config-host.h"
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "utils.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* In the child, between fork and execve: only async-signal-safe calls.
 * Reports execve's errno through err_fd (close-on-exec: EOF means the
 * exec worked). */
static void __attribute__((noreturn))
hook_child(const struct oci_hook *h, int in_fd, int err_fd)
{
	static char *const no_env[] = { NULL };
	char *path_argv[] = { h->path, NULL };
	char *const *argv = h->args.n ? h->args.v : path_argv;
	char *const *envp = h->env.n ? h->env.v : no_env;
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int e;

	/* The runtime's signal setup is not the hook's business. */
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (in_fd == STDIN_FILENO) {
		if (fcntl(in_fd, F_SETFD, 0) < 0)
			goto fail;
	} else if (dup2(in_fd, STDIN_FILENO) < 0) {
		goto fail;
	}
	/* Nothing of the runtime beyond stdio reaches the hook. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		goto fail;
	execve(h->path, argv, envp);
fail:
	e = errno;
	(void)!write(err_fd, &e, sizeof(e));
	_exit(127);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feed the state to the hook and wait for it to exit or time out.  Returns
 * 1 when it exited (status in *info), 0 when the deadline passed. */
static int supervise(int pidfd, int *in_fd, const char *data, size_t len, int64_t deadline,
		     siginfo_t *info, rp_err_t *err)
{
	size_t off = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = *in_fd, .events = POLLOUT },
		};
		int timeout = -1;
		int n;

		if (deadline >= 0) {
			int64_t left = deadline - now_ms();
			if (left <= 0)
				return 0;
			timeout = left > INT32_MAX ? INT32_MAX : (int)left;
		}
		n = poll(pfd, *in_fd >= 0 ? 2 : 1, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return rp_error(err, errno, "poll");
		}
		if (pfd[0].revents & POLLIN) {
			memset(info, 0, sizeof(*info));
			if (waitid(P_PIDFD, (id_t)pidfd, info, WEXITED) < 0)
				return rp_error(err, errno, "wait");
			return 1;
		}
		if (*in_fd >= 0 && pfd[1].revents) {
			ssize_t w = 0;

			if (pfd[1].revents & POLLOUT)
				w = write(*in_fd, data + off, len - off);
			if (w > 0)
				off += (size_t)w;
			/* EPIPE/POLLERR: the hook closed its stdin, which is
			 * its right; EAGAIN: poll again. */
			if (off == len || (w < 0 && errno != EAGAIN && errno != EINTR) ||
			    (pfd[1].revents & (POLLERR | POLLHUP))) {
				close(*in_fd);
				*in_fd = -1;
			}
		}
	}
}

static int run_hook(const struct oci_hook *h, const char *kind, const char *state_json,
		    rp_err_t *err)
{
	_cleanup_close_ int pidfd = -1;
	_cleanup_close_ int in_w = -1;
	_cleanup_close_ int err_r = -1;
	int in[2], ep[2], exec_errno = 0;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	int64_t deadline = -1;
	siginfo_t info;
	pid_t pid;
	int ret;

	if (!h->path || h->path[0] != '/')
		return rp_error(err, 0, "%s hook %s: path must be absolute", kind,
				h->path ? h->path : "(null)");
	if (pipe2(in, O_CLOEXEC) < 0)
		return rp_error(err, errno, "%s hook %s: pipe", kind, h->path);
	if (pipe2(ep, O_CLOEXEC) < 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		return rp_error(err, e, "%s hook %s: pipe", kind, h->path);
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in[0]); close(in[1]); close(ep[0]); close(ep[1]);
		return rp_error(err, e, "%s hook %s: fork", kind, h->path);
	}
	if (pid == 0)
		hook_child(h, in[0], ep[1]);
	close(in[0]);
	close(ep[1]);
	in_w = in[1];
	err_r = ep[0];

	pidfd = pidfd_open(pid, 0);
	if (pidfd < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return rp_error(err, e, "%s hook %s: pidfd_open", kind, h->path);
	}
	if (fcntl(in_w, F_SETFL, O_NONBLOCK) < 0)
		return rp_error(err, errno, "%s hook %s: stdin pipe", kind, h->path);
	if (h->timeout.set)
		deadline = now_ms() + h->timeout.value * 1000;

	/* A hook that does not read its stdin would get us a SIGPIPE. */
	sigaction(SIGPIPE, &ign, &old_pipe);
	ret = supervise(pidfd, &in_w, state_json, strlen(state_json), deadline, &info, err);
	sigaction(SIGPIPE, &old_pipe, NULL);

	if (ret <= 0) {
		pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
		waitid(P_PIDFD, (id_t)pidfd, &info, WEXITED);
		if (ret < 0)
			return rp_error_prefix(err, "%s hook %s", kind, h->path);
		return rp_error(err, 0, "%s hook %s timed out after %llds",
				kind, h->path, (long long)h->timeout.value);
	}
	if (read(err_r, &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno))
		return rp_error(err, exec_errno, "%s hook %s failed: exec", kind, h->path);
	if (info.si_code == CLD_EXITED && info.si_status != 0)
		return rp_error(err, 0, "%s hook %s failed: exit status %d", kind, h->path,
				info.si_status);
	if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED)
		return rp_error(err, 0, "%s hook %s failed: killed by signal %d", kind, h->path,
				info.si_status);
	return 0;
}

int rp_hooks_run(const struct oci_hook_list *hooks, const char *kind, const char *state_json,
		 bool warn_only, rp_err_t *err)
{
	if (!hooks)
		return 0;
	for (size_t i = 0; i < hooks->n; i++) {
		const struct oci_hook *h = &hooks->v[i];

		rp_debug("running %s hook %zu: %s", kind, i, h->path);
		if (run_hook(h, kind, state_json ? state_json : "", err) == 0)
			continue;
		if (!warn_only)
			return -1;
		rp_warn("%s", (*err)->msg);
		rp_error_free(err);
	}
	return 0;
}

char *rp_state_json(const struct rp_state *st)
{
	json_writer *w = json_writer_new(false);
	const char *buf;
	size_t len;
	char *out;

	rp_state_write_oci(w, st, true);
	buf = json_writer_buf(w, &len);
	out = rp_xstrdup(buf ? buf : "{}");
	json_writer_free(w);
	return out;
}
