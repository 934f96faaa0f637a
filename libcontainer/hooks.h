/* rampart: hooks (lifecycle internals). */
#ifndef RAMPART_HOOKS_H
#define RAMPART_HOOKS_H
#endif
