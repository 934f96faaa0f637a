/* rampart: terminal (lifecycle internals). */
#ifndef RAMPART_TERMINAL_H
#define RAMPART_TERMINAL_H
#endif
