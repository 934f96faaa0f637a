/* rampart: seccomp filters from an OCI LinuxSeccomp, through libseccomp. */
#ifndef RAMPART_SECCOMP_H
#define RAMPART_SECCOMP_H

#include <stdbool.h>
#include "error.h"
#include "oci-config.h"

/* The built-in default profile (seccomp-profiles/default.json, compiled in
 * so a missing install cannot weaken a container).  Caller frees. */
struct oci_seccomp *rp_seccomp_default_profile(rp_err_t *err);

/* Check a profile can be compiled here (unknown syscall names for this
 * architecture are skipped, unknown actions/flags are errors) without
 * installing it.  create calls this in the runtime, before any namespace. */
int rp_seccomp_validate(const struct oci_seccomp *s, rp_err_t *err);

/* Load the filter into the calling thread (the container init, as its last
 * step before execve).  When the profile uses SCMP_ACT_NOTIFY, *notify_fd
 * receives the listener fd (else -1).  no_new_privs tells whether the
 * process already set PR_SET_NO_NEW_PRIVS; without it the caller must still
 * hold CAP_SYS_ADMIN. */
int rp_seccomp_install(const struct oci_seccomp *s, int *notify_fd, rp_err_t *err);

/* Send the notify fd and the container process state to listenerPath as
 * config-linux.md describes (SCM_RIGHTS + the state JSON). */
int rp_seccomp_send_listener(const struct oci_seccomp *s, int notify_fd,
			     const char *state_json, rp_err_t *err);

#endif
