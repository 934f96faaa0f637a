/* rampart: logging to stderr and, with --log FILE, to a file that callers
 * parse.  containerd's shim and podman read the file, so its format follows
 * what runc writes through logrus: in JSON one object a line with "level",
 * "msg" and "time"; in text `time="..." level=error msg="..."`.
 *
 * Each line is assembled in memory and written with a single write(2) on an
 * O_APPEND descriptor, so lines from concurrent rampart processes sharing a
 * log file never interleave. */
#include "config-host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "utils.h"

static struct {
	int fd;                    /* --log file, or -1 */
	enum rp_log_format format;
	bool debug;
} log_state = { .fd = -1, .format = RP_LOG_TEXT };

static const char *const level_names[] = {
	[RP_LOG_DEBUG] = "debug",
	[RP_LOG_INFO] = "info",
	[RP_LOG_WARNING] = "warning",
	[RP_LOG_ERROR] = "error",
};

int rp_log_init(const char *path, enum rp_log_format format, bool debug, rp_err_t *err)
{
	rp_log_close();
	log_state.format = format;
	log_state.debug = debug;
	if (!path || !*path)
		return 0;
	/* 0600: error messages name paths and ids of other users' containers. */
	log_state.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0600);
	if (log_state.fd < 0)
		return rp_error(err, errno, "open log file %s", path);
	return 0;
}

void rp_log_close(void)
{
	if (log_state.fd >= 0)
		close(log_state.fd);
	log_state.fd = -1;
}

bool rp_log_debug_enabled(void)
{
	return log_state.debug;
}

/* Only valid UTF-8 goes into JSON; bytes that are not printable ASCII are
 * replaced so one odd path in a message cannot lose the whole line. */
static char *ascii_only(const char *msg)
{
	char *s = rp_xstrdup(msg);

	for (char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x80 || ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t'))
			*p = '?';
	return s;
}

static char *json_line(enum rp_log_level level, const char *msg, const char *now)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		_cleanup_free_ char *clean = attempt ? ascii_only(msg) : NULL;
		json_writer *w = json_writer_new(false);
		const char *buf;
		size_t len;
		char *line = NULL;

		json_w_object_begin(w);
		json_w_kv_string(w, "level", level_names[level]);
		json_w_kv_string(w, "msg", clean ? clean : msg);
		json_w_kv_string(w, "time", now);
		json_w_object_end(w);
		buf = json_writer_buf(w, &len);
		if (buf)
			line = rp_xasprintf("%.*s\n", (int)len, buf);
		json_writer_free(w);
		if (line)
			return line;
	}
	return NULL;
}

/* logrus-style quoting: the message in double quotes with \ " and control
 * characters escaped, so every entry stays on one line. */
static char *text_line(enum rp_log_level level, const char *msg, const char *now)
{
	size_t cap = strlen(msg) * 4 + 1, n = 0;
	_cleanup_free_ char *q = rp_xmalloc(cap);

	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p == '"' || *p == '\\') {
			q[n++] = '\\';
			q[n++] = (char)*p;
		} else if (*p == '\n') {
			q[n++] = '\\';
			q[n++] = 'n';
		} else if (*p < 0x20 || *p == 0x7f) {
			n += (size_t)snprintf(q + n, cap - n, "\\x%02x", *p);
		} else {
			q[n++] = (char)*p;
		}
	}
	q[n] = '\0';
	return rp_xasprintf("time=\"%s\" level=%s msg=\"%s\"\n", now, level_names[level], q);
}

static void write_file(enum rp_log_level level, const char *msg)
{
	char now[40];
	_cleanup_free_ char *line = NULL;

	rp_rfc3339_now(now);
	line = log_state.format == RP_LOG_JSON ? json_line(level, msg, now) : text_line(level, msg, now);
	if (line)
		(void)rp_write_all(log_state.fd, line, strlen(line));
}

/* A caller that asked for a JSON log is a program (containerd's shim,
 * conmon), and it names the runtime itself when it shows our stderr: podman
 * prints "OCI runtime error: rampart: <stderr>".  Our own "rampart: " prefix
 * would then appear twice, so such callers get the bare message. */
static bool stderr_read_by_engine(void)
{
	return log_state.fd >= 0 && log_state.format == RP_LOG_JSON;
}

static void write_stderr(enum rp_log_level level, const char *msg)
{
	_cleanup_free_ char *line = NULL;

	switch (level) {
	case RP_LOG_ERROR:
		if (stderr_read_by_engine()) {
			line = rp_xasprintf("%s\n", msg);
			break;
		}
		line = rp_xasprintf("rampart: %s\n", msg);
		break;
	default:
		line = rp_xasprintf("rampart: %s: %s\n", level_names[level], msg);
		break;
	}
	(void)rp_write_all(STDERR_FILENO, line, strlen(line));
}

void rp_log(enum rp_log_level level, const char *fmt, ...)
{
	int saved_errno = errno;
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	if (level < RP_LOG_DEBUG || level > RP_LOG_ERROR)
		level = RP_LOG_ERROR;
	if (level == RP_LOG_DEBUG && !log_state.debug)
		goto out;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		goto out;

	/* Warnings and errors always reach the person at the terminal; debug
	 * and info only when they asked for --debug.  An engine that keeps our
	 * JSON log (containerd's shim, conmon) hands create and exec the
	 * container's own stderr: only the final error goes there, the rest
	 * stays in the log, or it would show up as the container's output. */
	if ((level >= RP_LOG_WARNING || log_state.debug) &&
	    (level == RP_LOG_ERROR || !stderr_read_by_engine()))
		write_stderr(level, msg);
	if (log_state.fd >= 0)
		write_file(level, msg);
out:
	errno = saved_errno;
}

void rp_log_err(rp_err_t err)
{
	rp_log(RP_LOG_ERROR, "%s", err && err->msg ? err->msg : "unknown error");
}
