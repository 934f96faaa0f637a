/* rampart: scope-bound lifetimes.  A variable declared with one of these
 * attributes is released when it goes out of scope, so every error path
 * releases the same things as the success path without a goto ladder. */
#ifndef RAMPART_CLEANUP_H
#define RAMPART_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void rp_freep(void *p) { free(*(void **)p); }
static inline void rp_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
static inline void rp_fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void rp_closedirp(DIR **d) { if (*d) closedir(*d); }
static inline void rp_strvfreep(char ***v)
{
	if (*v) {
		for (char **p = *v; *p; p++)
			free(*p);
		free(*v);
	}
}

#define _cleanup_free_ __attribute__((cleanup(rp_freep)))
#define _cleanup_close_ __attribute__((cleanup(rp_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(rp_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(rp_closedirp)))
#define _cleanup_strv_ __attribute__((cleanup(rp_strvfreep)))

/* Hand ownership out of a cleanup variable. */
#define take_ptr(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define take_fd(fd) ({ int _t = (fd); (fd) = -1; _t; })

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
