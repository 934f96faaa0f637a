/* rampart: logging.  Messages go to stderr as text and, when --log FILE is
 * given, to FILE as text or (--log-format json) one JSON object a line:
 *   {"level":"error","msg":"...","time":"2026-11-23T01:02:03.456789012Z"}
 * containerd's shim shows the last "error" line of that file to its user, so
 * the final error of a failed command must be logged exactly once, last. */
#ifndef RAMPART_LOG_H
#define RAMPART_LOG_H

#include <stdbool.h>
#include "error.h"

enum rp_log_level { RP_LOG_DEBUG, RP_LOG_INFO, RP_LOG_WARNING, RP_LOG_ERROR };
enum rp_log_format { RP_LOG_TEXT, RP_LOG_JSON };

/* Open the log file (append) or keep stderr only when path is NULL.  The fd
 * is O_CLOEXEC: it never reaches a container. */
int rp_log_init(const char *path, enum rp_log_format format, bool debug, rp_err_t *err);
void rp_log_close(void);
bool rp_log_debug_enabled(void);

void rp_log(enum rp_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define rp_debug(...) rp_log(RP_LOG_DEBUG, __VA_ARGS__)
#define rp_info(...) rp_log(RP_LOG_INFO, __VA_ARGS__)
#define rp_warn(...) rp_log(RP_LOG_WARNING, __VA_ARGS__)
#define rp_log_error(...) rp_log(RP_LOG_ERROR, __VA_ARGS__)

/* Log an error value at error level (text: "rampart: <msg>" on stderr). */
void rp_log_err(rp_err_t err);

#endif
