/* rampart: control groups.  cgroup v2 is the model; legacy (v1) and hybrid
 * hosts get the same resources mapped onto the v1 controllers they mount.
 *
 * Lifecycle contract (libcontainer/container.c calls these in this order):
 *   rp_cgroup_create()   before the init is cloned: makes the cgroup(s),
 *                        enables controllers, applies linux.resources, and
 *                        returns a v2 directory fd for clone3(CLONE_INTO_CGROUP)
 *                        (or -1 when the init must be moved with rp_cgroup_enter)
 *   rp_cgroup_enter()    puts a pid in every hierarchy of the container
 *   rp_cgroup_destroy()  on delete or a failed create: kills what is left and
 *                        removes the cgroup from every hierarchy
 * A resource that cannot be honoured (its controller absent) is an error that
 * names the controller and the field, and rp_cgroup_create leaves nothing. */
#ifndef RAMPART_CGROUP_H
#define RAMPART_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"
#include "oci-config.h"

enum rp_cgroup_layout { RP_CGROUP_UNIFIED, RP_CGROUP_HYBRID, RP_CGROUP_LEGACY };
enum rp_cgroup_layout rp_cgroup_detect_layout(void);

struct rp_cgroup; /* opaque */

struct rp_cgroup_opts {
	const char *id;          /* container id */
	const char *cgroups_path;/* linux.cgroupsPath or NULL (default: /rampart/<id>) */
	bool systemd;            /* --systemd-cgroup: "slice:prefix:name" syntax */
};

int rp_cgroup_create(const struct rp_cgroup_opts *opts, const struct oci_resources *res,
		     struct rp_cgroup **out, rp_err_t *err);
/* fd of the v2 directory for CLONE_INTO_CGROUP, or -1. Owned by the cgroup. */
int rp_cgroup_v2_fd(const struct rp_cgroup *cg);
int rp_cgroup_enter(const struct rp_cgroup *cg, pid_t pid, rp_err_t *err);
/* Re-open an existing container's cgroup from its recorded path. */
int rp_cgroup_open(const char *path, struct rp_cgroup **out, rp_err_t *err);
/* The path recorded in state.json. */
const char *rp_cgroup_path(const struct rp_cgroup *cg);

int rp_cgroup_update(struct rp_cgroup *cg, const struct oci_resources *res, rp_err_t *err);
int rp_cgroup_freeze(struct rp_cgroup *cg, bool frozen, rp_err_t *err);
bool rp_cgroup_is_frozen(const struct rp_cgroup *cg);
int rp_cgroup_pids(const struct rp_cgroup *cg, pid_t **pids, size_t *n, rp_err_t *err);
int rp_cgroup_kill_all(struct rp_cgroup *cg, int sig, rp_err_t *err);
/* Writes the "data" object of an events --stats line. */
int rp_cgroup_stats(const struct rp_cgroup *cg, json_writer *w, rp_err_t *err);
/* OOM-kill counter (memory.events oom_kill, or v1 oom_control), -1 if unknown. */
int64_t rp_cgroup_oom_count(const struct rp_cgroup *cg);
int rp_cgroup_destroy(struct rp_cgroup *cg, rp_err_t *err);
void rp_cgroup_free(struct rp_cgroup *cg);

/* For the commands that act on a container's cgroup (update, pause, resume,
 * events, ps): load <root>/<id>/state.json (status refreshed) into *st and
 * open the recorded cgroup.  "container \"x\" does not exist" when absent. */
struct rp_state;
int rp_cgroup_open_container(const char *root, const char *id, struct rp_state *st,
			     struct rp_cgroup **out, rp_err_t *err);

#endif
