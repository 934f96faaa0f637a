/* rampart: the container's processes C and G (see init.h for who is who).
 *
 * C: joins the namespaces given by path, creates the user namespace (P
 *    writes its id maps), then every other new namespace, sets the time
 *    offsets, forks G and reports G's pid.
 * G: pid 1 of the container.  Builds the rootfs up to pivot_root, lets P run
 *    the prestart/createRuntime hooks, runs createContainer hooks, pivots,
 *    sets up hostname/sysctls/console/cwd, reports "ready", then blocks on
 *    the exec fifo until `start`, runs startContainer hooks and becomes the
 *    user's program (process.c).
 * Errors travel to P over the sync socket while P is listening; after
 * "ready" nobody listens, so G prints to its stderr and exits 127. */
#include "config-host.h"
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "hooks.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "rootfs.h"
#include "state.h"
#include "terminal.h"
#include "utils.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* ------------------------------------------------------------ sync socket */

int rp_sync_send(int fd, uint32_t type, int64_t value, rp_err_t *err)
{
	struct rp_sync_msg m = { .type = type, .value = value };

	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		return rp_error(err, errno, "sync with the container process");
	return 0;
}

void rp_sync_send_error(int fd, rp_err_t e)
{
	struct rp_sync_msg m = { .type = RP_SYNC_ERROR };

	m.errnum = e ? e->errnum : 0;
	snprintf(m.text, sizeof(m.text), "%s", e && e->msg ? e->msg : "unknown error");
	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0)
		fprintf(stderr, "rampart: %s\n", m.text);
}

int rp_sync_recv(int fd, struct rp_sync_msg *m, rp_err_t *err)
{
	ssize_t n;

	do
		n = recv(fd, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rp_error(err, errno, "sync with the container process");
	if (n == 0)
		return rp_error(err, 0, "the container process exited during setup");
	if (n != (ssize_t)sizeof(*m))
		return rp_error(err, EBADMSG, "sync with the container process: short message");
	m->text[sizeof(m->text) - 1] = '\0';
	if (m->type == RP_SYNC_ERROR)
		return rp_error(err, 0, "%s", m->text); /* the child's message already names errno */
	return 0;
}

int rp_sync_expect(int fd, uint32_t type, int64_t *value, rp_err_t *err)
{
	struct rp_sync_msg m;

	if (rp_sync_recv(fd, &m, err) < 0)
		return -1;
	if (m.type != type)
		return rp_error(err, EBADMSG, "sync with the container process: message %u, expected %u",
				m.type, type);
	if (value)
		*value = m.value;
	return 0;
}

/* ------------------------------------------------------------------- G */

json_value *rp_annotations_json(const struct str_map *m)
{
	if (!m->n)
		return NULL;
	json_writer *w = json_writer_new(false);
	json_w_object_begin(w);
	for (size_t i = 0; i < m->n; i++)
		json_w_kv_string(w, m->keys[i], m->values[i]);
	json_w_object_end(w);
	size_t len;
	const char *buf = json_writer_buf(w, &len);
	json_value *v = buf ? json_parse(buf, len, NULL) : NULL;
	json_writer_free(w);
	return v;
}

/* The state hooks see on stdin.  G knows everything from its copy of P's
 * memory except its own host pid, which P sent with "go". */
static char *init_state_json(const struct rp_init_ctx *ctx, enum rp_status status, pid_t host_pid)
{
	struct rp_state st = {
		.oci_version = (char *)OCI_SPEC_VERSION, .id = (char *)ctx->id, .status = status,
		.pid = host_pid, .bundle = (char *)ctx->bundle, .rootfs = (char *)ctx->rootfs,
		.created = (char *)ctx->created, .owner = (char *)"",
		.annotations = rp_annotations_json(&ctx->cfg->annotations),
	};
	char *json = rp_state_json(&st);
	if (st.annotations)
		json_free(st.annotations);
	return json;
}

static int set_names(const struct oci_config *cfg, rp_err_t *err)
{
	if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return rp_error(err, errno, "hostname \"%s\"", cfg->hostname);
	if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
		return rp_error(err, errno, "domainname \"%s\"", cfg->domainname);
	return 0;
}

/* Everything up to "ready": errors go to P. */
static int init_create_stage(struct rp_init_ctx *ctx, pid_t *host_pid, char **exe, rp_err_t *err)
{
	const struct oci_config *cfg = ctx->cfg;
	const struct oci_process *proc = cfg->process;
	int64_t value;

	if (rp_sync_expect(ctx->sync_fd, RP_SYNC_CONT, NULL, err) < 0)
		return -1;
	if (!proc) /* checked by create already; the init cannot do without */
		return rp_error(err, 0, "process: required to create a container");
	if (rp_rootfs_prepare(cfg, &ctx->ropts, err) < 0)
		return -1;
	/* createRuntime hooks run in the runtime namespace after the
	 * namespaces exist and before pivot_root: P runs them now. */
	if (rp_sync_send(ctx->sync_fd, RP_SYNC_PREPARED, 0, err) < 0 ||
	    rp_sync_expect(ctx->sync_fd, RP_SYNC_GO, &value, err) < 0)
		return -1;
	*host_pid = (pid_t)value;
	if (cfg->hooks && cfg->hooks->create_container.n) {
		_cleanup_free_ char *state = init_state_json(ctx, RP_CREATING, *host_pid);
		if (rp_hooks_run(&cfg->hooks->create_container, "createContainer", state, false, err) < 0)
			return -1;
	}
	if (rp_rootfs_finalize(cfg, &ctx->ropts, err) < 0 || rp_sysctl_apply(cfg, err) < 0 ||
	    set_names(cfg, err) < 0)
		return -1;
	/* The pty comes from the container's own devpts, so only now. */
	if (proc->terminal) {
		if (ctx->console_fd < 0)
			return rp_error(err, 0, "process.terminal is true: --console-socket is required");
		if (rp_terminal_setup(ctx->console_fd, proc->console_size, true, err) < 0)
			return -1;
	}
	if (ctx->console_fd >= 0) {
		close(ctx->console_fd);
		ctx->console_fd = -1;
	}
	/* Fail create, not start, when the program or the cwd is missing. */
	if (rp_process_chdir(proc, err) < 0 || rp_process_resolve_exe(proc, exe, err) < 0 ||
	    rp_process_apply_rlimits(proc, err) < 0)
		return -1;
	return rp_sync_send(ctx->sync_fd, RP_SYNC_READY, 0, err);
}

static void __attribute__((noreturn)) init_main(struct rp_init_ctx *ctx)
{
	rp_err_t err = NULL;
	_cleanup_free_ char *exe = NULL;
	pid_t host_pid = 0;
	char byte;
	ssize_t n;

	if (init_create_stage(ctx, &host_pid, &exe, &err) < 0) {
		rp_sync_send_error(ctx->sync_fd, err);
		_exit(1);
	}
	close(ctx->sync_fd);

	/* Wait for `start`.  The fifo is open O_RDWR, so read() blocks until a
	 * byte arrives and never sees an EOF. */
	do
		n = read(ctx->fifo_fd, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		fprintf(stderr, "rampart: %s: waiting for start: %s\n", ctx->id, strerror(errno));
		_exit(127);
	}

	const struct oci_config *cfg = ctx->cfg;
	_cleanup_free_ char *state = init_state_json(ctx, RP_CREATED, host_pid);
	if (cfg->hooks && cfg->hooks->start_container.n &&
	    rp_hooks_run(&cfg->hooks->start_container, "startContainer", state, false, &err) < 0)
		goto fail;
	struct rp_process_setup setup = {
		.process = cfg->process, .cfg = cfg, .id = ctx->id, .exe = exe,
		.preserve_fds = ctx->preserve_fds, .listen_fds = ctx->listen_fds,
		.no_new_keyring = ctx->no_new_keyring,
		.state_json = state, .oom_score_adj_done = true,
		.notify_sock = ctx->seccomp_sock, .notify_sock_listening = true,
	};
	rp_process_exec(&setup, &err);
fail:
	/* The container's stderr: the only place left that someone may read. */
	fprintf(stderr, "rampart: %s: %s\n", ctx->id, err ? err->msg : "start failed");
	_exit(127);
}

/* ------------------------------------------------------------------- C */

static int child_stage(struct rp_init_ctx *ctx, pid_t *init_pid, rp_err_t *err)
{
	const struct oci_config *cfg = ctx->cfg;

	/* P puts C in the container's cgroup (unless clone3 already did) and
	 * then lets it go: everything below is accounted to the container. */
	if (rp_sync_expect(ctx->sync_fd, RP_SYNC_CONT, NULL, err) < 0)
		return -1;
	/* Inherited by G; G switches to "final" just before execve. */
	if (cfg->process && cfg->process->exec_cpu_affinity &&
	    rp_process_apply_cpu_affinity(cfg->process->exec_cpu_affinity->initial,
					  "process.execCPUAffinity.initial", err) < 0)
		return -1;
	if (rp_ns_join(ctx->ns_fds, err) < 0)
		return -1;
	rp_ns_close(ctx->ns_fds); /* host namespace fds must not live on in G */
	if (ctx->new_userns) {
		/* Only the runtime, outside the namespace, may write the maps. */
		if (unshare(CLONE_NEWUSER) < 0)
			return rp_error(err, errno, "unshare user namespace");
		if (rp_sync_send(ctx->sync_fd, RP_SYNC_USERNS, 0, err) < 0 ||
		    rp_sync_expect(ctx->sync_fd, RP_SYNC_USERNS_DONE, NULL, err) < 0)
			return -1;
	}
	if (ctx->new_userns || ctx->ns_fds[OCI_NS_USER] >= 0) {
		/* Become the namespace's root, so that the namespaces created
		 * below and the files G creates belong to it. */
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			return rp_error(err, errno, "become root in the user namespace (is 0 mapped?)");
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			return rp_error(err, errno, "setgroups");
	}
	if (ctx->unshare_flags && unshare(ctx->unshare_flags) < 0)
		return rp_error(err, errno, "unshare namespaces (flags 0x%x)", ctx->unshare_flags);
	/* Time offsets may only be written before any process is in the time
	 * namespace: C itself is not (unshare applies to children), G not yet. */
	if (ctx->unshare_flags & CLONE_NEWTIME) {
		/* A non-dumpable process's /proc/self files belong to the host's
		 * root, which a new user namespace does not map: open them as
		 * ourselves for this one write.  Nothing runs in the container
		 * yet that could use the moment. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		int r = rp_ns_write_time_offsets(cfg, err);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (r < 0)
			return -1;
	}
	/* CLONE_PARENT: G is P's child, not C's, so P can wait for it. */
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		return rp_error(err, errno, "fork the container init");
	if (pid == 0)
		init_main(ctx);
	*init_pid = pid;
	return 0;
}

void rp_init_child_main(struct rp_init_ctx *ctx)
{
	rp_err_t err = NULL;
	pid_t init_pid = 0;

	/* Nothing that enters the container may be ptrace'd or have its
	 * /proc/<pid>/exe (the runtime binary) opened by the container before
	 * execve; fork(2) keeps this flag, execve resets it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (child_stage(ctx, &init_pid, &err) < 0) {
		rp_sync_send_error(ctx->sync_fd, err);
		_exit(1);
	}
	if (rp_sync_send(ctx->sync_fd, RP_SYNC_PID, init_pid, &err) < 0)
		_exit(1);
	_exit(0);
}

/* ----------------------------------------------------------------- exec */

static void __attribute__((noreturn)) exec_main(struct rp_exec_ctx *ctx)
{
	const struct oci_process *proc = ctx->cfg->process;
	_cleanup_free_ char *exe = NULL;
	rp_err_t err = NULL;

	if (proc->terminal) {
		if (ctx->console_fd < 0) {
			rp_error(&err, 0, "process.terminal is true: --console-socket is required");
			goto fail;
		}
		if (rp_terminal_setup(ctx->console_fd, proc->console_size, false, &err) < 0)
			goto fail;
		close(ctx->console_fd);
	}
	if (rp_process_chdir(proc, &err) < 0 || rp_process_resolve_exe(proc, &exe, &err) < 0)
		goto fail;
	struct rp_process_setup setup = {
		.process = proc, .cfg = ctx->cfg, .id = ctx->id, .exe = exe,
		.preserve_fds = ctx->preserve_fds, .listen_fds = ctx->listen_fds,
		.state_json = ctx->state_json,
		.oom_score_adj_done = true, .notify_sock = ctx->seccomp_sock,
	};
	rp_process_exec(&setup, &err);
fail:
	rp_sync_send_error(ctx->sync_fd, err);
	_exit(127);
}

static int exec_child_stage(struct rp_exec_ctx *ctx, pid_t *pid_out, rp_err_t *err)
{
	/* execCPUAffinity.initial was set by the runtime before the fork
	 * (exec.c): it holds before the move into the cgroup, as the spec
	 * asks, and E1/E2 inherit it. */
	if (rp_sync_expect(ctx->sync_fd, RP_SYNC_CONT, NULL, err) < 0)
		return -1;
	if (rp_ns_join_via_pidfd(ctx->init_pidfd, ctx->ns_fds, err) < 0)
		return rp_error_prefix(err, "join the container");
	rp_ns_close(ctx->ns_fds);
	close(ctx->init_pidfd);
	/* setns(CLONE_NEWNS) put us at the namespace's root, which is not the
	 * container's root under --no-pivot: take the init's root itself. */
	if (fchdir(ctx->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return rp_error(err, errno, "enter the container's root");
	close(ctx->root_fd);
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		return rp_error(err, errno, "fork into the container's pid namespace");
	if (pid == 0)
		exec_main(ctx);
	*pid_out = pid;
	return 0;
}

void rp_exec_child_main(struct rp_exec_ctx *ctx)
{
	rp_err_t err = NULL;
	pid_t pid = 0;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (exec_child_stage(ctx, &pid, &err) < 0) {
		rp_sync_send_error(ctx->sync_fd, err);
		_exit(1);
	}
	if (rp_sync_send(ctx->sync_fd, RP_SYNC_PID, pid, &err) < 0)
		_exit(1);
	_exit(0);
}
