/* rampart: the last steps before a container process becomes the user's
 * program (config.md "process"), shared by the init and by exec. */
#ifndef RAMPART_PROCESS_H
#define RAMPART_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-config.h"

struct rp_process_setup {
	const struct oci_process *process;
	const struct oci_config *cfg;   /* linux.seccomp, personality, memoryPolicy */
	const char *id;                 /* names the session keyring */
	const char *exe;                /* process.args[0] resolved by rp_process_resolve_exe */
	int preserve_fds;               /* fds 3..3+N-1 reach the program */
	int listen_fds;                 /* of those, socket-activation fds (LISTEN_FDS) */
	bool no_new_keyring;
	const char *state_json;         /* for a seccomp listener, or NULL */
	/* linux.seccomp.listenerPath is a path in the runtime's namespaces,
	 * unreachable (and, under a user namespace, not ours to connect to)
	 * from the container: the notify fd goes to the runtime over this
	 * socket, and the runtime passes it on.  -1: connect to the path. */
	int notify_sock;
	bool notify_sock_listening;     /* accept(2) one connection on it first */
	/* The runtime wrote process.oomScoreAdj from outside (rp_process_set_oom_score_adj):
	 * the process's own /proc/self belongs to the unmapped host root once
	 * it is non-dumpable in a user namespace. */
	bool oom_score_adj_done;
};

/* Write process.oomScoreAdj to /proc/<pid>/oom_score_adj (nothing when unset). */
int rp_process_set_oom_score_adj(const struct oci_process *p, pid_t pid, rp_err_t *err);

/* Socket activation (sd_listen_fds(3)): the number of fds the caller passes
 * from fd 3 on, when LISTEN_FDS is set and LISTEN_PID names this process;
 * 0 otherwise.  Like runc, such fds reach the container without
 * --preserve-fds, with LISTEN_FDS and LISTEN_PID set for it. */
int rp_process_listen_fds(void);

/* Resolve process.args[0] the way execvp(3) would, with the PATH of
 * process.env (or the default PATH), in the current root: the container's,
 * since this runs after pivot_root.  *out is allocated. */
int rp_process_resolve_exe(const struct oci_process *p, char **out, rp_err_t *err);

/* chdir to process.cwd, resolved inside the current root without magic
 * links (a /proc/self/fd/N cwd would otherwise reach a host directory:
 * CVE-2024-21626), and verify the result is reachable from the root. */
int rp_process_chdir(const struct oci_process *p, rp_err_t *err);

/* process.rlimits.  The init applies them during create, so a limit the
 * host does not allow (above the hard limit without CAP_SYS_RESOURCE) fails
 * create, not start; rp_process_exec applies them again (idempotent). */
int rp_process_apply_rlimits(const struct oci_process *p, rp_err_t *err);

/* sched_setaffinity(2) to a cpu list ("0-3,7"); `field` names it in errors.
 * NULL or "" changes nothing. */
int rp_process_apply_cpu_affinity(const char *list, const char *field, rp_err_t *err);

/* Apply everything (rlimits ... seccomp) and execve.  Returns only on
 * failure. */
int rp_process_exec(const struct rp_process_setup *s, rp_err_t *err);

#endif
