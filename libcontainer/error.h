/* rampart: the error value every libcontainer function reports through.
 *
 * Convention: a fallible function returns 0 (or a non-negative result) on
 * success and -1 on failure, with *err set.  Callers add context on the way
 * up with rp_error_prefix(), so the message that reaches the user reads from
 * the outermost operation to the innermost cause:
 *   "create 'web': mount /proc: resolve 'proc' in rootfs: No such file or directory"
 */
#ifndef RAMPART_ERROR_H
#define RAMPART_ERROR_H

#include <stdarg.h>

struct rp_error {
	int errnum; /* errno of the root cause, 0 when it is not a system error */
	char *msg;  /* full message, without a trailing newline */
};
typedef struct rp_error *rp_err_t;

/* Set *err (freeing any previous value) from a format; when errnum != 0,
 * ": strerror(errnum)" is appended.  Always returns -1. */
int rp_error(rp_err_t *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rp_verror(rp_err_t *err, int errnum, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* Prepend "context: " to the message of *err.  Always returns -1. */
int rp_error_prefix(rp_err_t *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void rp_error_free(rp_err_t *err);

/* errno of the root cause (0 if none). */
static inline int rp_error_errno(rp_err_t err) { return err ? err->errnum : 0; }

#endif
