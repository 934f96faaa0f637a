/* rampart: cloned-binary — placeholder until its module lands. */
#include "config-host.h"
