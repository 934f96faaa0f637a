/* rampart: linux.resources on cgroup2 control files, the files whose
 * names v1 and v2 share (cpuset, pids, hugetlb, rdma), and the stats read
 * from them.  Conversions follow the runtime spec and the kernel's
 * cgroup-v2 documentation. */
#include "config-host.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup-internal.h"
#include "cleanup.h"
#include "log.h"
#include "utils.h"

#define FIELD "linux.resources."

/* "max" for the spec's -1 (unlimited), the number otherwise. */
static void limit_str(int64_t v, char buf[32])
{
	if (v < 0)
		snprintf(buf, 32, "max");
	else
		snprintf(buf, 32, "%" PRId64, v);
}

static int write_field(int fd, const char *file, const char *value, const char *field,
		       rp_err_t *err)
{
	if (rp_cg_write(fd, file, value, err) < 0)
		return rp_error_prefix(err, FIELD "%s", field);
	return 0;
}

/* ------------------------------------------------------------------ memory */

/* memory.swap.max holds swap alone while the spec's swap is memory+swap. */
static int v2_swap_value(const struct oci_memory *m, int fd, char buf[32], rp_err_t *err)
{
	int64_t limit;

	if (m->swap.value < 0) {
		snprintf(buf, 32, "max");
		return 0;
	}
	if (m->limit.set) {
		limit = m->limit.value;
	} else {
		uint64_t cur;

		if (!rp_cg_read_u64(fd, "memory.max", &cur) || cur == UINT64_MAX)
			return rp_error(err, EINVAL, FIELD "memory.swap: a swap limit needs a "
					"memory limit (memory.limit) on cgroup v2");
		limit = (int64_t)cur;
	}
	if (limit < 0)
		return rp_error(err, EINVAL, FIELD "memory.swap: a swap limit needs a memory "
				"limit (memory.limit) on cgroup v2");
	if (m->swap.value < limit)
		return rp_error(err, EINVAL, FIELD "memory.swap (%" PRId64 ") is memory+swap and "
				"cannot be below memory.limit (%" PRId64 ")", m->swap.value, limit);
	snprintf(buf, 32, "%" PRId64, m->swap.value - limit);
	return 0;
}

static void warn_kernel_memory(const struct oci_memory *m)
{
	if (m->kernel.set)
		rp_warn(FIELD "memory.kernel: kernel memory limits are not supported by the "
			"kernel, ignored");
	if (m->kernel_tcp.set)
		rp_warn(FIELD "memory.kernelTCP: kernel TCP memory limits are not supported by "
			"the kernel, ignored");
}

int rp_cg_v2_memory(int fd, const struct oci_memory *m, bool update, rp_err_t *err)
{
	char buf[32];

	if (m->swappiness.set)
		return rp_error(err, ENOTSUP, FIELD "memory.swappiness: cgroup v2 has no "
				"per-cgroup swappiness");
	if (m->disable_oom_killer.set && m->disable_oom_killer.value)
		return rp_error(err, ENOTSUP, FIELD "memory.disableOOMKiller: cgroup v2 cannot "
				"disable the OOM killer");
	if (m->use_hierarchy.set && !m->use_hierarchy.value)
		return rp_error(err, ENOTSUP, FIELD "memory.useHierarchy: cgroup v2 is always "
				"hierarchical");
	warn_kernel_memory(m);
	if (update && rp_cg_check_before_update(fd, "memory.current", m, err) < 0)
		return -1;
	if (m->swap.set) {
		if (v2_swap_value(m, fd, buf, err) < 0)
			return -1;
		if (!rp_cg_exists(fd, "memory.swap.max"))
			return rp_error(err, ENOTSUP, FIELD "memory.swap: swap accounting is not "
					"enabled in this kernel");
	}
	/* a lower memory.max first would OOM-kill what the new swap room saves */
	if (m->swap.set && write_field(fd, "memory.swap.max", buf, "memory.swap", err) < 0)
		return -1;
	if (m->limit.set) {
		limit_str(m->limit.value, buf);
		if (write_field(fd, "memory.max", buf, "memory.limit", err) < 0)
			return -1;
	}
	if (m->reservation.set) {
		limit_str(m->reservation.value, buf);
		if (write_field(fd, "memory.low", buf, "memory.reservation", err) < 0)
			return -1;
	}
	return 0;
}

/* --------------------------------------------------------------------- cpu */

/* The spec's shares (2..262144) onto cpu.weight (1..10000). */
static uint64_t shares_to_weight(uint64_t shares)
{
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}

int rp_cg_v2_cpu(int fd, const struct oci_cpu *c, rp_err_t *err)
{
	if ((c->realtime_runtime.set && c->realtime_runtime.value) ||
	    (c->realtime_period.set && c->realtime_period.value))
		return rp_error(err, ENOTSUP, FIELD "cpu.%s: cgroup v2 has no realtime group "
				"scheduling", c->realtime_runtime.set ? "realtimeRuntime" :
				"realtimePeriod");
	if (c->quota.set && c->quota.value > 0 && c->burst.set &&
	    c->burst.value > (uint64_t)c->quota.value)
		return rp_error(err, EINVAL, FIELD "cpu.burst (%" PRIu64 ") is larger than "
				"cpu.quota (%" PRId64 ")", c->burst.value, c->quota.value);
	if (c->shares.set && c->shares.value) {
		if (rp_cg_writef(fd, "cpu.weight", err, "%" PRIu64, shares_to_weight(c->shares.value)) < 0)
			return rp_error_prefix(err, FIELD "cpu.shares");
	}
	/* A quota of 0, like a period of 0, is "not set" (Go callers' zero
	 * value); -1 is unlimited. */
	bool quota_given = c->quota.set && c->quota.value != 0;
	bool period_given = c->period.set && c->period.value;
	if (quota_given || period_given) {
		char cur[64], quota[32] = "max";
		uint64_t period = 100000;

		/* keep the half of "quota period" the caller did not give */
		if (rp_cg_read(fd, "cpu.max", cur, sizeof(cur)) == 0)
			sscanf(cur, "%31s %" SCNu64, quota, &period);
		if (quota_given)
			limit_str(c->quota.value > 0 ? c->quota.value : -1, quota);
		if (period_given)
			period = c->period.value;
		if (rp_cg_writef(fd, "cpu.max", err, "%s %" PRIu64, quota, period) < 0)
			return rp_error_prefix(err, FIELD "cpu.%s", quota_given ? "quota" : "period");
	}
	if (c->burst.set &&
	    rp_cg_writef(fd, "cpu.max.burst", err, "%" PRIu64, c->burst.value) < 0)
		return rp_error_prefix(err, FIELD "cpu.burst");
	if (c->idle.set && rp_cg_writef(fd, "cpu.idle", err, "%" PRId64, c->idle.value) < 0)
		return rp_error_prefix(err, FIELD "cpu.idle");
	return 0;
}

int rp_cg_cpuset(int fd, const struct oci_cpu *c, rp_err_t *err)
{
	if (c->cpus && write_field(fd, "cpuset.cpus", c->cpus, "cpu.cpus", err) < 0)
		return -1;
	if (c->mems && write_field(fd, "cpuset.mems", c->mems, "cpu.mems", err) < 0)
		return -1;
	return 0;
}

int rp_cg_pids(int fd, const struct oci_pids *p, rp_err_t *err)
{
	char buf[32];

	/* -1 is unlimited; 0 is a real limit (the spec says so) */
	limit_str(p->limit, buf);
	return write_field(fd, "pids.max", buf, "pids.limit", err);
}

/* ---------------------------------------------------------------------- io */

/* blkio weights (10..1000) onto io.weight (1..10000). */
static uint64_t blkio_to_io_weight(uint64_t w)
{
	if (w < 10)
		w = 10;
	if (w > 1000)
		w = 1000;
	return 1 + (w - 10) * 9999 / 990;
}

static int io_weight(int fd, const char *dev, uint32_t w, const char *field, rp_err_t *err)
{
	/* BFQ takes the blkio scale as is; the io controller its own */
	if (rp_cg_exists(fd, "io.bfq.weight"))
		return rp_cg_writef(fd, "io.bfq.weight", err, "%s %u", dev, w) < 0
			       ? rp_error_prefix(err, FIELD "%s", field) : 0;
	if (rp_cg_writef(fd, "io.weight", err, "%s %" PRIu64, dev, blkio_to_io_weight(w)) < 0)
		return rp_error_prefix(err, FIELD "%s", field);
	return 0;
}

static int io_max(int fd, const struct oci_throttle_device *d, size_t n, const char *key,
		  const char *field, rp_err_t *err)
{
	for (size_t i = 0; i < n; i++) {
		char rate[32];

		limit_str(d[i].rate ? (int64_t)d[i].rate : -1, rate);
		if (rp_cg_writef(fd, "io.max", err, "%" PRId64 ":%" PRId64 " %s=%s", d[i].major,
				 d[i].minor, key, rate) < 0)
			return rp_error_prefix(err, FIELD "blockIO.%s[%zu]", field, i);
	}
	return 0;
}

int rp_cg_v2_io(int fd, const struct oci_blkio *b, rp_err_t *err)
{
	if (b->leaf_weight.set)
		return rp_error(err, ENOTSUP, FIELD "blockIO.leafWeight: cgroup v2 has no leaf weight");
	for (size_t i = 0; i < b->n_weight_device; i++)
		if (b->weight_device[i].leaf_weight.set)
			return rp_error(err, ENOTSUP, FIELD "blockIO.weightDevice[%zu].leafWeight: "
					"cgroup v2 has no leaf weight", i);
	if (b->weight.set && b->weight.value &&
	    io_weight(fd, "default", b->weight.value, "blockIO.weight", err) < 0)
		return -1;
	for (size_t i = 0; i < b->n_weight_device; i++) {
		const struct oci_weight_device *d = &b->weight_device[i];
		char dev[48];

		if (!d->weight.set)
			continue;
		snprintf(dev, sizeof(dev), "%" PRId64 ":%" PRId64, d->major, d->minor);
		if (io_weight(fd, dev, d->weight.value, "blockIO.weightDevice", err) < 0)
			return -1;
	}
	if (io_max(fd, b->throttle_read_bps, b->n_throttle_read_bps, "rbps",
		   "throttleReadBpsDevice", err) < 0 ||
	    io_max(fd, b->throttle_write_bps, b->n_throttle_write_bps, "wbps",
		   "throttleWriteBpsDevice", err) < 0 ||
	    io_max(fd, b->throttle_read_iops, b->n_throttle_read_iops, "riops",
		   "throttleReadIOPSDevice", err) < 0 ||
	    io_max(fd, b->throttle_write_iops, b->n_throttle_write_iops, "wiops",
		   "throttleWriteIOPSDevice", err) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ hugetlb, rdma */

static bool valid_page_size(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	return digits > 0 && strchr("KMGT", s[digits]) && s[digits] && s[digits + 1] == 'B' &&
	       s[digits + 2] == '\0';
}

int rp_cg_hugetlb(int fd, bool v2, const struct oci_resources *res, rp_err_t *err)
{
	for (size_t i = 0; i < res->n_hugepage_limits; i++) {
		const struct oci_hugepage_limit *h = &res->hugepage_limits[i];
		char file[64], rsvd[64];

		if (!h->page_size || !valid_page_size(h->page_size))
			return rp_error(err, EINVAL, FIELD "hugepageLimits[%zu].pageSize: \"%s\" is "
					"not a size like \"2MB\"", i, h->page_size ? h->page_size : "");
		snprintf(file, sizeof(file), v2 ? "hugetlb.%s.max" : "hugetlb.%s.limit_in_bytes",
			 h->page_size);
		snprintf(rsvd, sizeof(rsvd), v2 ? "hugetlb.%s.rsvd.max" :
			 "hugetlb.%s.rsvd.limit_in_bytes", h->page_size);
		if (!rp_cg_exists(fd, file))
			return rp_error(err, ENOTSUP, FIELD "hugepageLimits[%zu].pageSize: this host "
					"has no %s huge pages", i, h->page_size);
		/* reservation accounting first: it is the limit that never SIGBUSes */
		if ((rp_cg_exists(fd, rsvd) &&
		     rp_cg_writef(fd, rsvd, err, "%" PRIu64, h->limit) < 0) ||
		    rp_cg_writef(fd, file, err, "%" PRIu64, h->limit) < 0)
			return rp_error_prefix(err, FIELD "hugepageLimits[%zu].limit", i);
	}
	return 0;
}

int rp_cg_rdma(int fd, const struct oci_resources *res, rp_err_t *err)
{
	for (size_t i = 0; i < res->n_rdma; i++) {
		const struct oci_rdma_limit *r = &res->rdma[i];
		char line[256];
		int len;

		if (!r->device || !*r->device || strpbrk(r->device, " \t\n=") || strlen(r->device) > 64)
			return rp_error(err, EINVAL, FIELD "rdma: invalid device name \"%s\"",
					r->device ? r->device : "");
		if (!r->hca_handles.set && !r->hca_objects.set)
			return rp_error(err, EINVAL, FIELD "rdma.%s: set hcaHandles or hcaObjects",
					r->device);
		len = snprintf(line, sizeof(line), "%s", r->device);
		if (r->hca_handles.set)
			len += snprintf(line + len, sizeof(line) - len, " hca_handle=%u",
					r->hca_handles.value);
		if (r->hca_objects.set)
			snprintf(line + len, sizeof(line) - len, " hca_object=%u", r->hca_objects.value);
		if (rp_cg_write(fd, "rdma.max", line, err) < 0)
			return rp_error_prefix(err, FIELD "rdma.%s", r->device);
	}
	return 0;
}

/* ----------------------------------------------------------------- unified */

/* Interface files that move or kill processes are not resources. */
static const char *const unified_refused[] = {
	"cgroup.procs", "cgroup.threads", "cgroup.kill", "cgroup.type", "cgroup.freeze",
};

static int unified_key(const struct rp_cgroup *cg, const char *key, rp_err_t *err)
{
	char ctl[64];
	size_t l;

	if (!*key || strchr(key, '/') || key[0] == '.' || strlen(key) > 255)
		return rp_error(err, EINVAL, FIELD "unified: \"%s\" is not a cgroup file name", key);
	for (size_t i = 0; i < ARRAY_SIZE(unified_refused); i++)
		if (strcmp(key, unified_refused[i]) == 0)
			return rp_error(err, EPERM, FIELD "unified.%s: not a resource setting", key);
	if (rp_cg_exists(cg->v2_fd, key))
		return 0;
	l = strcspn(key, ".");
	snprintf(ctl, sizeof(ctl), "%.*s", (int)(l < sizeof(ctl) ? l : sizeof(ctl) - 1), key);
	if (key[l] == '.' && strcmp(ctl, "cgroup") != 0 && !rp_cg_v2_has(cg, ctl))
		return rp_error(err, ENOTSUP, FIELD "unified.%s: the %s controller is not "
				"available in the cgroup2 hierarchy", key, ctl);
	return rp_error(err, ENOENT, FIELD "unified.%s: no such cgroup file", key);
}

int rp_cg_v2_unified(const struct rp_cgroup *cg, const struct str_map *unified, rp_err_t *err)
{
	if (cg->v2_fd < 0)
		return rp_error(err, ENOTSUP, FIELD "unified: this host has no cgroup2 hierarchy");
	for (size_t i = 0; i < unified->n; i++) {
		const char *key = unified->keys[i];
		_cleanup_free_ char *copy = rp_xstrdup(unified->values[i]);
		char *save = NULL;

		if (unified_key(cg, key, err) < 0)
			return -1;
		/* one entry per line (io.max for two devices): one write each */
		for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (rp_cg_write(cg->v2_fd, key, line, err) < 0)
				return rp_error_prefix(err, FIELD "unified.%s", key);
		if (!*unified->values[i] && rp_cg_write(cg->v2_fd, key, "", err) < 0)
			return rp_error_prefix(err, FIELD "unified.%s", key);
	}
	return 0;
}

/* ------------------------------------------------------------------- stats */

void rp_cg_v2_stats_cpu(int fd, json_writer *w)
{
	uint64_t v;

	json_w_object_begin(w);
	json_w_key(w, "usage");
	json_w_object_begin(w);
	if (rp_cg_read_key(fd, "cpu.stat", "usage_usec", &v))
		json_w_kv_uint(w, "total", v * 1000);
	if (rp_cg_read_key(fd, "cpu.stat", "system_usec", &v))
		json_w_kv_uint(w, "kernel", v * 1000);
	if (rp_cg_read_key(fd, "cpu.stat", "user_usec", &v))
		json_w_kv_uint(w, "user", v * 1000);
	json_w_object_end(w);
	json_w_key(w, "throttling");
	json_w_object_begin(w);
	if (rp_cg_read_key(fd, "cpu.stat", "nr_periods", &v))
		json_w_kv_uint(w, "periods", v);
	if (rp_cg_read_key(fd, "cpu.stat", "nr_throttled", &v))
		json_w_kv_uint(w, "throttledPeriods", v);
	if (rp_cg_read_key(fd, "cpu.stat", "throttled_usec", &v))
		json_w_kv_uint(w, "throttledTime", v * 1000);
	json_w_object_end(w);
	json_w_object_end(w);
}

/* {"limit","usage","max","failcnt"} from four files, each optional. */
static void memory_entry(int fd, json_writer *w, const char *key, const char *limit,
			 const char *usage, const char *max)
{
	uint64_t v;

	json_w_key(w, key);
	json_w_object_begin(w);
	if (rp_cg_read_u64(fd, limit, &v))
		json_w_kv_uint(w, "limit", v);
	if (rp_cg_read_u64(fd, usage, &v))
		json_w_kv_uint(w, "usage", v);
	if (max && rp_cg_read_u64(fd, max, &v))
		json_w_kv_uint(w, "max", v);
	json_w_kv_uint(w, "failcnt", 0);
	json_w_object_end(w);
}

/* Every "key value" line of a flat-keyed file as an object. */
static void raw_object(int fd, const char *file, json_writer *w)
{
	_cleanup_free_ char *buf = rp_xmalloc(65536);

	json_w_object_begin(w);
	if (rp_cg_read(fd, file, buf, 65536) == 0) {
		char *save = NULL;

		for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');
			uint64_t v;

			if (sp && (*sp++ = '\0', rp_parse_u64(sp, &v)))
				json_w_kv_uint(w, line, v);
		}
	}
	json_w_object_end(w);
}

void rp_cg_v2_stats_memory(int fd, json_writer *w)
{
	uint64_t v;

	json_w_object_begin(w);
	if (rp_cg_read_key(fd, "memory.stat", "file", &v))
		json_w_kv_uint(w, "cache", v);
	memory_entry(fd, w, "usage", "memory.max", "memory.current", "memory.peak");
	memory_entry(fd, w, "swap", "memory.swap.max", "memory.swap.current", "memory.swap.peak");
	json_w_key(w, "raw");
	raw_object(fd, "memory.stat", w);
	json_w_object_end(w);
}

void rp_cg_stats_pids(int fd, json_writer *w)
{
	uint64_t v;

	json_w_object_begin(w);
	if (rp_cg_read_u64(fd, "pids.current", &v))
		json_w_kv_uint(w, "current", v);
	if (rp_cg_read_u64(fd, "pids.max", &v) && v != UINT64_MAX)
		json_w_kv_uint(w, "limit", v);
	json_w_object_end(w);
}

static void blkio_entry(json_writer *w, unsigned maj, unsigned min, const char *op, uint64_t v)
{
	json_w_object_begin(w);
	json_w_kv_uint(w, "major", maj);
	json_w_kv_uint(w, "minor", min);
	json_w_kv_string(w, "op", op);
	json_w_kv_uint(w, "value", v);
	json_w_object_end(w);
}

/* io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" per device. */
static void io_stat_list(int fd, json_writer *w, const char *rkey, const char *wkey)
{
	_cleanup_free_ char *buf = rp_xmalloc(65536);
	char *save = NULL;

	json_w_array_begin(w);
	if (rp_cg_read(fd, "io.stat", buf, 65536) == 0) {
		for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			unsigned maj, min;
			uint64_t r = 0, wr = 0;
			char *p;

			if (sscanf(line, "%u:%u", &maj, &min) != 2)
				continue;
			if ((p = strstr(line, rkey)))
				sscanf(p + strlen(rkey), "%" SCNu64, &r);
			if ((p = strstr(line, wkey)))
				sscanf(p + strlen(wkey), "%" SCNu64, &wr);
			blkio_entry(w, maj, min, "Read", r);
			blkio_entry(w, maj, min, "Write", wr);
			blkio_entry(w, maj, min, "Total", r + wr);
		}
	}
	json_w_array_end(w);
}

void rp_cg_v2_stats_io(int fd, json_writer *w)
{
	json_w_object_begin(w);
	json_w_key(w, "ioServiceBytesRecursive");
	io_stat_list(fd, w, " rbytes=", " wbytes=");
	json_w_key(w, "ioServicedRecursive");
	io_stat_list(fd, w, " rios=", " wios=");
	json_w_object_end(w);
}

void rp_cg_stats_hugetlb(int fd, bool v2, json_writer *w)
{
	_cleanup_closedir_ DIR *d = NULL;
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *suffix = v2 ? ".current" : ".usage_in_bytes";
	struct dirent *de;

	json_w_object_begin(w);
	if (dfd >= 0 && !(d = fdopendir(dfd)))
		close(dfd);
	while (d && (de = readdir(d))) {
		char size[32], file[96];
		uint64_t v;
		size_t l = strlen(de->d_name), sl = strlen(suffix);

		/* hugetlb.2MB.current (not hugetlb.2MB.rsvd.current) */
		if (strncmp(de->d_name, "hugetlb.", 8) != 0 || l <= 8 + sl ||
		    strcmp(de->d_name + l - sl, suffix) != 0 || l - 8 - sl >= sizeof(size))
			continue;
		snprintf(size, sizeof(size), "%.*s", (int)(l - 8 - sl), de->d_name + 8);
		if (strchr(size, '.'))
			continue;
		json_w_key(w, size);
		json_w_object_begin(w);
		if (rp_cg_read_u64(fd, de->d_name, &v))
			json_w_kv_uint(w, "usage", v);
		if (v2) {
			snprintf(file, sizeof(file), "hugetlb.%s.events", size);
			json_w_kv_uint(w, "failcnt", rp_cg_read_key(fd, file, "max", &v) ? v : 0);
		} else {
			snprintf(file, sizeof(file), "hugetlb.%s.max_usage_in_bytes", size);
			if (rp_cg_read_u64(fd, file, &v))
				json_w_kv_uint(w, "max", v);
			snprintf(file, sizeof(file), "hugetlb.%s.failcnt", size);
			json_w_kv_uint(w, "failcnt", rp_cg_read_u64(fd, file, &v) ? v : 0);
		}
		json_w_object_end(w);
	}
	json_w_object_end(w);
}
