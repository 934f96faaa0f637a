/* rampart: namespaces (lifecycle internals). */
#ifndef RAMPART_NAMESPACES_H
#define RAMPART_NAMESPACES_H
#endif
