/* rampart: the final process setup (see process.h).
 *
 * The order of rp_process_exec() is the point of this file:
 *   1. rlimits, oom_score_adj, scheduler, I/O priority, personality, CPU
 *      affinity, memory policy: settings that need privilege to raise (or
 *      that a non-root user could not set back), so they come while the
 *      process is still root with full capabilities;
 *   2. the session keyring and the SELinux labels, also privileged;
 *   3. the capability bounding set, then PR_SET_KEEPCAPS so the uid switch
 *      does not wipe the permitted set before the final sets are applied;
 *   4. supplementary groups, gid, uid (groups first: after the gid change the
 *      process may no longer hold CAP_SETGID), umask;
 *   5. effective/permitted/inheritable/ambient capabilities;
 *   6. no_new_privs, then the seccomp filter LAST, so the filter never has
 *      to allow the setup syscalls above.  Without no_new_privs the kernel
 *      only lets a process holding CAP_SYS_ADMIN load a filter, so in that
 *      case the filter is loaded before step 4 and must itself allow
 *      setgroups/setresgid/setresuid/capset/prctl/execve (the default
 *      profile does);
 *   7. execve.  Every fd above 2 + preserve_fds was marked close-on-exec
 *      before the filter was loaded (so the filter need not allow
 *      close_range); only stdio and the preserved fds reach the program.
 */
#include "config-host.h"
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sched.h>

#include "caps.h"
#include "cleanup.h"
#include "log.h"
#include "seccomp.h"
#include "selinux.h"
#include "terminal.h"
#include "utils.h"

#define RP_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_get(const struct strv *env, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->v[i], key, kl) == 0 && env->v[i][kl] == '=')
			return env->v[i] + kl + 1;
	return NULL;
}

static bool is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

int rp_process_listen_fds(void)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	int64_t n, p;

	if (!fds || !pid || !rp_parse_i64(fds, &n) || !rp_parse_i64(pid, &p) || p != getpid() || n <= 0 ||
	    n > 1024)
		return 0;
	return (int)n;
}

int rp_process_resolve_exe(const struct oci_process *p, char **out, rp_err_t *err)
{
	if (!p->args.n || !p->args.v[0][0])
		return rp_error(err, 0, "process.args: must name a program");
	const char *prog = p->args.v[0];

	if (strchr(prog, '/')) {
		struct stat st;
		if (stat(prog, &st) < 0)
			return rp_error(err, errno, "process.args[0]: %s", prog);
		/* Checked here, at create, as for a $PATH lookup: a file without
		 * an x bit would pass create and fail only at start, inside the
		 * container, where the engine cannot tell 126 from 127. */
		if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
			return rp_error(err, EACCES, "process.args[0]: %s: not an executable file", prog);
		*out = rp_xstrdup(prog);
		return 0;
	}
	const char *path = env_get(&p->env, "PATH");
	if (!path)
		path = RP_DEFAULT_PATH;
	_cleanup_free_ char *copy = rp_xstrdup(path);
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *cand = rp_xasprintf("%s/%s", *dir ? dir : ".", prog);
		if (is_executable_file(cand)) {
			*out = take_ptr(cand);
			return 0;
		}
	}
	rp_error(err, 0, "process.args[0]: %s: executable file not found in $PATH", prog);
	(*err)->errnum = ENOENT;
	return -1;
}

int rp_process_chdir(const struct oci_process *p, rp_err_t *err)
{
	const char *cwd = p->cwd && *p->cwd ? p->cwd : "/";
	_cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root < 0)
		return rp_error(err, errno, "open /");
	_cleanup_close_ int fd = rp_open_in_root(root, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, err);
	if (fd < 0)
		return rp_error_prefix(err, "process.cwd %s", cwd);
	if (fchdir(fd) < 0)
		return rp_error(err, errno, "process.cwd %s", cwd);
	/* getcwd(3) fails with ENOENT when the directory is not below the
	 * process root: the cwd escaped the container. */
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
		return rp_error(err, EPERM, "process.cwd %s: outside the container", cwd);
	return 0;
}

/* ---- step 1: resource settings ---- */

int rp_process_apply_rlimits(const struct oci_process *p, rp_err_t *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct oci_rlimit *r = &p->rlimits[i];
		struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
		/* Raising a hard limit needs CAP_SYS_RESOURCE: the error says which. */
		if (setrlimit(r->resource, &rl) < 0)
			return rp_error(err, errno, "process.rlimits[%zu] %s (soft %llu, hard %llu)", i, r->type,
					(unsigned long long)r->soft, (unsigned long long)r->hard);
	}
	return 0;
}

int rp_process_set_oom_score_adj(const struct oci_process *p, pid_t pid, rp_err_t *err)
{
	char buf[16], path[64];

	if (!p->oom_score_adj.set)
		return 0; /* "If oomScoreAdj is not set, the runtime MUST NOT change it." */
	int n = snprintf(buf, sizeof(buf), "%d", p->oom_score_adj.value);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, n) != n)
		return rp_error(err, errno, "process.oomScoreAdj %d", p->oom_score_adj.value);
	return 0;
}

struct rp_sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static int apply_scheduler(const struct oci_process *p, rp_err_t *err)
{
	const struct oci_scheduler *s = p->scheduler;

	if (!s)
		return 0;
	struct rp_sched_attr attr = {
		.size = sizeof(attr), .sched_policy = s->policy, .sched_flags = s->flags,
		.sched_nice = s->nice.set ? s->nice.value : 0,
		.sched_priority = s->priority.set ? (uint32_t)s->priority.value : 0,
		.sched_runtime = s->runtime.value, .sched_deadline = s->deadline.value,
		.sched_period = s->period.value,
	};
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return rp_error(err, errno, "process.scheduler (%s)", s->policy_name ? s->policy_name : "?");
	return 0;
}

static int apply_io_priority(const struct oci_process *p, rp_err_t *err)
{
	const struct oci_io_priority *io = p->io_priority;

	if (!io)
		return 0;
	/* ioprio_set(IOPRIO_WHO_PROCESS, self, class << IOPRIO_CLASS_SHIFT | data) */
	if (syscall(SYS_ioprio_set, 1, 0, (io->class << 13) | io->priority) < 0)
		return rp_error(err, errno, "process.ioPriority");
	return 0;
}

static int apply_personality(const struct oci_config *cfg, rp_err_t *err)
{
	const struct oci_personality *pers = cfg->linux_cfg ? cfg->linux_cfg->personality : NULL;

	if (!pers || !pers->domain)
		return 0;
	unsigned long dom;
	if (strcmp(pers->domain, "LINUX") == 0)
		dom = PER_LINUX;
	else if (strcmp(pers->domain, "LINUX32") == 0)
		dom = PER_LINUX32;
	else
		return rp_error(err, 0, "linux.personality.domain: unknown domain \"%s\"", pers->domain);
	if (personality(dom) < 0)
		return rp_error(err, errno, "linux.personality");
	return 0;
}

int rp_process_apply_cpu_affinity(const char *list, const char *field, rp_err_t *err)
{
	uint8_t mask[CPU_SETSIZE / 8] = { 0 };
	cpu_set_t set;

	if (!list || !*list)
		return 0;
	if (rp_parse_cpu_list(list, mask, sizeof(mask), err) < 0)
		return rp_error_prefix(err, "%s", field);
	CPU_ZERO(&set);
	for (int i = 0; i < CPU_SETSIZE; i++)
		if (mask[i / 8] & (1u << (i % 8)))
			CPU_SET(i, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return rp_error(err, errno, "%s %s", field, list);
	return 0;
}

static int apply_memory_policy(const struct oci_config *cfg, rp_err_t *err)
{
	const struct oci_memory_policy *mp = cfg->linux_cfg ? cfg->linux_cfg->memory_policy : NULL;
	uint8_t nodes[128] = { 0 };
	unsigned long maxnode = 0;

	if (!mp)
		return 0;
	if (mp->nodes && *mp->nodes) {
		if (rp_parse_cpu_list(mp->nodes, nodes, sizeof(nodes), err) < 0)
			return rp_error_prefix(err, "linux.memoryPolicy.nodes");
		maxnode = sizeof(nodes) * 8;
	}
	if (syscall(SYS_set_mempolicy, mp->mode | (int)mp->flags, maxnode ? (void *)nodes : NULL, maxnode) < 0)
		return rp_error(err, errno, "linux.memoryPolicy (%s)", mp->mode_name ? mp->mode_name : "?");
	return 0;
}

/* ---- step 2 ---- */

static int join_session_keyring(const struct rp_process_setup *s, rp_err_t *err)
{
	if (s->no_new_keyring)
		return 0;
	if (s->process->selinux_label && rp_selinux_set_keycreate_label(s->process->selinux_label, err) < 0)
		return rp_error_prefix(err, "session keyring label");
	/* A fresh session keyring: the container must not see (or add keys to)
	 * the keyring of the session that started the runtime. */
	_cleanup_free_ char *name = rp_xasprintf("_ses.%s", s->id ? s->id : "rampart");
	long serial = syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, name);
	if (serial < 0) {
		if (errno == ENOSYS) {
			rp_debug("keyrings are not available, no session keyring");
			return 0;
		}
		return rp_error(err, errno, "join a new session keyring");
	}
	/* Possessor: all; user: view, read, write, search, link (no setattr). */
	syscall(SYS_keyctl, 5 /* KEYCTL_SETPERM */, serial, 0x3f1f0000);
	return 0;
}

/* ---- steps 4-6 ---- */

static int switch_user(const struct oci_user *u, rp_err_t *err)
{
	gid_t *groups = NULL;

	if (u->n_additional_gids) {
		groups = rp_xcalloc(u->n_additional_gids, sizeof(gid_t));
		for (size_t i = 0; i < u->n_additional_gids; i++)
			groups[i] = u->additional_gids[i];
	}
	int r = setgroups(u->n_additional_gids, groups);
	int e = errno;
	free(groups);
	/* EPERM only when setgroups is denied in this user namespace and
	 * no groups were asked for: nothing to drop then. */
	if (r < 0 && !(e == EPERM && u->n_additional_gids == 0))
		return rp_error(err, e, "process.user.additionalGids");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return rp_error(err, errno, "process.user.gid %u", u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return rp_error(err, errno, "process.user.uid %u", u->uid);
	umask(u->umask.set ? u->umask.value : 022);
	return 0;
}

static char **build_env(const struct rp_process_setup *s)
{
	const struct strv *env = &s->process->env;
	size_t n = env->n;
	char **envp = rp_xcalloc(n + 3, sizeof(char *));

	for (size_t i = 0; i < n; i++)
		envp[i] = env->v[i];
	/* Socket activation: LISTEN_PID names the process that will own the
	 * fds, this one (the pid is kept across execve). */
	if (s->listen_fds > 0 && !env_get(env, "LISTEN_FDS")) {
		envp[n++] = rp_xasprintf("LISTEN_FDS=%d", s->listen_fds);
		envp[n++] = rp_xasprintf("LISTEN_PID=%d", getpid());
	}
	envp[n] = NULL;
	return envp;
}

static int load_seccomp(const struct rp_process_setup *s, rp_err_t *err)
{
	const struct oci_seccomp *sc = s->cfg->linux_cfg ? s->cfg->linux_cfg->seccomp : NULL;
	int notify = -1;

	if (!sc)
		return 0;
	if (rp_seccomp_install(sc, &notify, err) < 0)
		return rp_error_prefix(err, "linux.seccomp");
	if (notify < 0)
		return 0;
	int r;
	if (s->notify_sock < 0) {
		r = rp_seccomp_send_listener(sc, notify, s->state_json ? s->state_json : "{}", err);
	} else {
		int conn = s->notify_sock;
		if (s->notify_sock_listening)
			conn = accept4(s->notify_sock, NULL, NULL, SOCK_CLOEXEC);
		r = conn < 0 ? rp_error(err, errno, "accept") : rp_send_fd(conn, notify, "seccompFd", err);
		if (conn >= 0 && conn != s->notify_sock)
			close(conn);
	}
	close(notify);
	if (r < 0)
		return rp_error_prefix(err, "linux.seccomp.listenerPath");
	return 0;
}

int rp_process_exec(const struct rp_process_setup *s, rp_err_t *err)
{
	const struct oci_process *p = s->process;
	static const struct oci_capabilities no_caps; /* absent: every set empty */
	const struct oci_capabilities *caps = p->capabilities ? p->capabilities : &no_caps;

	/* 1: privileged resource settings, while still root. */
	if (rp_process_apply_rlimits(p, err) < 0 ||
	    (!s->oom_score_adj_done && rp_process_set_oom_score_adj(p, getpid(), err) < 0) ||
	    apply_scheduler(p, err) < 0 ||
	    apply_io_priority(p, err) < 0 || apply_personality(s->cfg, err) < 0 ||
	    rp_process_apply_cpu_affinity(p->exec_cpu_affinity ? p->exec_cpu_affinity->final : NULL,
			       "process.execCPUAffinity.final", err) < 0 ||
	    apply_memory_policy(s->cfg, err) < 0)
		return -1;
	/* 2 */
	if (join_session_keyring(s, err) < 0)
		return -1;
	if (p->apparmor_profile && *p->apparmor_profile)
		rp_debug("AppArmor is not available on this host: process.apparmorProfile %s not applied",
			 p->apparmor_profile);
	if (p->selinux_label && rp_selinux_set_exec_label(p->selinux_label, err) < 0)
		return rp_error_prefix(err, "process.selinuxLabel");
	/* 3 */
	if (rp_caps_apply_bounding(caps, err) < 0)
		return rp_error_prefix(err, "process.capabilities.bounding");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rp_error(err, errno, "prctl(PR_SET_KEEPCAPS)");

	_cleanup_free_ char **envp = build_env(s);
	/* Only 0-2 and the preserved fds may reach the program: anything else
	 * (a leaked directory fd above all, CVE-2024-21626) is closed by execve. */
	if (rp_cloexec_from(3 + s->preserve_fds, err) < 0)
		return -1;

	if (!p->no_new_privileges && load_seccomp(s, err) < 0)
		return -1; /* needs CAP_SYS_ADMIN: before the uid switch */
	/* 4, 5 */
	if (switch_user(&p->user, err) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return rp_error(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if (rp_caps_apply_final(caps, err) < 0)
		return rp_error_prefix(err, "process.capabilities");
	/* 6 */
	if (p->no_new_privileges) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return rp_error(err, errno, "process.noNewPrivileges");
		if (load_seccomp(s, err) < 0)
			return -1;
	}
	/* 7 */
	execve(s->exe, p->args.v, envp);
	return rp_error(err, errno, "exec %s", s->exe);
}
