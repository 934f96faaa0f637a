/* rampart: capabilities, through libcap. */
#ifndef RAMPART_CAPS_H
#define RAMPART_CAPS_H

#include "error.h"
#include "oci-config.h"

/* Drop the bounding set to caps->bounding (called while still privileged,
 * before the uid switch). */
int rp_caps_apply_bounding(const struct oci_capabilities *caps, rp_err_t *err);
/* Set effective/permitted/inheritable and raise ambient exactly as the config
 * gives (after setuid, with PR_SET_KEEPCAPS held across it).  An absent set
 * is empty; inheritable is never filled unless the config asks. */
int rp_caps_apply_final(const struct oci_capabilities *caps, rp_err_t *err);
/* Capabilities the running kernel knows (cap_max_bits()). */
int rp_caps_last_cap(void);

#endif
