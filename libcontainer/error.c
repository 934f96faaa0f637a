/* rampart: error values (see error.h). */
#include "config-host.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_error_free(rp_err_t *err)
{
	if (err && *err) {
		free((*err)->msg);
		free(*err);
		*err = NULL;
	}
}

int rp_verror(rp_err_t *err, int errnum, const char *fmt, va_list ap)
{
	char *msg = NULL, *full = NULL;

	if (!err)
		return -1;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (msg && errnum) {
		if (asprintf(&full, "%s: %s", msg, strerror(errnum)) < 0)
			full = NULL;
		free(msg);
		msg = full;
	}
	rp_error_free(err);
	*err = calloc(1, sizeof(**err));
	if (!*err) {
		free(msg);
		return -1;
	}
	(*err)->errnum = errnum;
	(*err)->msg = msg ? msg : strdup("out of memory while reporting an error");
	return -1;
}

int rp_error(rp_err_t *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rp_verror(err, errnum, fmt, ap);
	va_end(ap);
	return -1;
}

int rp_error_prefix(rp_err_t *err, const char *fmt, ...)
{
	va_list ap;
	char *ctx = NULL, *full = NULL;

	if (!err || !*err)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&ctx, fmt, ap) < 0)
		ctx = NULL;
	va_end(ap);
	if (ctx && asprintf(&full, "%s: %s", ctx, (*err)->msg) >= 0) {
		free((*err)->msg);
		(*err)->msg = full;
	}
	free(ctx);
	return -1;
}
