/* rampart: run the runtime from a sealed in-memory copy of its binary
 * (CVE-2019-5736).  See cloned-binary.c for how the guarantee holds. */
#ifndef RAMPART_CLONED_BINARY_H
#define RAMPART_CLONED_BINARY_H

#include <stdbool.h>
#include "error.h"

/* True when /proc/self/exe is a memfd sealed against every write. */
bool rp_cloned_binary_active(void);

/* When not already running from the sealed copy: copy /proc/self/exe into a
 * sealed memfd and fexecve it with the same argv and environment (so it
 * returns only on failure).  Returns 0 at once when the process already runs
 * from the copy. */
int rp_cloned_binary_ensure(rp_err_t *err);

#endif
