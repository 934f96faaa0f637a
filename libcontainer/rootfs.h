/* rampart: building the container's filesystem view, inside its new mount
 * namespace, in the order config.md and config-linux.md give:
 * propagation, rootfs bind, mounts in order, devices, pivot_root (or MS_MOVE +
 * chroot), masked and readonly paths, root.readonly.  Every destination is
 * resolved inside the rootfs with openat2(RESOLVE_IN_ROOT) and mounted
 * through its fd. */
#ifndef RAMPART_ROOTFS_H
#define RAMPART_ROOTFS_H

#include <stdbool.h>
#include "error.h"
#include "oci-config.h"

struct rp_rootfs_opts {
	const char *rootfs;        /* absolute host path of root.path */
	bool no_pivot;             /* --no-pivot */
	bool new_userns;           /* the container has its own user namespace */
	bool new_cgroupns;
	bool new_netns;
	const char *mount_label;   /* SELinux context for mounts, or NULL */
	const char *console_path;  /* pty slave to bind at /dev/console, or NULL */
	const char *bundle;        /* relative bind sources are below it; NULL: cwd */
	const int *idmapped;       /* per cfg->mounts index: the detached idmapped
	                            * clone rp_rootfs_idmap_prepare made, or -1;
	                            * NULL when no mount is idmapped */
};

/* In the runtime, before the container's processes exist: for every mount
 * with idmap/ridmap (or uidMappings), a detached clone of its source with
 * the id mapping applied, which takes privilege over the source's
 * filesystem that the container's init, in its own user namespace, lacks.
 * The mapping is the mount's own, or else the container's user namespace
 * (joined_userns, an fd of a namespace joined by path, or -1).  *fds is
 * NULL when no mount asks; else one O_CLOEXEC fd or -1 per mount. */
int rp_rootfs_idmap_prepare(const struct oci_config *cfg, const char *bundle, int joined_userns, int **fds,
			    rp_err_t *err);
void rp_rootfs_idmap_free(int *fds, size_t n);

/* Phase 1, before createContainer hooks: everything up to (not including)
 * pivot_root.  Phase 2: pivot_root/chroot, then masks, readonly paths and
 * root.readonly.  Both run in the container's mount namespace. */
int rp_rootfs_prepare(const struct oci_config *cfg, const struct rp_rootfs_opts *o, rp_err_t *err);
int rp_rootfs_finalize(const struct oci_config *cfg, const struct rp_rootfs_opts *o, rp_err_t *err);

/* Namespaced sysctls (linux.sysctl): validated against the namespaces the
 * container has, written under its /proc/sys after pivot. */
int rp_sysctl_apply(const struct oci_config *cfg, rp_err_t *err);

#endif
