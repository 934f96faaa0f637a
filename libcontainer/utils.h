/* rampart: small helpers shared by every module, above all the path
 * discipline: a path that comes from config.json or from the rootfs is
 * hostile, so it is resolved with openat2(RESOLVE_IN_ROOT) below a directory
 * fd, and the resulting fd is what we act on. */
#ifndef RAMPART_UTILS_H
#define RAMPART_UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* openat2(2) with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS below root_fd:
 * ".." and absolute symlinks cannot leave root_fd.  flags/mode as openat. */
int rp_open_in_root(int root_fd, const char *path, int flags, mode_t mode, rp_err_t *err);

/* Like rp_open_in_root, creating missing components as directories (mode
 * 0755) on the way; the last component is created as a directory when
 * is_dir, else as an empty regular file.  Returns an O_PATH fd (plus
 * O_CLOEXEC) to the final object. */
int rp_mkpath_in_root(int root_fd, const char *path, bool is_dir, rp_err_t *err);

/* "/proc/self/fd/N": the way to hand a resolved fd to mount(2) and friends. */
#define RP_FD_PATH_MAX 32
const char *rp_fd_path(int fd, char buf[RP_FD_PATH_MAX]);

/* Whole-file helpers.  rp_write_file_at writes with O_TRUNC|O_CLOEXEC|
 * O_NOFOLLOW; rp_write_file_atomic writes "<path>.tmp", fsyncs, renames. */
int rp_write_file(const char *path, const void *buf, size_t len, rp_err_t *err);
int rp_write_file_at(int dirfd, const char *name, const void *buf, size_t len, rp_err_t *err);
int rp_write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, rp_err_t *err);
/* Read a whole file (NUL-terminated; *len excludes the NUL), at most `max`. */
int rp_read_file(const char *path, char **out, size_t *len, size_t max, rp_err_t *err);
int rp_read_file_at(int dirfd, const char *name, char **out, size_t *len, size_t max, rp_err_t *err);
int rp_read_fd(int fd, char **out, size_t *len, size_t max, rp_err_t *err);

/* Loop over short writes / EINTR. */
ssize_t rp_write_all(int fd, const void *buf, size_t len);
ssize_t rp_read_all(int fd, void *buf, size_t len);

/* mkdir -p for runtime-owned host paths (state dirs, cgroups). */
int rp_mkdir_p(const char *path, mode_t mode, rp_err_t *err);

/* Parse "0-3,7" into a bitmask of up to `max_bits` bits (cpus, mems). */
int rp_parse_cpu_list(const char *list, uint8_t *mask, size_t mask_bytes, rp_err_t *err);

/* Strict decimal parsers; false on garbage or overflow. */
bool rp_parse_i64(const char *s, int64_t *out);
bool rp_parse_u64(const char *s, uint64_t *out);

/* Signal by number or name ("9", "KILL", "SIGKILL", "sigterm"); -1 when unknown. */
int rp_parse_signal(const char *s);

/* Current time as RFC 3339 with nanoseconds, UTC ("2026-11-23T01:02:03.123456789Z"). */
void rp_rfc3339_now(char buf[40]);

/* Mark every fd >= lowfd close-on-exec (close_range(CLOSE_RANGE_CLOEXEC),
 * with a /proc/self/fd walk as fallback). */
int rp_cloexec_from(int lowfd, rp_err_t *err);

/* Duplicate/str helpers that abort on OOM (the runtime cannot do anything
 * useful out of memory, and every caller checking NULL adds nothing). */
void *rp_xmalloc(size_t n);
void *rp_xcalloc(size_t n, size_t sz);
void *rp_xrealloc(void *p, size_t n);
char *rp_xstrdup(const char *s);
char *rp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
