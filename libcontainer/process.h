/* rampart: process (lifecycle internals). */
#ifndef RAMPART_PROCESS_H
#define RAMPART_PROCESS_H
#endif
