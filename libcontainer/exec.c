/* rampart: exec — a new process in a running (or created) container.
 *
 * The process joins every namespace of the container's init (opened from
 * /proc/<init>/ns/ before anything is forked), enters its cgroup, and gets
 * the container's own seccomp filter, bounding set, no_new_privs and
 * SELinux label: exec is judged by the same policy as create, with the
 * exec'd process in the container's config, so it is never a way around
 * the policy.
 *
 * rampart (P, from the sealed memfd: cloned-binary.c) forks E1, which joins
 * the namespaces and forks E2 (init.c's exec_main) so that E2 is inside
 * the pid namespace; E1 reports E2's host pid and exits.  E2's sync socket
 * end is O_CLOEXEC: its hang-up tells P the execve succeeded. */
#include "config-host.h"
#include "container.h"
#include "container-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cloned-binary.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "namespaces.h"
#include "policy.h"
#include "process.h"
#include "seccomp.h"
#include "state.h"
#include "terminal.h"
#include "utils.h"

/* An exec'd process gets no more than the container's init: the bounding
 * set and no_new_privs of the container's config hold, whatever the
 * process.json asks for. */
static int confine_exec_process(struct oci_process *p, const struct oci_process *init, rp_err_t *err)
{
	uint64_t bounding = init->capabilities ? init->capabilities->bounding.mask : 0;

	if (!p->capabilities)
		p->capabilities = rp_xcalloc(1, sizeof(*p->capabilities));
	struct oci_capabilities *c = p->capabilities;
	struct oci_capset *sets[] = { &c->bounding, &c->effective, &c->permitted, &c->inheritable, &c->ambient };
	static const char *names[] = { "bounding", "effective", "permitted", "inheritable", "ambient" };
	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		uint64_t extra = sets[i]->mask & ~bounding;
		if (extra) {
			int cap = __builtin_ctzll(extra);
			return rp_error(err, EPERM, "process.capabilities.%s: %s is not in the container's bounding set",
					names[i], oci_cap_name(cap) ? oci_cap_name(cap) : "?");
		}
	}
	c->bounding.mask = bounding;
	c->bounding.set = true;
	if (init->no_new_privileges)
		p->no_new_privileges = true;
	return 0;
}

struct exec_ctx {
	struct oci_config *cfg;
	struct oci_process *saved_process; /* the config's own, restored before free */
	struct rp_state st;
	struct rp_cgroup *cg;
	int ns_fds[OCI_NS__COUNT];
	int init_pidfd;                   /* opened before the state was checked */
	int root_fd, sync_fd, child_sync_fd, console_fd, console_peer;
	int seccomp_peer, seccomp_child;  /* relay of a seccomp notify fd */
	pid_t child, proc;
};

static void exec_ctx_free(struct exec_ctx *e)
{
	rp_reap(&e->child);
	rp_close_fd(&e->init_pidfd);
	rp_close_fd(&e->root_fd);
	rp_close_fd(&e->sync_fd);
	rp_close_fd(&e->child_sync_fd);
	rp_close_fd(&e->console_fd);
	rp_close_fd(&e->console_peer);
	rp_close_fd(&e->seccomp_peer);
	rp_close_fd(&e->seccomp_child);
	rp_ns_close(e->ns_fds);
	if (e->cg)
		rp_cgroup_free(e->cg);
	if (e->cfg) {
		e->cfg->process = e->saved_process;
		oci_config_free(e->cfg);
	}
	rp_state_clear(&e->st);
}

/* Load the running container and judge the process against its policy. */
static int exec_prepare(const struct rp_globals *g, const struct rp_exec_opts *o, struct exec_ctx *e, rp_err_t *err)
{
	const char *root = rp_container_root(g);
	struct rp_policy *pol = NULL;
	struct rp_verdict v = { 0 };
	int ret = -1;

	if (rp_validate_id(o->id, err) < 0)
		return -1;
	{
		_cleanup_close_ int lock = rp_state_lock(root, o->id, err);
		if (lock < 0 || rp_state_load(root, o->id, &e->st, err) < 0)
			return -1;
		/* Opened before the refresh checks the pid's start time: if the
		 * container still runs then, the pidfd is its init, for good. */
		if (e->st.pid > 0)
			e->init_pidfd = pidfd_open(e->st.pid, 0);
		rp_state_refresh(&e->st, root);
	}
	if (e->st.status == RP_STOPPED)
		return rp_error(err, 0, "cannot exec in a stopped container (container not running)");
	if (e->st.status == RP_PAUSED)
		return rp_error(err, 0, "cannot exec in a paused container");
	if (e->st.status != RP_RUNNING && e->st.status != RP_CREATED)
		return rp_error(err, 0, "cannot exec in a container that is still being created");
	if (e->init_pidfd < 0)
		return rp_error(err, errno, "pidfd_open of the init (pid %d)", e->st.pid);
	if (!e->st.config_path)
		return rp_error(err, 0, "the container's state has no config copy");
	e->cfg = oci_config_parse_file(e->st.config_path, err);
	if (!e->cfg)
		return -1;
	e->saved_process = e->cfg->process;
	if (!e->saved_process)
		return rp_error(err, 0, "the container's config has no process");
	e->cfg->process = o->process;

	/* One code path with create and audit: the policy sees the container's
	 * config with the exec'd process in it. */
	if (rp_policy_load(g->policy, &pol, err) < 0)
		return -1;
	if (rp_policy_evaluate(pol, e->cfg, RP_POLICY_EXEC, true, &v, err) < 0)
		goto out;
	if (v.refused) {
		_cleanup_free_ char *line = rp_verdict_refusal_line(&v, o->id);
		rp_error(err, 0, "%s", line);
		goto out;
	}
	rp_verdict_log(&v, o->id);
	/* After the policy, so a refusal names its rule; whatever the policy
	 * allows, the container's own limits still hold. */
	if (confine_exec_process(o->process, e->saved_process, err) < 0)
		goto out;
	ret = 0;
out:
	rp_verdict_clear(&v);
	rp_policy_free(pol);
	return ret;
}

static int exec_spawn(const struct rp_exec_opts *o, struct exec_ctx *e, bool internal_console, rp_err_t *err)
{
	char path[64];

	if (rp_ns_open_pid(e->st.pid, e->ns_fds, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/root", e->st.pid);
	e->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (e->root_fd < 0)
		return rp_error(err, errno, "open %s", path);
	/* Still alive now, so the pid could not have been reused: what was
	 * opened through /proc/<pid> is the init's. */
	if (pidfd_send_signal(e->init_pidfd, 0, NULL, 0) < 0)
		return rp_error(err, errno == ESRCH ? 0 : errno, "container not running (its init is gone)");
	if (e->st.cgroup_path && rp_cgroup_open(e->st.cgroup_path, &e->cg, err) < 0)
		return -1;
	if (o->console_socket) {
		e->console_fd = rp_console_socket_connect(o->console_socket, err);
		if (e->console_fd < 0)
			return -1;
	} else if (internal_console && o->process->terminal) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return rp_error(err, errno, "socketpair");
		e->console_peer = sv[0];
		e->console_fd = sv[1];
	}
	const struct oci_seccomp *sc = e->cfg->linux_cfg ? e->cfg->linux_cfg->seccomp : NULL;
	int sv[2];
	if (sc && sc->listener_path) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return rp_error(err, errno, "socketpair");
		e->seccomp_peer = sv[0];
		e->seccomp_child = sv[1];
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rp_error(err, errno, "socketpair");
	e->sync_fd = sv[0];
	e->child_sync_fd = sv[1];

	_cleanup_free_ char *state = rp_state_json(&e->st);
	struct rp_exec_ctx x = {
		.cfg = e->cfg, .id = o->id, .sync_fd = e->child_sync_fd, .console_fd = e->console_fd,
		.root_fd = e->root_fd, .init_pidfd = e->init_pidfd, .preserve_fds = o->preserve_fds,
		.state_json = state,
		.listen_fds = rp_process_listen_fds(),
		.seccomp_sock = e->seccomp_child,
	};
	memcpy(x.ns_fds, e->ns_fds, sizeof(x.ns_fds));
	if (x.listen_fds > x.preserve_fds)
		x.preserve_fds = x.listen_fds;

	/* execCPUAffinity.initial: "before the transition to container's
	 * cgroup", so here, in the runtime, whose child inherits it. */
	const struct oci_exec_cpu_affinity *aff = o->process->exec_cpu_affinity;
	if (aff && rp_process_apply_cpu_affinity(aff->initial, "process.execCPUAffinity.initial", err) < 0)
		return -1;
	bool placed;
	pid_t pid = rp_fork_into_cgroup(e->cg, &placed);
	if (pid < 0)
		return rp_error(err, errno, "fork");
	if (pid == 0) {
		close(e->sync_fd);
		if (e->console_peer >= 0)
			close(e->console_peer);
		if (e->seccomp_peer >= 0)
			close(e->seccomp_peer);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		rp_exec_child_main(&x);
	}
	e->child = pid;
	rp_close_fd(&e->child_sync_fd);
	rp_close_fd(&e->console_fd);
	rp_close_fd(&e->seccomp_child);
	if (!placed && e->cg && rp_cgroup_enter(e->cg, pid, err) < 0)
		return -1;
	int64_t value;
	if (rp_sync_send(e->sync_fd, RP_SYNC_CONT, 0, err) < 0 ||
	    rp_sync_expect(e->sync_fd, RP_SYNC_PID, &value, err) < 0)
		return -1;
	e->proc = (pid_t)value;
	return 0;
}

/* After RP_SYNC_PID: reap E1, then wait for E2's execve (EOF) or error. */
static int exec_wait_started(struct exec_ctx *e, rp_err_t *err)
{
	struct rp_sync_msg m;
	ssize_t n;

	while (waitpid(e->child, NULL, 0) < 0 && errno == EINTR)
		;
	e->child = 0;
	do
		n = recv(e->sync_fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0; /* the O_CLOEXEC end closed: execve succeeded */
	if (n == (ssize_t)sizeof(m) && m.type == RP_SYNC_ERROR) {
		m.text[sizeof(m.text) - 1] = '\0';
		return rp_error(err, 0, "%s", m.text);
	}
	return rp_error(err, n < 0 ? errno : EBADMSG, "sync with the exec'd process");
}

int rp_container_exec(const struct rp_globals *g, const struct rp_exec_opts *o, int *exit_status, rp_err_t *err)
{
	struct exec_ctx e = { .init_pidfd = -1, .root_fd = -1, .sync_fd = -1, .child_sync_fd = -1, .console_fd = -1,
			      .console_peer = -1, .seccomp_peer = -1, .seccomp_child = -1 };
	sigset_t mask, old;
	int master = -1, ret = -1;
	_cleanup_close_ int sfd = -1;

	*exit_status = 1;
	for (int i = 0; i < OCI_NS__COUNT; i++)
		e.ns_fds[i] = -1;
	if (o->tty)
		o->process->terminal = true;
	if (o->process->terminal && o->detach && !o->console_socket)
		return rp_error(err, 0, "exec '%s': a detached process with a terminal needs --console-socket", o->id);
	if (rp_cloned_binary_ensure(err) < 0)
		return -1;

	rp_forwarding_mask(&mask);
	if (!o->detach) {
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		sigprocmask(SIG_BLOCK, &mask, &old);
		sfd = signalfd(-1, &mask, SFD_CLOEXEC);
		if (sfd < 0) {
			rp_error(err, errno, "signalfd");
			goto out;
		}
	}
	if (exec_prepare(g, o, &e, err) < 0 || exec_spawn(o, &e, !o->detach, err) < 0)
		goto out;
	if (rp_process_set_oom_score_adj(o->process, e.proc, err) < 0 || exec_wait_started(&e, err) < 0)
		goto out;
	if (e.seccomp_peer >= 0) {
		/* Sent by the process before its execve (see process.h). */
		_cleanup_close_ int notify = rp_recv_fd(e.seccomp_peer, err);
		_cleanup_free_ char *state = rp_state_json(&e.st);
		if (notify < 0 || rp_seccomp_send_listener(e.cfg->linux_cfg->seccomp, notify, state, err) < 0) {
			rp_error_prefix(err, "linux.seccomp.listenerPath");
			goto out;
		}
	}
	if (e.console_peer >= 0) {
		master = rp_recv_fd(e.console_peer, err);
		if (master < 0)
			goto out;
	}
	if (o->pid_file && rp_write_pid_file(o->pid_file, e.proc, err) < 0)
		goto out;
	if (o->pidfd_socket && rp_send_pidfd(o->pidfd_socket, e.proc, err) < 0)
		goto out;
	if (o->detach) {
		*exit_status = 0;
		ret = 0;
		goto out;
	}
	int code = rp_wait_forwarding(e.proc, sfd, master, err);
	if (code >= 0) {
		*exit_status = code;
		ret = 0;
	}
out:
	if (ret < 0 && e.proc > 0)
		rp_reap(&e.proc);
	if (master >= 0)
		close(master);
	exec_ctx_free(&e);
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (ret < 0)
		rp_error_prefix(err, "exec '%s'", o->id);
	return ret;
}
