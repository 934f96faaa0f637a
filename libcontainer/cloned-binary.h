/* rampart: cloned-binary (lifecycle internals). */
#ifndef RAMPART_CLONED_BINARY_H
#define RAMPART_CLONED_BINARY_H
#endif
