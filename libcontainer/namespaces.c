/* rampart: namespaces (see namespaces.h). */
#include "config-host.h"
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "cleanup.h"
#include "log.h"
#include "utils.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE 0xb703 /* _IO(0xb7, 0x3) */
#endif

/* The name of each type under /proc/<pid>/ns. */
static const char *proc_ns_name(enum oci_ns_type t)
{
	static const char *names[OCI_NS__COUNT] = {
		[OCI_NS_PID] = "pid", [OCI_NS_NETWORK] = "net", [OCI_NS_MOUNT] = "mnt",
		[OCI_NS_IPC] = "ipc", [OCI_NS_UTS] = "uts", [OCI_NS_USER] = "user",
		[OCI_NS_CGROUP] = "cgroup", [OCI_NS_TIME] = "time",
	};
	return names[t];
}

void rp_ns_close(int fds[OCI_NS__COUNT])
{
	for (int i = 0; i < OCI_NS__COUNT; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

int rp_ns_open(const struct oci_config *cfg, int fds[OCI_NS__COUNT], int *unshare_flags,
	       bool *new_userns, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;

	for (int i = 0; i < OCI_NS__COUNT; i++)
		fds[i] = -1;
	*unshare_flags = 0;
	*new_userns = false;
	if (!l)
		return 0;
	for (size_t i = 0; i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];
		int flag = oci_ns_clone_flag(ns->type);

		if (!ns->path) {
			if (ns->type == OCI_NS_USER)
				*new_userns = true;
			else
				*unshare_flags |= flag;
			continue;
		}
		/* A path is a file in the runtime's mount namespace: open it here,
		 * before any namespace changes what the path means. */
		int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			rp_error(err, errno, "linux.namespaces[%zu] (%s): open %s", i, oci_ns_name(ns->type), ns->path);
			rp_ns_close(fds);
			return -1;
		}
		int type = ioctl(fd, NS_GET_NSTYPE);
		if (type >= 0 && type != flag) {
			close(fd);
			rp_ns_close(fds);
			return rp_error(err, 0, "linux.namespaces[%zu]: %s is not a %s namespace", i, ns->path,
					oci_ns_name(ns->type));
		}
		if (fds[ns->type] >= 0)
			close(fds[ns->type]);
		fds[ns->type] = fd;
	}
	return 0;
}

int rp_ns_join(const int fds[OCI_NS__COUNT], rp_err_t *err)
{
	/* The user namespace first: joining it grants the capabilities needed
	 * to join the namespaces it owns. */
	if (fds[OCI_NS_USER] >= 0 && setns(fds[OCI_NS_USER], CLONE_NEWUSER) < 0)
		return rp_error(err, errno, "setns user namespace");
	for (int t = 0; t < OCI_NS__COUNT; t++) {
		if (t == OCI_NS_USER || fds[t] < 0)
			continue;
		if (setns(fds[t], oci_ns_clone_flag(t)) < 0)
			return rp_error(err, errno, "setns %s namespace", oci_ns_name(t));
	}
	return 0;
}

static int write_map(pid_t pid, const char *file, const struct oci_id_mapping *m, size_t n, rp_err_t *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	char path[64];

	if (n == 0)
		return 0;
	/* One write(2): the kernel accepts a map exactly once. */
	for (size_t i = 0; i < n; i++) {
		char line[80];
		int l = snprintf(line, sizeof(line), "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
				 m[i].container_id, m[i].host_id, m[i].size);
		buf = rp_xrealloc(buf, len + l + 1);
		memcpy(buf + len, line, l + 1);
		len += l;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return rp_error(err, errno, "write %s", path);
	return 0;
}

int rp_ns_write_id_maps(pid_t pid, const struct oci_config *cfg, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;

	if (!l || (l->n_uid_mappings == 0 && l->n_gid_mappings == 0))
		return rp_error(err, 0, "linux.uidMappings: a new user namespace needs uid and gid mappings");
	/* As a privileged writer (CAP_SETGID in the parent namespace) the
	 * runtime may write gid_map without denying setgroups(2) first, so the
	 * container keeps the ability to set its supplementary groups. */
	if (write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings, err) < 0 ||
	    write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings, err) < 0)
		return rp_error_prefix(err, "user namespace mappings");
	return 0;
}

int rp_ns_userns_with_maps(const struct oci_id_mapping *uids, size_t n_uids,
			   const struct oci_id_mapping *gids, size_t n_gids, rp_err_t *err)
{
	int hold[2], fd = -1;
	char path[64];

	if (n_uids == 0 || n_gids == 0)
		return rp_error(err, EINVAL, "an id-mapping user namespace needs uid and gid mappings");
	if (pipe2(hold, O_CLOEXEC) < 0)
		return rp_error(err, errno, "pipe");
	/* The child is born in the new namespace and only waits: its end of
	 * the pipe reads EOF once the maps are written and the namespace is
	 * open here, and then it goes. */
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0) {
		char c;
		close(hold[1]);
		(void)!read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	if (pid < 0) {
		rp_error(err, errno, "clone a user namespace");
	} else if (write_map(pid, "uid_map", uids, n_uids, err) == 0 &&
		   write_map(pid, "gid_map", gids, n_gids, err) == 0) {
		snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			rp_error(err, errno, "open %s", path);
	}
	close(hold[1]);
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return fd;
}

int rp_ns_write_time_offsets(const struct oci_config *cfg, rp_err_t *err)
{
	const struct oci_linux *l = cfg->linux_cfg;

	if (!l || l->n_time_offsets == 0)
		return 0;
	_cleanup_close_ int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return rp_error(err, errno, "linux.timeOffsets: open /proc/self/timens_offsets");
	for (size_t i = 0; i < l->n_time_offsets; i++) {
		const struct oci_time_offset *o = &l->time_offsets[i];
		char line[96];
		int n = snprintf(line, sizeof(line), "%s %" PRId64 " %" PRIu32 "\n", o->clock, o->secs, o->nanosecs);
		if (write(fd, line, n) != n)
			return rp_error(err, errno, "linux.timeOffsets.%s", o->clock);
	}
	return 0;
}

int rp_ns_join_via_pidfd(int pidfd, const int fds[OCI_NS__COUNT], rp_err_t *err)
{
	int flags = 0;

	for (int t = 0; t < OCI_NS__COUNT; t++)
		if (fds[t] >= 0)
			flags |= oci_ns_clone_flag(t);
	if (flags == 0 || pidfd < 0)
		return rp_ns_join(fds, err);
	if (setns(pidfd, flags) == 0)
		return 0;
	if (errno != EINVAL)
		return rp_error(err, errno, "setns through the init's pidfd");
	rp_debug("setns(pidfd): EINVAL; joining one namespace at a time");
	return rp_ns_join(fds, err);
}

int rp_ns_open_pid(pid_t pid, int fds[OCI_NS__COUNT], rp_err_t *err)
{
	for (int t = 0; t < OCI_NS__COUNT; t++) {
		char path[64];
		struct stat mine, theirs;

		fds[t] = -1;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, proc_ns_name(t));
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* the kernel lacks this namespace type */
			rp_ns_close(fds);
			return rp_error(err, errno, "open %s", path);
		}
		/* Joining the namespace one is already in is pointless, and for a
		 * user namespace setns() refuses it (EINVAL). */
		snprintf(path, sizeof(path), "/proc/self/ns/%s", proc_ns_name(t));
		if (fstat(fd, &theirs) == 0 && stat(path, &mine) == 0 && mine.st_ino == theirs.st_ino &&
		    mine.st_dev == theirs.st_dev) {
			close(fd);
			continue;
		}
		fds[t] = fd;
	}
	return 0;
}
