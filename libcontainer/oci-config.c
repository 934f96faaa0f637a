/* rampart: oci-config — placeholder until its module lands. */
#include "config-host.h"
