/* rampart: the runtime's record of a container: <root>/<id>/, readable only by
 * root.  state.json is written atomically; a flock on <root>/<id>/lock
 * serialises commands on one container. */
#ifndef RAMPART_STATE_H
#define RAMPART_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

#define RP_DEFAULT_ROOT "/run/rampart"

enum rp_status { RP_CREATING, RP_CREATED, RP_RUNNING, RP_STOPPED, RP_PAUSED };
const char *rp_status_name(enum rp_status s);

/* What state.json holds.  The OCI state fields first, then what later
 * commands need to act on the container without re-reading the bundle. */
struct rp_state {
	char *oci_version;
	char *id;
	enum rp_status status;      /* as recorded; rp_state_refresh() makes it live */
	pid_t pid;                  /* init pid on the host; 0 once stopped */
	unsigned long long pid_start_time; /* /proc/<pid>/stat field 22: guards pid reuse */
	char *bundle;               /* absolute */
	char *rootfs;               /* absolute */
	char *created;              /* RFC 3339 */
	char *owner;                /* "" for root */
	json_value *annotations;    /* object or NULL */
	/* rampart's own */
	char *cgroup_path;          /* the container's cgroup, relative to the hierarchy root */
	char *config_path;          /* copy of the config used, for delete's poststop hooks */
	bool systemd_cgroup;
	char *selinux_mcs;          /* MCS pair picked for this container, or NULL */
	char *rootfs_mount;         /* where the rootfs mount lives, if any kept */
	bool use_console_socket;
};

/* Validate an id before it touches the filesystem: 1..1024 chars of
 * [A-Za-z0-9_+.-], not "." nor "..", and not starting with '.'. */
int rp_validate_id(const char *id, rp_err_t *err);

/* <root>/<id> (no validation: callers validate first). */
char *rp_state_dir(const char *root, const char *id);

/* Take the per-container lock (blocks).  Returns the lock fd. */
int rp_state_lock(const char *root, const char *id, rp_err_t *err);

/* Create <root>/<id> exclusively: fails with "container 'x' already exists"
 * (EEXIST) when another create got there first. */
int rp_state_create_dir(const char *root, const char *id, rp_err_t *err);
int rp_state_save(const char *root, const struct rp_state *st, rp_err_t *err);
/* "container \"x\" does not exist" (ENOENT) when absent: callers match it. */
int rp_state_load(const char *root, const char *id, struct rp_state *st, rp_err_t *err);
/* Recompute status from the kernel: pid alive (and same start time), the
 * exec fifo present (created), cgroup frozen (paused). */
void rp_state_refresh(struct rp_state *st, const char *root);
int rp_state_remove(const char *root, const char *id, rp_err_t *err);
void rp_state_clear(struct rp_state *st);

/* Write the OCI state JSON ({"ociVersion","id","status","pid","bundle",...}). */
void rp_state_write_oci(json_writer *w, const struct rp_state *st, bool with_version);

/* List ids under root (sorted). */
int rp_state_list(const char *root, char ***ids, size_t *n, rp_err_t *err);

#endif
