/* rampart CLI option parsing — placeholder. */
#include "config-host.h"
#include "cli.h"
