/* rampart: what cgroup.c, cgroup-v1.c, cgroup-v2.c and bpf-devices.c share.
 * Nothing outside these four files includes this header. */
#ifndef RAMPART_CGROUP_INTERNAL_H
#define RAMPART_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup.h"

/* One mounted v1 hierarchy ("cpu", "cpu,cpuacct", "memory", ...). */
struct rp_cg_v1 {
	char *mountpoint;   /* /sys/fs/cgroup/memory */
	char *controllers;  /* ",memory," (commas around every name, for lookups) */
	int fd;             /* the container's directory in it, or -1 */
	size_t created;     /* trailing path components rp_cgroup_create made */
};

struct rp_cgroup {
	enum rp_cgroup_layout layout;
	char *path;         /* absolute inside every hierarchy: "/rampart/<id>" */
	char *v2_mount;     /* cgroup2 mount point, or NULL (legacy) */
	int v2_fd;          /* the container's cgroup2 directory, or -1 */
	size_t v2_created;
	struct rp_cg_v1 *v1;
	size_t n_v1;
};

/* Where a controller lives for this container: a v1 directory, the cgroup2
 * directory, or nowhere. */
struct rp_cg_ctl {
	int fd;
	bool v2;
};
/* v1name is the v1 controller ("blkio"), v2name its cgroup2 name ("io"),
 * NULL when it has none. false when neither hierarchy offers it. */
bool rp_cg_controller(const struct rp_cgroup *cg, const char *v1name, const char *v2name,
		      struct rp_cg_ctl *out);
int rp_cg_v1_fd(const struct rp_cgroup *cg, const char *controller);
bool rp_cg_v2_has(const struct rp_cgroup *cg, const char *controller);

/* Small file helpers for control files: one write(2) per value, because the
 * kernel parses each write on its own.  Errors name the file. */
int rp_cg_write(int dirfd, const char *file, const char *value, rp_err_t *err);
int rp_cg_writef(int dirfd, const char *file, rp_err_t *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Read a small control file into buf (NUL-terminated, trailing newline
 * removed).  -1 with errno set when it cannot be read. */
int rp_cg_read(int dirfd, const char *file, char *buf, size_t size);
bool rp_cg_exists(int dirfd, const char *file);
/* "key value" lines (cpu.stat, memory.stat, memory.events): the value of
 * key, or false. */
bool rp_cg_read_key(int dirfd, const char *file, const char *key, uint64_t *out);
bool rp_cg_read_u64(int dirfd, const char *file, uint64_t *out);
/* memory.checkBeforeUpdate: refuse a limit below the usage in usage_file
 * (v1 memory.usage_in_bytes, v2 memory.current). */
int rp_cg_check_before_update(int fd, const char *usage_file, const struct oci_memory *m, rp_err_t *err);

/* Resource application, one function per controller and hierarchy kind.
 * cgroup.c picks the hierarchy that holds the controller; `update` is true
 * for `rampart update`.  Errors name the linux.resources field. */
int rp_cg_v1_memory(int fd, const struct oci_memory *m, bool update, rp_err_t *err);
int rp_cg_v2_memory(int fd, const struct oci_memory *m, bool update, rp_err_t *err);
int rp_cg_v1_cpu(int fd, const struct oci_cpu *c, rp_err_t *err);
int rp_cg_v2_cpu(int fd, const struct oci_cpu *c, rp_err_t *err);
int rp_cg_cpuset(int fd, const struct oci_cpu *c, rp_err_t *err); /* same files in v1 and v2 */
int rp_cg_pids(int fd, const struct oci_pids *p, rp_err_t *err);   /* same files in v1 and v2 */
int rp_cg_v1_blkio(int fd, const struct oci_blkio *b, rp_err_t *err);
int rp_cg_v2_io(int fd, const struct oci_blkio *b, rp_err_t *err);
int rp_cg_hugetlb(int fd, bool v2, const struct oci_resources *res, rp_err_t *err);
int rp_cg_rdma(int fd, const struct oci_resources *res, rp_err_t *err);
int rp_cg_v1_network(const struct rp_cgroup *cg, const struct oci_network *n, rp_err_t *err);
int rp_cg_v1_devices(int fd, const struct oci_device_cgroup *rules, size_t n, bool update, rp_err_t *err);
int rp_cg_v2_unified(const struct rp_cgroup *cg, const struct str_map *unified, rp_err_t *err);

/* Stats sections of the events --stats "data" object. */
void rp_cg_v1_stats_cpu(int cpu_fd, int cpuacct_fd, json_writer *w);
void rp_cg_v2_stats_cpu(int fd, json_writer *w);
void rp_cg_v1_stats_memory(int fd, json_writer *w);
void rp_cg_v2_stats_memory(int fd, json_writer *w);
void rp_cg_stats_pids(int fd, json_writer *w);
void rp_cg_v1_stats_blkio(int fd, json_writer *w);
void rp_cg_v2_stats_io(int fd, json_writer *w);
void rp_cg_stats_hugetlb(int fd, bool v2, json_writer *w);

/* Device access. The rules every container gets after the config's own
 * (the devices the spec says the runtime MUST supply), and the eBPF filter. */
extern const struct oci_device_cgroup rp_cg_default_devices[];
extern const size_t rp_cg_n_default_devices;
/* Replace the device filter on the cgroup2 directory dirfd with one built
 * from defaults + rules (last matching rule wins, default deny). */
int rp_bpf_devices_apply(int dirfd, const struct oci_device_cgroup *rules, size_t n,
			 rp_err_t *err);

#endif
