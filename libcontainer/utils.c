/* rampart: shared helpers (see utils.h). */
#include "config-host.h"
#include "utils.h"
#include "cleanup.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* ---- allocation: out of memory is fatal for a runtime ---- */

static void __attribute__((noreturn)) oom(void)
{
	static const char msg[] = "rampart: out of memory\n";
	ssize_t r = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)r;
	abort();
}

void *rp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *rp_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom();
	return p;
}

void *rp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *rp_xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		oom();
	return d;
}

char *rp_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return s;
}

/* ---- path resolution inside a root ---- */

static int openat2_in_root(int root_fd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		/* RESOLVE_IN_ROOT: "/" and ".." stop at root_fd, absolute symlinks
		 * are resolved as if root_fd were "/".  RESOLVE_NO_MAGICLINKS: a
		 * /proc/self/fd/N style link in the rootfs cannot jump anywhere. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
	while (fd < 0 && errno == EAGAIN); /* a rename raced the lookup: retry */
	return fd;
}

int rp_open_in_root(int root_fd, const char *path, int flags, mode_t mode, rp_err_t *err)
{
	int fd = openat2_in_root(root_fd, path, flags, mode);

	if (fd < 0)
		return rp_error(err, errno, "resolve '%s' in rootfs", path);
	return fd;
}

/* Walk `path` one component at a time, creating what is missing.  Each
 * prefix is resolved afresh from root_fd with openat2(RESOLVE_IN_ROOT), so an
 * absolute symlink planted anywhere along the way (/var/run -> /run) resolves
 * as it would inside the container and can never leave the root; a missing
 * component is created in the directory fd we hold, never through a
 * re-resolved host path. */
int rp_mkpath_in_root(int root_fd, const char *path, bool is_dir, rp_err_t *err)
{
	_cleanup_free_ char *prefix = rp_xcalloc(1, strlen(path) + 2);
	_cleanup_free_ char *copy = rp_xstrdup(path);
	_cleanup_close_ int fd = -1;
	char *save = NULL, *comp, *next;

	fd = openat2_in_root(root_fd, "/", O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return rp_error(err, errno, "open rootfs");

	for (comp = strtok_r(copy, "/", &save); comp; comp = next) {
		bool last;
		int child;

		next = strtok_r(NULL, "/", &save);
		last = next == NULL;
		strcat(prefix, "/");
		strcat(prefix, comp);

		child = openat2_in_root(root_fd, prefix, O_PATH, 0);
		if (child < 0 && errno == ENOENT) {
			/* fd is the resolved parent: create the component there. */
			if (!last || is_dir) {
				if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST)
					return rp_error(err, errno, "mkdir '%s' in rootfs", prefix);
			} else {
				int f = openat(fd, comp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
				if (f < 0 && errno != EEXIST)
					return rp_error(err, errno, "create '%s' in rootfs", prefix);
				if (f >= 0)
					close(f);
			}
			child = openat2_in_root(root_fd, prefix, O_PATH, 0);
		}
		if (child < 0)
			return rp_error(err, errno, "resolve '%s' in rootfs", prefix);
		rp_closep(&fd);
		fd = child;
	}
	return take_fd(fd);
}

const char *rp_fd_path(int fd, char buf[RP_FD_PATH_MAX])
{
	snprintf(buf, RP_FD_PATH_MAX, "/proc/self/fd/%d", fd);
	return buf;
}

/* ---- whole files ---- */

ssize_t rp_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

ssize_t rp_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t r = read(fd, p + done, len - done);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int rp_write_file_at(int dirfd, const char *name, const void *buf, size_t len, rp_err_t *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return rp_error(err, errno, "open %s", name);
	if (rp_write_all(fd, buf, len) < 0)
		return rp_error(err, errno, "write %s", name);
	return 0;
}

int rp_write_file(const char *path, const void *buf, size_t len, rp_err_t *err)
{
	return rp_write_file_at(AT_FDCWD, path, buf, len, err);
}

int rp_write_file_atomic(const char *path, const void *buf, size_t len, mode_t mode, rp_err_t *err)
{
	_cleanup_free_ char *tmp = rp_xasprintf("%s.tmp.%d", path, (int)getpid());
	_cleanup_close_ int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);

	if (fd < 0)
		return rp_error(err, errno, "create %s", tmp);
	if (rp_write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
		rp_error(err, errno, "write %s", tmp);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		rp_error(err, errno, "rename %s to %s", tmp, path);
		unlink(tmp);
		return -1;
	}
	return 0;
}

int rp_read_fd(int fd, char **out, size_t *len, size_t max, rp_err_t *err)
{
	size_t cap = 4096, n = 0;
	_cleanup_free_ char *buf = rp_xmalloc(cap + 1);

	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= max)
				return rp_error(err, EFBIG, "more than %zu bytes", max);
			cap = cap * 2 > max ? max : cap * 2;
			buf = rp_xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return rp_error(err, errno, "read");
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	*out = take_ptr(buf);
	return 0;
}

int rp_read_file_at(int dirfd, const char *name, char **out, size_t *len, size_t max, rp_err_t *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return rp_error(err, errno, "open %s", name);
	if (rp_read_fd(fd, out, len, max, err) < 0)
		return rp_error_prefix(err, "%s", name);
	return 0;
}

int rp_read_file(const char *path, char **out, size_t *len, size_t max, rp_err_t *err)
{
	return rp_read_file_at(AT_FDCWD, path, out, len, max, err);
}

int rp_mkdir_p(const char *path, mode_t mode, rp_err_t *err)
{
	_cleanup_free_ char *p = rp_xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return rp_error(err, errno, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return rp_error(err, errno, "mkdir %s", p);
	return 0;
}

/* ---- parsing ---- */

bool rp_parse_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool rp_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

int rp_parse_cpu_list(const char *list, uint8_t *mask, size_t mask_bytes, rp_err_t *err)
{
	const char *p = list;

	memset(mask, 0, mask_bytes);
	if (!*p)
		return 0;
	for (;;) {
		char *end;
		unsigned long lo, hi;

		if (!isdigit((unsigned char)*p))
			return rp_error(err, 0, "invalid list \"%s\"", list);
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			if (!isdigit((unsigned char)*p))
				return rp_error(err, 0, "invalid list \"%s\"", list);
			hi = strtoul(p, &end, 10);
		}
		if (hi < lo || hi >= mask_bytes * 8)
			return rp_error(err, 0, "invalid range in list \"%s\"", list);
		for (unsigned long i = lo; i <= hi; i++)
			mask[i / 8] |= (uint8_t)(1u << (i % 8));
		if (*end == '\0')
			return 0;
		if (*end != ',')
			return rp_error(err, 0, "invalid list \"%s\"", list);
		p = end + 1;
	}
}

static const struct { const char *name; int sig; } signal_names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU }, { "URG", SIGURG },
	{ "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ }, { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },
	{ "WINCH", SIGWINCH }, { "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

int rp_parse_signal(const char *s)
{
	int64_t n;

	if (!s || !*s)
		return -1;
	if (rp_parse_i64(s, &n))
		return (n > 0 && n < NSIG) ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	/* SIGRTMIN+N / RTMIN+N and RTMAX-N */
	if (strncasecmp(s, "RTMIN", 5) == 0 || strncasecmp(s, "RTMAX", 5) == 0) {
		bool max = toupper((unsigned char)s[3]) == 'A';
		int base = max ? SIGRTMAX : SIGRTMIN, sig = base;
		if (s[5] != '\0') {
			if ((max && s[5] != '-') || (!max && s[5] != '+') || !rp_parse_i64(s + 6, &n))
				return -1;
			sig = max ? base - (int)n : base + (int)n;
		}
		return (sig >= SIGRTMIN && sig <= SIGRTMAX) ? sig : -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (strcasecmp(s, signal_names[i].name) == 0)
			return signal_names[i].sig;
	return -1;
}

void rp_rfc3339_now(char buf[40])
{
	struct timespec ts;
	struct tm tm;
	char base[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, 40, "%s.%09ldZ", base, ts.tv_nsec);
}

/* ---- file descriptors ---- */

int rp_cloexec_from(int lowfd, rp_err_t *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;

	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;

	/* Kernels before 5.11: walk our fd table. */
	d = opendir("/proc/self/fd");
	if (!d)
		return rp_error(err, errno, "open /proc/self/fd");
	while ((de = readdir(d))) {
		int64_t fd;
		if (!rp_parse_i64(de->d_name, &fd) || fd < lowfd || fd == dirfd(d))
			continue;
		int flags = fcntl((int)fd, F_GETFD);
		if (flags >= 0 && fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC) < 0)
			return rp_error(err, errno, "mark fd %d close-on-exec", (int)fd);
	}
	return 0;
}
