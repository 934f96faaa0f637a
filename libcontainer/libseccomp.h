/* rampart: the libseccomp library's own <seccomp.h>.
 *
 * libcontainer/ is on the include path and has a seccomp.h of its own
 * (rampart's interface), which shadows the library's header.  Include this
 * file as <libseccomp.h>: it is then found through the include path, and
 * #include_next continues the search after libcontainer/, reaching the
 * system's header. */
#ifndef RAMPART_LIBSECCOMP_H
#define RAMPART_LIBSECCOMP_H

#include_next <seccomp.h>

#endif
