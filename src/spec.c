/* rampart spec: write a starting config.json that rampart's hardened policy
 * accepts as it is, so the first container someone runs is a safe one.
 *
 * Choices, and why:
 * - A user namespace by default.  The process is uid 0 inside the container
 *   (so ordinary images work) but that uid is host uid 100000, which owns
 *   nothing on the host; a breakout lands as an unprivileged user.  This is
 *   what "not running as host root" means without breaking images.
 * - terminal false.  The common first use is `rampart run` from a script or
 *   CI, where there is no tty and a detached run would need a console
 *   socket; set it to true for an interactive shell.
 * - Only the capabilities a service commonly needs and none that widen the
 *   kernel surface (AUDIT_WRITE, KILL, NET_BIND_SERVICE), nothing
 *   inheritable or ambient, noNewPrivileges.
 * - A network namespace of its own (no interfaces but lo: network denied),
 *   which also lets a user-namespaced container mount a fresh sysfs.
 * - Read-only rootfs, sysfs and cgroupfs; /proc paths that leak host state
 *   masked, the ones that change the host read-only; every device denied in
 *   the device cgroup (the runtime still creates the standard /dev nodes).
 * - No linux.seccomp: rampart installs its built-in default-deny profile.
 *
 * The document is built as the typed model and serialised by
 * oci_config_write, the same code that describes configs elsewhere. */
#include "config-host.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "oci-config.h"
#include "utils.h"

#define STRV(...) { .v = (char *[]){ __VA_ARGS__, NULL }, \
		    .n = sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *) }
#define CAPS_DEFAULT ((1ull << CAP_AUDIT_WRITE) | (1ull << CAP_KILL) | (1ull << CAP_NET_BIND_SERVICE))
#define CAPSET_DEFAULT { .set = true, .mask = CAPS_DEFAULT, \
			 .names = STRV("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE") }

/* Host ids the default user namespace maps container ids 0-65535 onto: the
 * conventional first subordinate range (/etc/subuid) of a Debian host. */
#define SPEC_HOST_ID 100000
#define SPEC_ID_RANGE 65536

static struct oci_capabilities spec_caps = {
	.bounding = CAPSET_DEFAULT,
	.effective = CAPSET_DEFAULT,
	.permitted = CAPSET_DEFAULT,
};

static struct oci_rlimit spec_rlimits[] = {
	{ .resource = RLIMIT_NOFILE, .type = "RLIMIT_NOFILE", .hard = 1024, .soft = 1024 },
};

static struct oci_process spec_process = {
	.terminal = false,
	.user = { .uid = 0, .gid = 0 },
	.args = STRV("sh"),
	.env = STRV("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"),
	.cwd = "/",
	.capabilities = &spec_caps,
	.rlimits = spec_rlimits,
	.n_rlimits = ARRAY_SIZE(spec_rlimits),
	.no_new_privileges = true,
	.no_new_privileges_set = true,
};

static struct oci_root spec_root = { .path = "rootfs", .readonly = true };

enum { DEVPTS_MOUNT = 2 }; /* index in spec_mounts: the rootless variant edits it */

static struct oci_mount spec_mounts[] = {
	{ .destination = "/proc", .type = "proc", .source = "proc",
	  .options = STRV("nosuid", "noexec", "nodev") },
	{ .destination = "/dev", .type = "tmpfs", .source = "tmpfs",
	  .options = STRV("nosuid", "strictatime", "mode=755", "size=65536k") },
	[DEVPTS_MOUNT] = { .destination = "/dev/pts", .type = "devpts", .source = "devpts",
	  .options = STRV("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5") },
	{ .destination = "/dev/shm", .type = "tmpfs", .source = "shm",
	  .options = STRV("nosuid", "noexec", "nodev", "mode=1777", "size=65536k") },
	{ .destination = "/dev/mqueue", .type = "mqueue", .source = "mqueue",
	  .options = STRV("nosuid", "noexec", "nodev") },
	{ .destination = "/sys", .type = "sysfs", .source = "sysfs",
	  .options = STRV("nosuid", "noexec", "nodev", "ro") },
	{ .destination = "/sys/fs/cgroup", .type = "cgroup", .source = "cgroup",
	  .options = STRV("nosuid", "noexec", "nodev", "relatime", "ro") },
};

/* gid 5 (tty) is not mapped when only the caller's own gid is. */
static const struct strv devpts_rootless_options =
	STRV("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620");

static struct oci_namespace spec_namespaces[] = {
	{ .type = OCI_NS_PID }, { .type = OCI_NS_NETWORK }, { .type = OCI_NS_IPC },
	{ .type = OCI_NS_UTS }, { .type = OCI_NS_MOUNT }, { .type = OCI_NS_CGROUP },
	{ .type = OCI_NS_USER },
};

static struct oci_device_cgroup spec_device_rules[] = {
	{ .allow = false, .type = 'a', .access = "rwm" },
};

static struct oci_resources spec_resources = {
	.devices = spec_device_rules,
	.n_devices = ARRAY_SIZE(spec_device_rules),
};

static struct oci_linux spec_linux = {
	.namespaces = spec_namespaces,
	.n_namespaces = ARRAY_SIZE(spec_namespaces),
	.resources = &spec_resources,
	.masked_paths = STRV("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
			     "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
			     "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
			     "/sys/devices/virtual/powercap"),
	.masked_paths_set = true,
	.readonly_paths = STRV("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
	.readonly_paths_set = true,
};

static struct oci_config spec_config = {
	.oci_version = OCI_SPEC_VERSION,
	.root = &spec_root,
	.mounts = spec_mounts,
	.n_mounts = ARRAY_SIZE(spec_mounts),
	.process = &spec_process,
	.hostname = "rampart",
	.linux_cfg = &spec_linux,
};

/* Fill in the id mappings.  Rootless: the caller's own uid and gid become
 * root in the container (the only ids an unprivileged user may map without
 * newuidmap), the device cgroup is left out because an unprivileged caller
 * usually cannot write cgroups, and devpts loses gid=5. */
static void apply_mappings(struct oci_linux *l, struct oci_id_mapping *uid, struct oci_id_mapping *gid,
			   bool rootless)
{
	if (rootless) {
		*uid = (struct oci_id_mapping){ .container_id = 0, .host_id = geteuid(), .size = 1 };
		*gid = (struct oci_id_mapping){ .container_id = 0, .host_id = getegid(), .size = 1 };
		spec_mounts[DEVPTS_MOUNT].options = devpts_rootless_options;
		l->resources = NULL;
	} else {
		*uid = (struct oci_id_mapping){ .container_id = 0, .host_id = SPEC_HOST_ID, .size = SPEC_ID_RANGE };
		*gid = *uid;
	}
	l->uid_mappings = uid;
	l->n_uid_mappings = 1;
	l->gid_mappings = gid;
	l->n_gid_mappings = 1;
}

static int write_new_file(const char *path, const char *buf, size_t len, rp_err_t *err)
{
	/* O_EXCL: never replace a config someone wrote, and never follow a
	 * symlink planted at the path. */
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0 && errno == EEXIST)
		return rp_error(err, 0, "%s exists: remove it first", path);
	if (fd < 0)
		return rp_error(err, errno, "create %s", path);
	if (rp_write_all(fd, buf, len) < 0 || rp_write_all(fd, "\n", 1) < 0) {
		int saved = errno;
		unlink(path);
		return rp_error(err, saved, "write %s", path);
	}
	return 0;
}

int cmd_spec(struct rp_globals *g, int argc, char **argv)
{
	const char *bundle = ".";
	bool rootless = false;
	const struct cli_option opts[] = {
		{ "bundle", 'b', CLI_STRING, &bundle, "directory to write config.json in (default: current)", "DIR" },
		{ "rootless", 0, CLI_FLAG, &rootless, "a config for an unprivileged caller", NULL },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *path = NULL;
	struct oci_id_mapping uid, gid;
	rp_err_t err = NULL;
	int npos;

	if (cli_parse(argc, argv, opts, "spec [--bundle DIR] [--rootless]",
		      "Write a hardened config.json (user namespace, minimal capabilities, read-only\n"
		      "rootfs, no network) into the bundle directory.  An existing config.json is\n"
		      "never overwritten.",
		      &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos > 0) {
		rp_error(&err, 0, "spec: unexpected argument '%s'", pos[0]);
		return cli_fail(&err);
	}

	apply_mappings(&spec_linux, &uid, &gid, rootless);

	json_writer *w = json_writer_new(true);
	size_t len;
	oci_config_write(w, &spec_config);
	const char *buf = json_writer_buf(w, &len);
	int ret = buf ? 0 : rp_error(&err, 0, "spec: serialising the configuration failed");
	path = rp_xasprintf("%s/config.json", bundle);
	if (ret == 0)
		ret = write_new_file(path, buf, len, &err);
	json_writer_free(w);
	if (ret < 0) {
		rp_error_prefix(&err, "spec");
		return cli_fail(&err);
	}
	rp_debug("wrote %s", path);
	return 0;
}
