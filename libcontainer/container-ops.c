/* rampart: kill and delete (runtime.md, "Kill" and "Delete").
 *
 * Both act on a container another rampart process created, so everything
 * they know comes from state.json, checked against the kernel: the init pid
 * is only trusted while its start time matches the recorded one, and it is
 * signalled through a pidfd so a recycled pid can never be hit. */
#include "config-host.h"
#include "container.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "hooks.h"
#include "log.h"
#include "state.h"
#include "utils.h"

/* How long delete waits for a SIGKILLed init to die before giving up. */
#define KILL_WAIT_MS 10000

static int not_running(rp_err_t *err)
{
	rp_error(err, 0, "container not running");
	if (*err)
		(*err)->errnum = ESRCH;
	return -1;
}

static void state_clearp(struct rp_state *st) { rp_state_clear(st); }
#define _cleanup_state_ __attribute__((cleanup(state_clearp)))

static void cgroup_freep(struct rp_cgroup **cg) { if (*cg) rp_cgroup_free(*cg); }
#define _cleanup_cgroup_ __attribute__((cleanup(cgroup_freep)))

/* Load the record and make it live.  *pidfd is a pidfd for the recorded
 * init taken BEFORE the liveness check: when the check then says the init
 * is alive (same pid, same start time), the pidfd refers to it and not to a
 * process that reused its pid.  -1 when there is no live init. */
static int load_live(const struct rp_globals *g, const char *id, struct rp_state *st, int *pidfd,
		     rp_err_t *err)
{
	*pidfd = -1;
	if (rp_state_load(g->root, id, st, err) < 0)
		return -1;
	if (st->pid > 0)
		*pidfd = pidfd_open(st->pid, 0);
	rp_state_refresh(st, g->root);
	if (st->status == RP_STOPPED && *pidfd >= 0) {
		close(*pidfd);
		*pidfd = -1;
	}
	return 0;
}

/* The container's cgroup, or NULL (with a debug note) when none was
 * recorded or it cannot be opened any more. */
static struct rp_cgroup *open_cgroup(const struct rp_state *st)
{
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;

	if (!st->cgroup_path)
		return NULL;
	if (rp_cgroup_open(st->cgroup_path, &cg, &err) < 0) {
		rp_debug("container %s: cgroup %s: %s", st->id, st->cgroup_path,
			 err ? err->msg : "?");
		rp_error_free(&err);
		return NULL;
	}
	return cg;
}

int rp_container_kill(const struct rp_globals *g, const char *id, int sig, bool all, rp_err_t *err)
{
	_cleanup_state_ struct rp_state st = { 0 };
	_cleanup_cgroup_ struct rp_cgroup *cg = NULL;
	_cleanup_close_ int pidfd = -1;

	if (rp_validate_id(id, err) < 0)
		return -1;
	if (sig <= 0 || sig >= NSIG)
		return rp_error(err, 0, "invalid signal %d", sig);
	/* No lock: kill must work while another command (a `run` waiting on
	 * its container) holds it, and state.json is replaced atomically. */
	if (load_live(g, id, &st, &pidfd, err) < 0)
		return -1;
	if (st.status == RP_STOPPED)
		return not_running(err);
	if (all) {
		cg = open_cgroup(&st);
		if (cg) {
			if (rp_cgroup_kill_all(cg, sig, err) < 0)
				return rp_error_prefix(err, "kill container \"%s\"", id);
			return 0;
		}
		if (st.cgroup_path)
			rp_warn("container %s: cgroup %s is gone; signalling the init only",
				id, st.cgroup_path);
	}
	if (pidfd < 0)
		return not_running(err);
	if (pidfd_send_signal(pidfd, sig, NULL, 0) < 0) {
		if (errno == ESRCH)
			return not_running(err);
		return rp_error(err, errno, "kill container \"%s\": signal %d to pid %d", id, sig,
				(int)st.pid);
	}
	/* The v1 freezer holds even a SIGKILLed task until it is thawed: a
	 * caller killing a paused container would wait for it forever. */
	if (sig == SIGKILL && st.status == RP_PAUSED && (cg = open_cgroup(&st)) &&
	    rp_cgroup_is_frozen(cg) && rp_cgroup_freeze(cg, false, err) < 0)
		return rp_error_prefix(err, "kill container \"%s\"", id);
	return 0;
}

/* Wait until the process behind pidfd has exited (a zombie counts). */
static int wait_dead(int pidfd, pid_t pid, rp_err_t *err)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	int n;

	do
		n = poll(&pfd, 1, KILL_WAIT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rp_error(err, errno, "wait for pid %d", (int)pid);
	if (n == 0)
		return rp_error(err, ETIMEDOUT, "pid %d still alive %d s after SIGKILL", (int)pid,
				KILL_WAIT_MS / 1000);
	return 0;
}

/* SIGKILL everything of the container and wait for the init to die. */
static int kill_everything(const struct rp_state *st, int pidfd, struct rp_cgroup *cg,
			   rp_err_t *err)
{
	if (cg && rp_cgroup_kill_all(cg, SIGKILL, err) < 0)
		return -1;
	/* A frozen task does not act on SIGKILL until thawed (v1 freezer). */
	if (cg && st->status == RP_PAUSED && rp_cgroup_freeze(cg, false, err) < 0)
		return -1;
	if (pidfd < 0)
		return 0;
	if (pidfd_send_signal(pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
		return rp_error(err, errno, "kill pid %d", (int)st->pid);
	return wait_dead(pidfd, st->pid, err);
}

static void run_poststop(const struct rp_state *st)
{
	struct oci_config *config;
	_cleanup_free_ char *json = NULL;
	rp_err_t err = NULL;

	if (!st->config_path || access(st->config_path, F_OK) < 0)
		return;
	config = oci_config_parse_file(st->config_path, &err);
	if (!config) {
		rp_warn("container %s: poststop hooks not run: %s", st->id, err ? err->msg : "?");
		rp_error_free(&err);
		return;
	}
	if (config->hooks && config->hooks->poststop.n) {
		json = rp_state_json(st);
		rp_hooks_run(&config->hooks->poststop, "poststop", json, true, &err);
		rp_error_free(&err);
	}
	oci_config_free(config);
}

/* Undo create: processes, cgroup, kept rootfs mount; then poststop hooks
 * (runtime.md lifecycle steps 12 and 13) and the record itself. */
static int destroy(const struct rp_globals *g, struct rp_state *st, int pidfd, rp_err_t *err)
{
	_cleanup_cgroup_ struct rp_cgroup *cg = open_cgroup(st);

	if (kill_everything(st, pidfd, cg, err) < 0)
		return -1;
	if (cg) {
		if (rp_cgroup_destroy(cg, err) < 0)
			return -1;
	}
	if (st->rootfs_mount && umount2(st->rootfs_mount, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 &&
	    errno != EINVAL && errno != ENOENT)
		rp_warn("container %s: unmount %s: %m", st->id, st->rootfs_mount);
	st->status = RP_STOPPED;
	st->pid = 0;
	run_poststop(st);
	return rp_state_remove(g->root, st->id, err);
}

int rp_container_delete(const struct rp_globals *g, const char *id, bool force, rp_err_t *err)
{
	_cleanup_state_ struct rp_state st = { 0 };
	_cleanup_close_ int lock = -1;
	_cleanup_close_ int pidfd = -1;

	if (rp_validate_id(id, err) < 0)
		return -1;
	lock = rp_state_lock(g->root, id, err);
	if (lock < 0 || load_live(g, id, &st, &pidfd, err) < 0) {
		if (rp_error_errno(*err) != ENOENT)
			return -1;
		/* A directory without a record is what a create killed
		 * between mkdir and its first save leaves: we hold its lock,
		 * so nobody is working on it any more. */
		if (lock >= 0) {
			rp_err_t rm_err = NULL;
			if (rp_state_remove(g->root, id, &rm_err) < 0)
				rp_warn("%s", rm_err->msg);
			rp_error_free(&rm_err);
		}
		/* --force means "make sure it is gone": it is. */
		if (force) {
			rp_error_free(err);
			return 0;
		}
		return -1;
	}
	switch (st.status) {
	case RP_STOPPED:
	case RP_CREATED: /* never ran the user's program: nothing to lose */
		break;
	case RP_CREATING:
	case RP_RUNNING:
	case RP_PAUSED:
		if (!force)
			return rp_error(err, 0, "cannot delete container \"%s\" that is not stopped: %s",
					id, rp_status_name(st.status));
		break;
	}
	if (destroy(g, &st, pidfd, err) < 0)
		return rp_error_prefix(err, "delete container \"%s\"", id);
	return 0;
}

/* ========================================================= pause, resume */

static int set_frozen(const struct rp_globals *g, const char *id, bool frozen, rp_err_t *err)
{
	_cleanup_close_ int lock = -1;
	struct rp_state st = { 0 };
	struct rp_cgroup *cg = NULL;
	int r = -1;

	if (rp_validate_id(id, err) < 0 || (lock = rp_state_lock(g->root, id, err)) < 0 ||
	    rp_cgroup_open_container(g->root, id, &st, &cg, err) < 0)
		goto out;
	if (frozen && st.status != RP_RUNNING && st.status != RP_CREATED) {
		rp_error(err, 0, "cannot pause \"%s\": container not running (%s)", st.id,
			 rp_status_name(st.status));
		goto out;
	}
	if (!frozen && st.status != RP_PAUSED) {
		rp_error(err, 0, "container \"%s\" is not paused (%s)", st.id, rp_status_name(st.status));
		goto out;
	}
	r = rp_cgroup_freeze(cg, frozen, err);
out:
	rp_cgroup_free(cg);
	rp_state_clear(&st);
	return r;
}

int rp_container_pause(const struct rp_globals *g, const char *id, rp_err_t *err)
{
	return set_frozen(g, id, true, err);
}

int rp_container_resume(const struct rp_globals *g, const char *id, rp_err_t *err)
{
	return set_frozen(g, id, false, err);
}
