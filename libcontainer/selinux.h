/* rampart: SELinux labels through libselinux.  When SELinux is disabled on
 * the host every function is a successful no-op (said under --debug). */
#ifndef RAMPART_SELINUX_H
#define RAMPART_SELINUX_H

#include <stdbool.h>
#include "error.h"

bool rp_selinux_enabled(void);
/* Label the next execve of this thread (process.selinuxLabel). */
int rp_selinux_set_exec_label(const char *label, rp_err_t *err);
/* Label keys created by this thread (the session keyring). */
int rp_selinux_set_keycreate_label(const char *label, rp_err_t *err);
/* Append ",context=\"<label>\"" to mount data for the filesystems that take a
 * context (tmpfs, mqueue, devpts, ...). Returns a new string. */
char *rp_selinux_mount_data(const char *data, const char *fstype, const char *mount_label);
/* Pick container_t from the policy's lxc_contexts with an MCS pair that no
 * other container under root holds, and reserve the pair in the state
 * directory root/id (which must exist; removing it frees the pair).
 * *process_label and *mount_label are allocated; both NULL when SELinux is
 * disabled. */
int rp_selinux_auto_labels(const char *root, const char *id, char **process_label, char **mount_label,
			   rp_err_t *err);

#endif
