/* rampart: linux.namespaces — which ones are new, which are joined by path,
 * the user namespace's id maps and the time namespace's offsets. */
#ifndef RAMPART_NAMESPACES_H
#define RAMPART_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-config.h"

/* Open every namespace the config joins by path (in the runtime, before any
 * fork: the paths are host paths) into fds[type], -1 elsewhere; compute the
 * CLONE_NEW* flags of the namespaces to create (without CLONE_NEWUSER, which
 * is reported through *new_userns because it must come first). */
int rp_ns_open(const struct oci_config *cfg, int fds[OCI_NS__COUNT], int *unshare_flags,
	       bool *new_userns, rp_err_t *err);
void rp_ns_close(int fds[OCI_NS__COUNT]);

/* setns() into every opened namespace, the user namespace first so that the
 * others are joined with the capabilities it grants. */
int rp_ns_join(const int fds[OCI_NS__COUNT], rp_err_t *err);

/* Write linux.uidMappings/gidMappings to /proc/<pid>/{uid,gid}_map. */
int rp_ns_write_id_maps(pid_t pid, const struct oci_config *cfg, rp_err_t *err);

/* A user namespace with these maps (written as "containerID hostID size"),
 * kept alive by the returned fd alone: the id mapping an idmapped mount
 * takes.  Needs CAP_SETUID and CAP_SETGID. */
int rp_ns_userns_with_maps(const struct oci_id_mapping *uids, size_t n_uids,
			   const struct oci_id_mapping *gids, size_t n_gids, rp_err_t *err);

/* Write linux.timeOffsets to /proc/self/timens_offsets: valid only after
 * unshare(CLONE_NEWTIME) and before any process entered the namespace. */
int rp_ns_write_time_offsets(const struct oci_config *cfg, rp_err_t *err);

/* Join the namespaces of fds (those rp_ns_open_pid found to differ from
 * ours) with one setns() on the process's pidfd, all or none (Linux 5.8);
 * where the kernel cannot, one setns() per fd. */
int rp_ns_join_via_pidfd(int pidfd, const int fds[OCI_NS__COUNT], rp_err_t *err);

/* Open /proc/<pid>/ns/<name> for every namespace type the kernel has; used
 * by exec to join a running container.  Absent types stay -1. */
int rp_ns_open_pid(pid_t pid, int fds[OCI_NS__COUNT], rp_err_t *err);

#endif
