/* rampart: the container lifecycle of the runtime spec (runtime.md,
 * "Lifecycle"): create, start, kill, delete, plus run (= create + start +
 * wait) and exec.  The CLI in src/ is a thin layer over these calls. */
#ifndef RAMPART_CONTAINER_H
#define RAMPART_CONTAINER_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-config.h"
#include "policy.h"
#include "state.h"

/* Options every command carries (runc's global flags). */
struct rp_globals {
	const char *root;          /* --root, default RP_DEFAULT_ROOT */
	const char *log_path;      /* --log */
	const char *log_format;    /* --log-format text|json */
	bool debug;                /* --debug */
	bool systemd_cgroup;       /* --systemd-cgroup */
	const char *policy;        /* --policy (or NULL: RAMPART_POLICY / default) */
	const char *cgroup_manager;/* podman's --cgroup-manager (cgroupfs|systemd|disabled) */
	bool rootless_set; const char *rootless; /* accepted for compatibility */
};

struct rp_create_opts {
	const char *id;
	const char *bundle;        /* default: cwd */
	const char *config_path;   /* --config (default <bundle>/config.json) */
	const char *console_socket;
	const char *pid_file;
	const char *pidfd_socket;
	int preserve_fds;          /* --preserve-fds N: fds 3..3+N-1 go to the container */
	bool no_pivot;
	bool no_new_keyring;
	bool dry_run;              /* evaluate the policy, create nothing */
	bool detach;               /* run -d */
	bool keep;                 /* run --keep: do not delete after exit */
};

/* create: prepare everything; the init waits for start.  On any failure,
 * nothing is left behind (state dir, cgroup, mounts, processes). */
int rp_container_create(const struct rp_globals *g, const struct rp_create_opts *o, rp_err_t *err);
/* start: release the init to execve the user's process; run poststart hooks. */
int rp_container_start(const struct rp_globals *g, const char *id, rp_err_t *err);
/* run: create + start, then (unless detached) wait and return the exit status
 * (128+N for death by signal N) through *exit_status. */
int rp_container_run(const struct rp_globals *g, const struct rp_create_opts *o, int *exit_status, rp_err_t *err);
/* kill: "container not running" when stopped. */
int rp_container_kill(const struct rp_globals *g, const char *id, int sig, bool all, rp_err_t *err);
/* delete: stopped containers (or any with force); poststop hooks. */
int rp_container_delete(const struct rp_globals *g, const char *id, bool force, rp_err_t *err);
/* pause: freeze every process (running or created containers); resume:
 * thaw a paused one.  `state` reads the freezer, so nothing is recorded. */
int rp_container_pause(const struct rp_globals *g, const char *id, rp_err_t *err);
int rp_container_resume(const struct rp_globals *g, const char *id, rp_err_t *err);

struct rp_exec_opts {
	const char *id;
	struct oci_process *process; /* from --process or the argument form */
	const char *console_socket;
	const char *pid_file;
	const char *pidfd_socket;
	int preserve_fds;
	bool detach;
	bool tty;
};
int rp_container_exec(const struct rp_globals *g, const struct rp_exec_opts *o, int *exit_status, rp_err_t *err);

#endif
