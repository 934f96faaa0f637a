/* rampart: the sealed copy of the runtime binary (CVE-2019-5736).
 *
 * The attack: a process in the container opens /proc/<pid>/exe of a runtime
 * process that entered the container (the init before its execve, or an
 * exec'd process) and writes through it, replacing the host's runtime
 * binary, which root runs next.
 *
 * How rampart rules it out:
 *  1. create, run and exec first re-execute themselves from a memfd holding
 *     a copy of the binary, sealed with F_SEAL_SEAL|F_SEAL_SHRINK|
 *     F_SEAL_GROW|F_SEAL_WRITE (rp_cloned_binary_ensure, before any
 *     namespace or container fd exists).  Every process that later enters
 *     the container is a fork of that process, so its /proc/<pid>/exe is the
 *     memfd, never the file on the host's disk; and the seals make the
 *     memfd itself unwritable, by anyone, forever (F_SEAL_SEAL: the seals
 *     cannot be removed).
 *  2. Those processes are also non-dumpable (PR_SET_DUMPABLE 0, kept by
 *     fork, reset by the final execve), so a container process cannot even
 *     open their /proc/<pid>/exe, ptrace them or read their memory, which
 *     guards against the /proc/<pid>/exe re-open trick and leaks of the
 *     runtime's open fds.
 * The loop guard is the kernel's own answer: fcntl(F_GET_SEALS) on
 * /proc/self/exe tells whether we already run from a sealed memfd, so no
 * environment variable (that a caller could set) decides it.
 */
#include "config-host.h"
#include "cloned-binary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "utils.h"

#ifndef F_SEAL_SEAL
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

#define RP_REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool rp_cloned_binary_active(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & RP_REQUIRED_SEALS) == RP_REQUIRED_SEALS;
}

/* argv as the kernel recorded it: the caller's argv may have been permuted. */
static char **read_cmdline(char **buf_out, rp_err_t *err)
{
	size_t len = 0, n = 0;
	char *buf = NULL;

	if (rp_read_file("/proc/self/cmdline", &buf, &len, 1 << 20, err) < 0)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			n++;
	char **argv = rp_xcalloc(n + 1, sizeof(char *));
	size_t k = 0;
	for (size_t i = 0; i < len && k < n; i += strlen(buf + i) + 1)
		argv[k++] = buf + i;
	*buf_out = buf;
	return argv;
}

int rp_cloned_binary_ensure(rp_err_t *err)
{
	struct stat st;

	if (rp_cloned_binary_active())
		return 0;
	_cleanup_close_ int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0 || fstat(exe, &st) < 0)
		return rp_error(err, errno, "cloned binary: open /proc/self/exe");
	_cleanup_close_ int mfd = memfd_create("rampart", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return rp_error(err, errno, "cloned binary: memfd_create");
	for (off_t off = 0; off < st.st_size;) {
		ssize_t n = sendfile(mfd, exe, &off, st.st_size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return rp_error(err, n < 0 ? errno : EIO, "cloned binary: copy");
	}
	if (fcntl(mfd, F_ADD_SEALS, RP_REQUIRED_SEALS) < 0)
		return rp_error(err, errno, "cloned binary: seal");

	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ char **argv = read_cmdline(&buf, err);
	if (!argv)
		return rp_error_prefix(err, "cloned binary");
	rp_debug("re-executing from a sealed copy of the binary");
	/* MFD_CLOEXEC is fine for an ELF binary: the kernel has mapped it
	 * before it closes the fd. */
	fexecve(mfd, argv, environ);
	return rp_error(err, errno, "cloned binary: fexecve");
}
