/* rampart: OCI lifecycle hooks (config.md, "POSIX-platform Hooks").
 *
 * A hook is a program run with exactly the argv and environment the config
 * gives it, the container state JSON on its stdin, and the runtime's stdout
 * and stderr; no other fd of the runtime reaches it. */
#ifndef RAMPART_HOOKS_H
#define RAMPART_HOOKS_H

#include <stdbool.h>

#include "error.h"
#include "oci-config.h"
#include "state.h"

/* Run every hook of a list in order.  `kind` names the list in messages
 * ("prestart", "poststop", ...).  A hook that exits non-zero, dies, cannot be
 * executed or outlives its timeout (then it is SIGKILLed) is an error
 * ("<kind> hook <path> failed: exit status N"); with warn_only it is logged
 * as a warning and the next hook runs (poststop semantics), and the call
 * returns 0.  hooks may be NULL. */
int rp_hooks_run(const struct oci_hook_list *hooks, const char *kind, const char *state_json,
		 bool warn_only, rp_err_t *err);

/* The OCI state document (with ociVersion) a hook reads on stdin. */
char *rp_state_json(const struct rp_state *st);

#endif
