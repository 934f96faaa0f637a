/* rampart features: the runtime-spec "Features structure" (features.md,
 * features-linux.md).  Callers use it to decide what they may put in a
 * config, so it claims only what rampart honours: every name below is one
 * the config parser recognises (taken from the parser's own tables where it
 * has them) and the runtime applies, and features rampart lacks are stated
 * as disabled rather than left out. */
#include "config-host.h"

#include <errno.h>
#include <ctype.h>
#include <linux/seccomp.h>
/* libseccomp's <seccomp.h>: the -I for libcontainer/ would otherwise find
 * rampart's own seccomp.h under the same name. */
#include <linux/../seccomp.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "cleanup.h"
#include "json.h"
#include "oci-config.h"
#include "policy.h"
#include "utils.h"

static const char *const hooks[] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* Options of config.json mounts[].options that rampart's rootfs code turns
 * into mount attributes, superblock flags or propagation changes (each
 * per-mount attribute also in its recursive "r" form).  Filesystem data
 * (mode=, size=, ...) goes to the kernel as written and is not listed, as
 * features.md asks. */
static const char *const mount_options[] = {
	"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
	"idmap", "iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec",
	"noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
	"nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
	"rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime", "rnostrictatime",
	"ridmap", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw", "rshared",
	"rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared",
	"silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
};

static const char *const seccomp_operators[] = {
	"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
	"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
};

/* Architectures of the spec; the ones this libseccomp knows are listed. */
static const char *const seccomp_archs[] = {
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
	"SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
	"SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
};

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#define LIBSECCOMP_HAS_WAITKILL (SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6))

/* Filter flags the seccomp module recognises, and whether the libseccomp
 * rampart was built with can set them. */
static const struct { const char *name; unsigned long bit; bool libseccomp; } seccomp_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC, true },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG, true },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW, true },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
	  LIBSECCOMP_HAS_WAITKILL },
};

static const char *const memory_policy_modes[] = {
	"MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
	"MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",
};
static const char *const memory_policy_flags[] = {
	"MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES",
};

static void w_strings(json_writer *w, const char *key, const char *const *v, size_t n)
{
	json_w_key(w, key);
	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, v[i]);
	json_w_array_end(w);
}

static void w_enabled(json_writer *w, const char *key, bool enabled)
{
	json_w_key(w, key);
	json_w_object_begin(w);
	json_w_kv_bool(w, "enabled", enabled);
	json_w_object_end(w);
}

static bool libseccomp_knows_arch(const char *oci_name)
{
	char name[32];
	size_t i;

	oci_name += strlen("SCMP_ARCH_");
	for (i = 0; oci_name[i] && i + 1 < sizeof(name); i++)
		name[i] = (char)tolower((unsigned char)oci_name[i]);
	name[i] = '\0';
	return seccomp_arch_resolve_name(name) != 0;
}

/* The kernel validates the flags of SECCOMP_SET_MODE_FILTER before it reads
 * the filter: with a NULL filter, EFAULT means "flag supported" and EINVAL
 * "unknown flag", and nothing is installed either way. */
static bool kernel_supports_flag(unsigned long bit)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, bit, NULL) < 0 && errno == EFAULT;
}

static void write_seccomp(json_writer *w)
{
	json_w_key(w, "seccomp");
	json_w_object_begin(w);
	json_w_kv_bool(w, "enabled", true);

	json_w_key(w, "actions");
	json_w_array_begin(w);
	for (int a = OCI_SECCOMP_KILL; a <= OCI_SECCOMP_NOTIFY; a++)
		json_w_string(w, oci_seccomp_action_name(a));
	json_w_array_end(w);

	w_strings(w, "operators", seccomp_operators, ARRAY_SIZE(seccomp_operators));

	json_w_key(w, "archs");
	json_w_array_begin(w);
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_archs); i++)
		if (libseccomp_knows_arch(seccomp_archs[i]))
			json_w_string(w, seccomp_archs[i]);
	json_w_array_end(w);

	json_w_key(w, "knownFlags");
	json_w_array_begin(w);
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_flags); i++)
		json_w_string(w, seccomp_flags[i].name);
	json_w_array_end(w);

	json_w_key(w, "supportedFlags");
	json_w_array_begin(w);
	for (size_t i = 0; i < ARRAY_SIZE(seccomp_flags); i++)
		if (seccomp_flags[i].libseccomp && kernel_supports_flag(seccomp_flags[i].bit))
			json_w_string(w, seccomp_flags[i].name);
	json_w_array_end(w);
	json_w_object_end(w);
}

static void write_linux(json_writer *w)
{
	json_w_key(w, "linux");
	json_w_object_begin(w);

	json_w_key(w, "namespaces");
	json_w_array_begin(w);
	for (int t = 0; t < OCI_NS__COUNT; t++)
		json_w_string(w, oci_ns_name(t));
	json_w_array_end(w);

	/* Every name the parser recognises, including ones this kernel lacks
	 * (features-linux.md: recognised, not necessarily available). */
	json_w_key(w, "capabilities");
	json_w_array_begin(w);
	for (int c = 0; c <= OCI_CAP_LAST; c++)
		if (oci_cap_name(c))
			json_w_string(w, oci_cap_name(c));
	json_w_array_end(w);

	json_w_key(w, "cgroup");
	json_w_object_begin(w);
	json_w_kv_bool(w, "v1", true);
	json_w_kv_bool(w, "v2", true);
	json_w_kv_bool(w, "systemd", false);
	json_w_kv_bool(w, "systemdUser", false);
	json_w_kv_bool(w, "rdma", true);
	json_w_object_end(w);

	write_seccomp(w);
	w_enabled(w, "apparmor", false);
	w_enabled(w, "selinux", true);
	w_enabled(w, "intelRdt", false);

	json_w_key(w, "memoryPolicy");
	json_w_object_begin(w);
	w_strings(w, "modes", memory_policy_modes, ARRAY_SIZE(memory_policy_modes));
	w_strings(w, "flags", memory_policy_flags, ARRAY_SIZE(memory_policy_flags));
	json_w_object_end(w);

	/* Idmapped mounts: prepared by the runtime with mount_setattr
	 * (MOUNT_ATTR_IDMAP, Linux 5.12), attached by the init. */
	json_w_key(w, "mountExtensions");
	json_w_object_begin(w);
	w_enabled(w, "idmap", true);
	json_w_object_end(w);

	w_enabled(w, "netDevices", false);
	json_w_object_end(w);
}

static int write_features(json_writer *w)
{
	const struct scmp_version *sv = seccomp_version();
	_cleanup_free_ char *libseccomp = sv ? rp_xasprintf("%u.%u.%u", sv->major, sv->minor, sv->micro) : NULL;
	static const char *const unsafe_annotations[] = { RP_POLICY_ANNOTATION };

	json_w_object_begin(w);
	json_w_kv_string(w, "ociVersionMin", "1.0.0");
	json_w_kv_string(w, "ociVersionMax", OCI_SPEC_VERSION);
	w_strings(w, "hooks", hooks, ARRAY_SIZE(hooks));
	w_strings(w, "mountOptions", mount_options, ARRAY_SIZE(mount_options));
	write_linux(w);

	json_w_key(w, "annotations");
	json_w_object_begin(w);
	json_w_kv_string(w, "io.github.rampart.version", PACKAGE_VERSION);
	if (libseccomp)
		json_w_kv_string(w, "io.github.seccomp.libseccomp.version", libseccomp);
	json_w_object_end(w);

	/* rampart.allow waives policy rules: a caller that passes user
	 * annotations through should know it changes the runtime's behaviour. */
	w_strings(w, "potentiallyUnsafeConfigAnnotations", unsafe_annotations, ARRAY_SIZE(unsafe_annotations));
	json_w_object_end(w);
	return 0;
}

int cmd_features(struct rp_globals *g, int argc, char **argv)
{
	const struct cli_option opts[] = { { 0 } };
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos;

	if (cli_parse(argc, argv, opts, "features",
		      "Print the runtime-spec features document: what configs rampart understands.",
		      &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos > 0) {
		rp_error(&err, 0, "features: unexpected argument '%s'", pos[0]);
		return cli_fail(&err);
	}

	json_writer *w = json_writer_new(true);
	const char *buf;
	size_t len;

	write_features(w);
	buf = json_writer_buf(w, &len);
	if (!buf) {
		json_writer_free(w);
		rp_error(&err, 0, "features: serialising the document failed");
		return cli_fail(&err);
	}
	fwrite(buf, 1, len, stdout);
	putchar('\n');
	json_writer_free(w);
	return fflush(stdout) == 0 ? 0 : 1;
}
