/* rampart: a standalone driver for libcontainer/rootfs.c, to exercise the
 * container filesystem setup before the full lifecycle exists (and to poke
 * at corner cases the CLI cannot reach).  Not installed.
 *
 *   rootfs-driver [-u] [-n] [-N] [-r] [-P prop] [-c config.json]
 *                 [-m dest:type:source:opt,opt]... [-M masked]... [-R ro]...
 *                 [-d c:/dev/x:major:minor:mode]... [-s key=value]...
 *                 ROOTFS CMD [ARGS...]
 *
 *   -u  new user namespace (container root = host uid 100000)
 *   -n  new network namespace
 *   -G  share the host's cgroup namespace
 *   -D  no default mounts/masks (only -m/-M/-R given)
 *   -B  bundle directory (relative bind sources are below it)
 *   -C  pty slave to bind at /dev/console
 *   -c  take the config from config.json (then -m etc. are added to it)
 *
 * Without -c and -D it uses the mounts, maskedPaths and readonlyPaths of
 * `runc spec`.  It unshares mount/pid/ipc/uts/cgroup (+user/net), runs
 * rp_rootfs_prepare, rp_rootfs_finalize, rp_sysctl_apply, then execs CMD
 * inside the new root.  Exit status: CMD's, or 125 when setup failed.
 *
 * Build (from a configured build dir):
 *   cc -I. -I/work/main/libcontainer -o rootfs-driver \
 *      /work/main/tests/helpers/rootfs-driver.c libcontainer.a $(pkg-config --libs yajl)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "oci-config.h"
#include "rootfs.h"

#define MAX_ITEMS 64

static struct oci_mount mounts[MAX_ITEMS];
static size_t n_mounts;
static char *masked[MAX_ITEMS], *readonly[MAX_ITEMS];
static size_t n_masked, n_readonly;
static struct oci_device devices[MAX_ITEMS];
static size_t n_devices;
static char *sysctl_keys[MAX_ITEMS], *sysctl_values[MAX_ITEMS];
static size_t n_sysctl;

static void split_opts(struct strv *sv, const char *s)
{
	char *copy = strdup(s), *save = NULL;

	sv->v = calloc(MAX_ITEMS, sizeof(char *));
	sv->n = 0;
	for (char *t = strtok_r(copy, ",", &save); t && sv->n < MAX_ITEMS - 1; t = strtok_r(NULL, ",", &save))
		sv->v[sv->n++] = strdup(t);
}

static void add_mount(const char *dest, const char *type, const char *src, const char *opts)
{
	struct oci_mount *m = &mounts[n_mounts++];

	m->destination = strdup(dest);
	m->type = type && *type ? strdup(type) : NULL;
	m->source = src && *src ? strdup(src) : NULL;
	split_opts(&m->options, opts ? opts : "");
}

/* "dest:type:source:opts" */
static void add_mount_arg(char *arg)
{
	char *f[4] = { 0 };
	int i = 0;

	for (char *p = arg; i < 4; i++) {
		f[i] = p;
		p = i < 3 ? strchr(p, ':') : NULL;
		if (!p)
			break;
		*p++ = '\0';
	}
	add_mount(f[0], f[1], f[2], f[3]);
}

/* "c:/dev/x:major:minor:mode" */
static void add_device_arg(char *arg)
{
	struct oci_device *d = &devices[n_devices++];
	char *save = NULL;

	d->type = strtok_r(arg, ":", &save)[0];
	d->path = strdup(strtok_r(NULL, ":", &save));
	if (d->type != 'p') {
		d->major = atoll(strtok_r(NULL, ":", &save));
		d->minor = atoll(strtok_r(NULL, ":", &save));
	}
	char *mode = strtok_r(NULL, ":", &save);
	if (mode) {
		d->file_mode.set = true;
		d->file_mode.value = (uint32_t)strtoul(mode, NULL, 8);
	}
}

static void default_config(void)
{
	static const char *const m[] = {
		"/proc", "proc", "proc", "",
		"/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k",
		"/dev/pts", "devpts", "devpts", "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620",
		"/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k",
		"/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev",
		"/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro",
		"/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro",
	};
	static const char *const mp[] = {
		"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
		"/proc/scsi",
	};
	static const char *const rp[] = {
		"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
	};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i += 4)
		add_mount(m[i], m[i + 1], m[i + 2], m[i + 3]);
	for (size_t i = 0; i < sizeof(mp) / sizeof(mp[0]); i++)
		masked[n_masked++] = strdup(mp[i]);
	for (size_t i = 0; i < sizeof(rp) / sizeof(rp[0]); i++)
		readonly[n_readonly++] = strdup(rp[i]);
}

static int write_map(pid_t pid, const char *file, const char *map)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0) {
		perror(path);
		return -1;
	}
	close(fd);
	return 0;
}

static int fail(rp_err_t *err)
{
	fprintf(stderr, "rootfs-driver: %s\n", (*err)->msg);
	return 125;
}

int main(int argc, char **argv)
{
	struct rp_rootfs_opts o = { 0 };
	struct oci_config *cfg = NULL;
	const char *config_path = NULL, *propagation = NULL;
	bool no_defaults = false, ro_root = false, host_cgroupns = false;
	rp_err_t err = NULL;
	int opt, sync_pipe[2], status;
	pid_t child;

	while ((opt = getopt(argc, argv, "+unGNDrP:c:m:M:R:d:s:C:B:")) != -1) {
		switch (opt) {
		case 'u': o.new_userns = true; break;
		case 'n': o.new_netns = true; break;
		case 'G': host_cgroupns = true; break;
		case 'N': o.no_pivot = true; break;
		case 'D': no_defaults = true; break;
		case 'r': ro_root = true; break;
		case 'P': propagation = optarg; break;
		case 'c': config_path = optarg; break;
		case 'm': add_mount_arg(optarg); break;
		case 'M': masked[n_masked++] = optarg; break;
		case 'R': readonly[n_readonly++] = optarg; break;
		case 'd': add_device_arg(optarg); break;
		case 'C': o.console_path = optarg; break;
		case 'B': o.bundle = optarg; break;
		case 's': {
			char *eq = strchr(optarg, '=');
			if (!eq)
				return 2;
			*eq = '\0';
			sysctl_keys[n_sysctl] = optarg;
			sysctl_values[n_sysctl++] = eq + 1;
			break;
		}
		default:
			return 2;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: rootfs-driver [options] ROOTFS CMD [ARGS...]\n");
		return 2;
	}
	o.rootfs = argv[optind];
	o.new_cgroupns = !host_cgroupns;

	if (config_path) {
		cfg = oci_config_parse_file(config_path, &err);
		if (!cfg)
			return fail(&err);
	} else {
		static struct oci_config c;
		static struct oci_linux l;
		static struct oci_root r;
		static struct oci_namespace ns[8];
		size_t nns = 0;

		if (!no_defaults) {
			struct oci_mount extra[MAX_ITEMS];
			size_t n_extra = n_mounts;

			memcpy(extra, mounts, sizeof(extra));
			n_mounts = 0;
			default_config();
			memcpy(&mounts[n_mounts], extra, n_extra * sizeof(extra[0]));
			n_mounts += n_extra;
		}
		r.path = (char *)o.rootfs;
		r.readonly = ro_root;
		c.root = &r;
		c.mounts = mounts;
		c.n_mounts = n_mounts;
		l.masked_paths.v = masked;
		l.masked_paths.n = n_masked;
		l.readonly_paths.v = readonly;
		l.readonly_paths.n = n_readonly;
		l.devices = devices;
		l.n_devices = n_devices;
		l.sysctl.keys = sysctl_keys;
		l.sysctl.values = sysctl_values;
		l.sysctl.n = n_sysctl;
		l.rootfs_propagation = (char *)propagation;
		ns[nns++].type = OCI_NS_MOUNT;
		ns[nns++].type = OCI_NS_PID;
		ns[nns++].type = OCI_NS_IPC;
		ns[nns++].type = OCI_NS_UTS;
		if (o.new_cgroupns)
			ns[nns++].type = OCI_NS_CGROUP;
		if (o.new_userns)
			ns[nns++].type = OCI_NS_USER;
		if (o.new_netns)
			ns[nns++].type = OCI_NS_NETWORK;
		l.namespaces = ns;
		l.n_namespaces = nns;
		c.linux_cfg = &l;
		cfg = &c;
	}

	if (pipe2(sync_pipe, O_CLOEXEC) < 0)
		return 125;
	child = fork();
	if (child < 0)
		return 125;
	if (child == 0) {
		char c;
		int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
			    (o.new_cgroupns ? CLONE_NEWCGROUP : 0);

		close(sync_pipe[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (o.new_userns) {
			if (unshare(CLONE_NEWUSER) < 0) {
				perror("unshare user");
				_exit(125);
			}
			/* The parent writes our maps, then closes the pipe. */
			kill(getpid(), SIGSTOP);
			if (read(sync_pipe[0], &c, 1) < 0)
				_exit(125);
			if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
				perror("setresuid");
				_exit(125);
			}
		}
		if (o.new_netns)
			flags |= CLONE_NEWNET;
		if (unshare(flags) < 0) {
			perror("unshare");
			_exit(125);
		}
		child = fork();
		if (child < 0)
			_exit(125);
		if (child > 0) {
			waitpid(child, &status, 0);
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		}
		/* pid 1 of the new pid namespace: the container's init. */
		if (rp_rootfs_prepare(cfg, &o, &err) < 0 || rp_rootfs_finalize(cfg, &o, &err) < 0 ||
		    rp_sysctl_apply(cfg, &err) < 0)
			_exit(fail(&err));
		execv(argv[optind + 1], &argv[optind + 1]);
		perror("exec");
		_exit(127);
	}
	close(sync_pipe[0]);
	if (o.new_userns) {
		waitpid(child, &status, WUNTRACED);
		if (write_map(child, "uid_map", "0 100000 65536\n") < 0 ||
		    write_map(child, "setgroups", "deny\n") < 0 ||
		    write_map(child, "gid_map", "0 100000 65536\n") < 0)
			return 125;
		kill(child, SIGCONT);
	}
	close(sync_pipe[1]);
	waitpid(child, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Until the modules that own these land, the driver links without them:
 * weak, so the real definitions win once they exist. */
__attribute__((weak)) const struct oci_namespace *oci_config_namespace(const struct oci_config *c,
								      enum oci_ns_type t)
{
	for (size_t i = 0; c->linux_cfg && i < c->linux_cfg->n_namespaces; i++)
		if (c->linux_cfg->namespaces[i].type == t)
			return &c->linux_cfg->namespaces[i];
	return NULL;
}

__attribute__((weak)) const char *oci_ns_name(enum oci_ns_type t)
{
	static const char *const names[] = { "pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time" };
	return (unsigned)t < OCI_NS__COUNT ? names[t] : "?";
}

__attribute__((weak)) char *rp_selinux_mount_data(const char *data, const char *fstype, const char *label)
{
	return strdup(data);
}

__attribute__((weak)) struct oci_config *oci_config_parse_file(const char *path, rp_err_t *err)
{
	rp_error(err, 0, "config parser not available in this build");
	return NULL;
}
