/* rampart: utils — placeholder until its module lands. */
#include "config-host.h"
