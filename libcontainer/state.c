/* rampart: state — placeholder until its module lands. */
#include "config-host.h"
