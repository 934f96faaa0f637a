/* rampart: the typed model of an OCI runtime-spec configuration (v1.0-v1.3,
 * the Linux and common parts).  One model serves every command: create reads
 * config.json into it, exec reads a process.json into struct oci_process,
 * update reads a LinuxResources document into struct oci_resources, and the
 * policy engine and audit inspect it.
 *
 * Presence matters in the spec ("if oomScoreAdj is not set the runtime MUST
 * NOT change it"), so optional scalars are opt_* values with a `set` flag and
 * optional objects are pointers that stay NULL when absent.
 *
 * Every struct remembers nothing about JSON; error messages name fields by
 * their JSON path, built by the parser while it walks the document. */
#ifndef RAMPART_OCI_CONFIG_H
#define RAMPART_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "json.h"

typedef struct { bool set; int64_t value; } opt_i64;
typedef struct { bool set; uint64_t value; } opt_u64;
typedef struct { bool set; uint32_t value; } opt_u32;
typedef struct { bool set; int32_t value; } opt_i32;
typedef struct { bool set; bool value; } opt_bool;

/* A NULL-terminated string vector; `n` excludes the terminator. */
struct strv { char **v; size_t n; };

/* A JSON object of string -> string (annotations, sysctl, unified, ...).
 * Keys are unique; order is the document's. */
struct str_map { char **keys; char **values; size_t n; };
const char *str_map_get(const struct str_map *m, const char *key);

/* ------------------------------------------------------------------ root */
struct oci_root {
	char *path;    /* REQUIRED on Linux; relative to the bundle or absolute */
	bool readonly;
};

/* ---------------------------------------------------------------- mounts */
struct oci_id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct oci_mount {
	char *destination; /* REQUIRED, absolute inside the container */
	char *source;      /* optional */
	char *type;        /* optional */
	struct strv options;
	struct oci_id_mapping *uid_mappings; size_t n_uid_mappings;
	struct oci_id_mapping *gid_mappings; size_t n_gid_mappings;
};

/* --------------------------------------------------------------- process */
struct oci_rlimit {
	int resource;    /* RLIMIT_* resolved from "type" (e.g. "RLIMIT_NOFILE") */
	char *type;      /* as written */
	uint64_t hard;
	uint64_t soft;
};

/* Capability sets as bitmasks of CAP_* numbers (bit n = capability n), so
 * checks are cheap.  `names` keeps what the config wrote for messages. */
struct oci_capset {
	bool set;        /* the key was present */
	uint64_t mask;
	struct strv names;
};
struct oci_capabilities {
	struct oci_capset bounding, effective, inheritable, permitted, ambient;
};

struct oci_user {
	uint32_t uid;
	uint32_t gid;
	opt_u32 umask;
	uint32_t *additional_gids; size_t n_additional_gids;
	char *username; /* Windows only; parsed, unused */
};

struct oci_console_size { uint32_t height, width; };

struct oci_scheduler {
	int policy;          /* SCHED_* from "policy" (REQUIRED) */
	char *policy_name;
	opt_i32 nice;
	opt_i32 priority;
	uint64_t flags;      /* SCHED_FLAG_* bits from "flags" */
	struct strv flag_names;
	opt_u64 runtime, deadline, period;
};

struct oci_io_priority {
	int class;           /* IOPRIO_CLASS_RT/BE/IDLE from "class" */
	char *class_name;
	int32_t priority;    /* 0..7 */
};

struct oci_exec_cpu_affinity {
	char *initial;       /* cpu list strings, validated syntax */
	char *final;
};

struct oci_process {
	bool terminal;
	struct oci_console_size *console_size;
	struct oci_user user;
	struct strv args;            /* REQUIRED for start; at least one entry */
	char *command_line;          /* Windows only; parsed, unused */
	struct strv env;             /* "KEY=value" */
	char *cwd;                   /* REQUIRED, absolute */
	struct oci_capabilities *capabilities; /* NULL: the key was absent */
	struct oci_rlimit *rlimits; size_t n_rlimits;
	bool no_new_privileges;
	bool no_new_privileges_set;  /* present in the document */
	char *apparmor_profile;
	opt_i32 oom_score_adj;
	char *selinux_label;
	struct oci_io_priority *io_priority;
	struct oci_scheduler *scheduler;
	struct oci_exec_cpu_affinity *exec_cpu_affinity;
};

/* ----------------------------------------------------------------- hooks */
struct oci_hook {
	char *path;        /* REQUIRED, absolute */
	struct strv args;
	struct strv env;
	opt_i64 timeout;   /* seconds, > 0 */
};
struct oci_hook_list { struct oci_hook *v; size_t n; };
struct oci_hooks {
	struct oci_hook_list prestart, create_runtime, create_container,
		start_container, poststart, poststop;
};

/* ----------------------------------------------------------- namespaces */
enum oci_ns_type {
	OCI_NS_PID, OCI_NS_NETWORK, OCI_NS_MOUNT, OCI_NS_IPC, OCI_NS_UTS,
	OCI_NS_USER, OCI_NS_CGROUP, OCI_NS_TIME,
	OCI_NS__COUNT
};
struct oci_namespace {
	enum oci_ns_type type;
	char *path;        /* NULL: create a new one; else join by path */
};
const char *oci_ns_name(enum oci_ns_type t);   /* "pid", "network", ... */
int oci_ns_clone_flag(enum oci_ns_type t);     /* CLONE_NEWPID, ... */

struct oci_time_offset { char *clock; /* "monotonic"|"boottime" */ int64_t secs; uint32_t nanosecs; };

struct oci_device {
	char type;         /* 'c', 'b', 'u' or 'p' */
	char *path;        /* REQUIRED, absolute inside the container */
	int64_t major, minor; /* REQUIRED unless type 'p' */
	opt_u32 file_mode;
	opt_u32 uid, gid;
};

/* ------------------------------------------------------------ resources */
struct oci_device_cgroup {
	bool allow;
	char type;         /* 'a', 'c', 'b'; 'a' when absent */
	opt_i64 major, minor; /* absent = wildcard */
	char *access;      /* subset of "rwm"; NULL = "rwm" */
};

struct oci_memory {
	opt_i64 limit, reservation, swap, kernel, kernel_tcp;
	opt_u64 swappiness;
	opt_bool disable_oom_killer, use_hierarchy, check_before_update;
};

struct oci_cpu {
	opt_u64 shares;
	opt_i64 quota;
	opt_u64 burst, period;
	opt_i64 realtime_runtime;
	opt_u64 realtime_period;
	char *cpus, *mems;
	opt_i64 idle;
};

struct oci_weight_device { int64_t major, minor; opt_u32 weight, leaf_weight; };
struct oci_throttle_device { int64_t major, minor; uint64_t rate; };
struct oci_blkio {
	opt_u32 weight, leaf_weight; /* uint16 in the spec, range-checked */
	struct oci_weight_device *weight_device; size_t n_weight_device;
	struct oci_throttle_device *throttle_read_bps; size_t n_throttle_read_bps;
	struct oci_throttle_device *throttle_write_bps; size_t n_throttle_write_bps;
	struct oci_throttle_device *throttle_read_iops; size_t n_throttle_read_iops;
	struct oci_throttle_device *throttle_write_iops; size_t n_throttle_write_iops;
};

struct oci_hugepage_limit { char *page_size; uint64_t limit; };

struct oci_net_priority { char *name; uint32_t priority; };
struct oci_network { opt_u32 class_id; struct oci_net_priority *priorities; size_t n_priorities; };

struct oci_pids { int64_t limit; }; /* -1 = unlimited ("max"); 0 is a real limit (config-linux.md) */

struct oci_rdma_limit { char *device; opt_u32 hca_handles, hca_objects; };

struct oci_resources {
	struct oci_device_cgroup *devices; size_t n_devices;
	struct oci_memory *memory;
	struct oci_cpu *cpu;
	struct oci_pids *pids;
	struct oci_blkio *block_io;
	struct oci_hugepage_limit *hugepage_limits; size_t n_hugepage_limits;
	struct oci_network *network;
	struct oci_rdma_limit *rdma; size_t n_rdma;
	struct str_map unified;
};

/* --------------------------------------------------------------- seccomp */
enum oci_seccomp_action {
	OCI_SECCOMP_KILL, OCI_SECCOMP_KILL_PROCESS, OCI_SECCOMP_KILL_THREAD,
	OCI_SECCOMP_TRAP, OCI_SECCOMP_ERRNO, OCI_SECCOMP_TRACE, OCI_SECCOMP_ALLOW,
	OCI_SECCOMP_LOG, OCI_SECCOMP_NOTIFY
};
const char *oci_seccomp_action_name(enum oci_seccomp_action a); /* "SCMP_ACT_ERRNO" */

enum oci_seccomp_op {
	OCI_SECCOMP_OP_NE, OCI_SECCOMP_OP_LT, OCI_SECCOMP_OP_LE, OCI_SECCOMP_OP_EQ,
	OCI_SECCOMP_OP_GE, OCI_SECCOMP_OP_GT, OCI_SECCOMP_OP_MASKED_EQ
};
struct oci_seccomp_arg { uint32_t index; uint64_t value; uint64_t value_two; enum oci_seccomp_op op; };

struct oci_seccomp_syscall {
	struct strv names;
	enum oci_seccomp_action action;
	opt_u32 errno_ret;
	struct oci_seccomp_arg *args; size_t n_args;
};

struct oci_seccomp {
	enum oci_seccomp_action default_action;
	opt_u32 default_errno_ret;
	struct strv architectures; /* "SCMP_ARCH_X86_64", ... */
	struct strv flags;         /* "SECCOMP_FILTER_FLAG_LOG", ... */
	char *listener_path;
	char *listener_metadata;
	struct oci_seccomp_syscall *syscalls; size_t n_syscalls;
};

/* ---------------------------------------------------------------- linux */
struct oci_personality { char *domain; /* "LINUX" | "LINUX32" */ struct strv flags; };

struct oci_intel_rdt {
	char *clos_id, *l3_cache_schema, *mem_bw_schema;
	struct strv schemata;
	opt_bool enable_monitoring, enable_cmt, enable_mbm;
};

struct oci_memory_policy { int mode; char *mode_name; char *nodes; unsigned flags; struct strv flag_names; };

struct oci_net_device { char *host_name; char *name; /* NULL: keep the host name */ };

struct oci_linux {
	struct oci_namespace *namespaces; size_t n_namespaces;
	struct oci_id_mapping *uid_mappings; size_t n_uid_mappings;
	struct oci_id_mapping *gid_mappings; size_t n_gid_mappings;
	struct oci_time_offset *time_offsets; size_t n_time_offsets;
	struct oci_device *devices; size_t n_devices;
	char *cgroups_path;
	struct oci_resources *resources;
	char *rootfs_propagation; /* "shared"|"slave"|"private"|"unbindable" or NULL */
	struct oci_seccomp *seccomp;
	struct str_map sysctl;
	struct strv masked_paths;
	bool masked_paths_set;     /* the key was present (policy: "masked paths removed") */
	struct strv readonly_paths;
	bool readonly_paths_set;
	char *mount_label;
	struct oci_personality *personality;
	struct oci_intel_rdt *intel_rdt;
	struct oci_memory_policy *memory_policy;
	struct oci_net_device *net_devices; size_t n_net_devices;
};

/* ---------------------------------------------------------- the document */
struct oci_config {
	char *oci_version;            /* REQUIRED */
	struct oci_root *root;
	struct oci_mount *mounts; size_t n_mounts;
	struct oci_process *process;  /* REQUIRED for start */
	char *hostname;
	char *domainname;
	struct oci_hooks *hooks;
	struct str_map annotations;
	struct oci_linux *linux_cfg;  /* "linux" (the name is a predefined macro in GNU C) */
};

/* Lookup for namespace of a type; NULL when the config does not list it. */
const struct oci_namespace *oci_config_namespace(const struct oci_config *c, enum oci_ns_type t);

/* Parse a config.json document.  Errors name the JSON path and the reason:
 *   "linux.resources.memory.limit: expected an integer, got \"64M\"".
 * Unknown fields are ignored (the spec requires it); a known field with a
 * value rampart cannot honour is an error. */
struct oci_config *oci_config_parse(const char *buf, size_t len, rp_err_t *err);
struct oci_config *oci_config_parse_file(const char *path, rp_err_t *err);
/* Read <bundle>/config.json. */
struct oci_config *oci_config_load_bundle(const char *bundle, rp_err_t *err);
void oci_config_free(struct oci_config *c);

/* An exec process.json (the "process" object on its own). */
struct oci_process *oci_process_parse(const char *buf, size_t len, rp_err_t *err);
void oci_process_free(struct oci_process *p);

/* A LinuxResources document (update --resources). */
struct oci_resources *oci_resources_parse(const char *buf, size_t len, rp_err_t *err);
void oci_resources_free(struct oci_resources *r);

/* A LinuxSeccomp document on its own (seccomp-profiles/default.json). */
struct oci_seccomp *oci_seccomp_parse(const char *buf, size_t len, rp_err_t *err);
void oci_seccomp_free(struct oci_seccomp *s);

/* Capability names <-> numbers ("CAP_SYS_ADMIN" <-> 21).  -1 when unknown. */
int oci_cap_from_name(const char *name);
const char *oci_cap_name(int cap);
#define OCI_CAP_LAST 63

/* Serialise back to JSON (for `spec` and tests); the writer gets one value. */
void oci_config_write(json_writer *w, const struct oci_config *c);

/* The spec version this build implements, e.g. "1.3.0". */
#define OCI_SPEC_VERSION "1.3.0"

#endif
