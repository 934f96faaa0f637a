/* rampart: init (lifecycle internals). */
#ifndef RAMPART_INIT_H
#define RAMPART_INIT_H
#endif
