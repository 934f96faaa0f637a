/* rampart: linux.resources on cgroup v1 controllers (legacy and hybrid
 * hosts), and the stats read from them. */
#include "config-host.h"

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

static int write_i64(int fd, const char *file, int64_t v, const char *field, rp_err_t *err)
{
	if (rp_cg_writef(fd, file, err, "%" PRId64, v) < 0)
		return rp_error_prefix(err, FIELD "%s", field);
	return 0;
}

static int write_u64(int fd, const char *file, uint64_t v, const char *field, rp_err_t *err)
{
	if (rp_cg_writef(fd, file, err, "%" PRIu64, v) < 0)
		return rp_error_prefix(err, FIELD "%s", field);
	return 0;
}

/* ------------------------------------------------------------------ memory */

/* memsw.limit_in_bytes must never be below limit_in_bytes, so which of the
 * two goes first depends on whether the pair grows or shrinks. */
static int v1_limit_and_swap(int fd, const struct oci_memory *m, rp_err_t *err)
{
	bool swap_first = false;

	if (m->swap.set) {
		uint64_t cur;

		if (!rp_cg_exists(fd, "memory.memsw.limit_in_bytes"))
			return rp_error(err, ENOTSUP, FIELD "memory.swap: swap accounting is not "
					"enabled in this kernel (swapaccount=1)");
		if (m->limit.set && m->limit.value >= 0 && m->swap.value >= 0 &&
		    m->swap.value < m->limit.value)
			return rp_error(err, EINVAL, FIELD "memory.swap (%" PRId64 ") is memory+swap "
					"and cannot be below memory.limit (%" PRId64 ")",
					m->swap.value, m->limit.value);
		swap_first = m->swap.value < 0 ||
			     (rp_cg_read_u64(fd, "memory.memsw.limit_in_bytes", &cur) &&
			      (uint64_t)m->swap.value > cur);
	}
	if (swap_first &&
	    write_i64(fd, "memory.memsw.limit_in_bytes", m->swap.value, "memory.swap", err) < 0)
		return -1;
	if (m->limit.set &&
	    write_i64(fd, "memory.limit_in_bytes", m->limit.value, "memory.limit", err) < 0)
		return -1;
	if (m->swap.set && !swap_first &&
	    write_i64(fd, "memory.memsw.limit_in_bytes", m->swap.value, "memory.swap", err) < 0)
		return -1;
	return 0;
}

int rp_cg_v1_memory(int fd, const struct oci_memory *m, bool update, rp_err_t *err)
{
	if (m->kernel.set)
		rp_warn(FIELD "memory.kernel: kernel memory limits are not supported by the "
			"kernel, ignored");
	if (m->kernel_tcp.set) {
		if (rp_cg_exists(fd, "memory.kmem.tcp.limit_in_bytes")) {
			if (write_i64(fd, "memory.kmem.tcp.limit_in_bytes", m->kernel_tcp.value,
				      "memory.kernelTCP", err) < 0)
				return -1;
		} else {
			rp_warn(FIELD "memory.kernelTCP: kernel TCP memory limits are not "
				"supported by the kernel, ignored");
		}
	}
	if (update && rp_cg_check_before_update(fd, "memory.usage_in_bytes", m, err) < 0)
		return -1;
	if (v1_limit_and_swap(fd, m, err) < 0)
		return -1;
	if (m->reservation.set && write_i64(fd, "memory.soft_limit_in_bytes",
					    m->reservation.value, "memory.reservation", err) < 0)
		return -1;
	if (m->swappiness.set) {
		if (m->swappiness.value > 100)
			return rp_error(err, EINVAL, FIELD "memory.swappiness: %" PRIu64 " is not in "
					"0..100", m->swappiness.value);
		if (write_u64(fd, "memory.swappiness", m->swappiness.value, "memory.swappiness",
			      err) < 0)
			return -1;
	}
	if (m->disable_oom_killer.set &&
	    write_u64(fd, "memory.oom_control", m->disable_oom_killer.value, "memory.disableOOMKiller",
		      err) < 0)
		return -1;
	if (m->use_hierarchy.set) {
		uint64_t cur;

		if (!(rp_cg_read_u64(fd, "memory.use_hierarchy", &cur) &&
		      cur == (uint64_t)m->use_hierarchy.value) &&
		    write_u64(fd, "memory.use_hierarchy", m->use_hierarchy.value,
			      "memory.useHierarchy", err) < 0)
			return -1;
	}
	return 0;
}

/* --------------------------------------------------------------------- cpu */

int rp_cg_v1_cpu(int fd, const struct oci_cpu *c, rp_err_t *err)
{
	if (c->quota.set && c->quota.value > 0 && c->burst.set &&
	    c->burst.value > (uint64_t)c->quota.value)
		return rp_error(err, EINVAL, FIELD "cpu.burst (%" PRIu64 ") is larger than "
				"cpu.quota (%" PRId64 ")", c->burst.value, c->quota.value);
	if (c->shares.set && c->shares.value &&
	    write_u64(fd, "cpu.shares", c->shares.value, "cpu.shares", err) < 0)
		return -1;
	if (c->period.set && c->period.value &&
	    write_u64(fd, "cpu.cfs_period_us", c->period.value, "cpu.period", err) < 0)
		return -1;
	/* 0 is how Go callers write "not set" (an update that carries the
	 * whole resources object must not lift the quota); -1 is unlimited. */
	if (c->quota.set && c->quota.value != 0 &&
	    write_i64(fd, "cpu.cfs_quota_us", c->quota.value > 0 ? c->quota.value : -1,
		      "cpu.quota", err) < 0)
		return -1;
	if (c->burst.set) {
		if (!rp_cg_exists(fd, "cpu.cfs_burst_us"))
			return rp_error(err, ENOTSUP, FIELD "cpu.burst: not supported by the kernel");
		if (write_u64(fd, "cpu.cfs_burst_us", c->burst.value, "cpu.burst", err) < 0)
			return -1;
	}
	if (c->idle.set) {
		if (!rp_cg_exists(fd, "cpu.idle"))
			return rp_error(err, ENOTSUP, FIELD "cpu.idle: not supported by the kernel");
		if (write_i64(fd, "cpu.idle", c->idle.value, "cpu.idle", err) < 0)
			return -1;
	}
	/* 0 is how Go callers (docker, containerd) write "not set", and the
	 * kernel refuses a zero rt period: skip zeros, as runc and the v2
	 * code do. */
	bool rt_period = c->realtime_period.set && c->realtime_period.value;
	bool rt_runtime = c->realtime_runtime.set && c->realtime_runtime.value;

	if ((rt_period || rt_runtime) && !rp_cg_exists(fd, "cpu.rt_runtime_us"))
		return rp_error(err, ENOTSUP, FIELD "cpu.%s: the kernel has no realtime group "
				"scheduling (CONFIG_RT_GROUP_SCHED)",
				rt_runtime ? "realtimeRuntime" : "realtimePeriod");
	if (rt_period && write_u64(fd, "cpu.rt_period_us", c->realtime_period.value,
						"cpu.realtimePeriod", err) < 0)
		return -1;
	if (rt_runtime && write_i64(fd, "cpu.rt_runtime_us", c->realtime_runtime.value,
						 "cpu.realtimeRuntime", err) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------- blkio */

static int device_lines(int fd, const char *file, const struct oci_throttle_device *d, size_t n,
			const char *field, rp_err_t *err)
{
	for (size_t i = 0; i < n; i++)
		if (rp_cg_writef(fd, file, err, "%" PRId64 ":%" PRId64 " %" PRIu64, d[i].major,
				 d[i].minor, d[i].rate) < 0)
			return rp_error_prefix(err, FIELD "blockIO.%s[%zu]", field, i);
	return 0;
}

int rp_cg_v1_blkio(int fd, const struct oci_blkio *b, rp_err_t *err)
{
	/* CFQ is gone: on current kernels the weights live in BFQ's files */
	bool bfq = !rp_cg_exists(fd, "blkio.weight") && rp_cg_exists(fd, "blkio.bfq.weight");
	const char *weight = bfq ? "blkio.bfq.weight" : "blkio.weight";
	const char *weight_dev = bfq ? "blkio.bfq.weight_device" : "blkio.weight_device";

	if (b->weight.set) {
		if (!rp_cg_exists(fd, weight))
			return rp_error(err, ENOTSUP, FIELD "blockIO.weight: no proportional I/O "
					"scheduler (BFQ) in this kernel");
		if (write_u64(fd, weight, b->weight.value, "blockIO.weight", err) < 0)
			return -1;
	}
	if (b->leaf_weight.set) {
		if (!rp_cg_exists(fd, "blkio.leaf_weight"))
			return rp_error(err, ENOTSUP, FIELD "blockIO.leafWeight: not supported by "
					"the kernel");
		if (write_u64(fd, "blkio.leaf_weight", b->leaf_weight.value, "blockIO.leafWeight",
			      err) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->n_weight_device; i++) {
		const struct oci_weight_device *d = &b->weight_device[i];

		if (d->weight.set &&
		    rp_cg_writef(fd, weight_dev, err, "%" PRId64 ":%" PRId64 " %u", d->major,
				 d->minor, d->weight.value) < 0)
			return rp_error_prefix(err, FIELD "blockIO.weightDevice[%zu]", i);
		if (d->leaf_weight.set &&
		    rp_cg_writef(fd, "blkio.leaf_weight_device", err, "%" PRId64 ":%" PRId64 " %u",
				 d->major, d->minor, d->leaf_weight.value) < 0)
			return rp_error_prefix(err, FIELD "blockIO.weightDevice[%zu].leafWeight", i);
	}
	if (device_lines(fd, "blkio.throttle.read_bps_device", b->throttle_read_bps,
			 b->n_throttle_read_bps, "throttleReadBpsDevice", err) < 0 ||
	    device_lines(fd, "blkio.throttle.write_bps_device", b->throttle_write_bps,
			 b->n_throttle_write_bps, "throttleWriteBpsDevice", err) < 0 ||
	    device_lines(fd, "blkio.throttle.read_iops_device", b->throttle_read_iops,
			 b->n_throttle_read_iops, "throttleReadIOPSDevice", err) < 0 ||
	    device_lines(fd, "blkio.throttle.write_iops_device", b->throttle_write_iops,
			 b->n_throttle_write_iops, "throttleWriteIOPSDevice", err) < 0)
		return -1;
	return 0;
}

/* ----------------------------------------------------------------- network */

int rp_cg_v1_network(const struct rp_cgroup *cg, const struct oci_network *n, rp_err_t *err)
{
	int fd;

	if (n->class_id.set) {
		if ((fd = rp_cg_v1_fd(cg, "net_cls")) < 0)
			return rp_error(err, ENOTSUP, FIELD "network.classID: the net_cls controller "
					"is not available on this host");
		if (write_u64(fd, "net_cls.classid", n->class_id.value, "network.classID", err) < 0)
			return -1;
	}
	if (!n->n_priorities)
		return 0;
	if ((fd = rp_cg_v1_fd(cg, "net_prio")) < 0)
		return rp_error(err, ENOTSUP, FIELD "network.priorities: the net_prio controller is "
				"not available on this host");
	for (size_t i = 0; i < n->n_priorities; i++) {
		const char *name = n->priorities[i].name;

		if (!name || !*name || strpbrk(name, " \n/"))
			return rp_error(err, EINVAL, FIELD "network.priorities[%zu].name: invalid "
					"interface name", i);
		if (rp_cg_writef(fd, "net_prio.ifpriomap", err, "%s %u", name,
				 n->priorities[i].priority) < 0)
			return rp_error_prefix(err, FIELD "network.priorities[%zu]", i);
	}
	return 0;
}

/* ----------------------------------------------------------------- devices */

/* One rule as written (rp_cg_v1_devices validated it). */
static int device_rule(int fd, const struct oci_device_cgroup *r, const char *what,
		       size_t i, rp_err_t *err)
{
	char maj[24] = "*", min[24] = "*";

	if (r->major.set && r->major.value >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, r->major.value);
	if (r->minor.set && r->minor.value >= 0)
		snprintf(min, sizeof(min), "%" PRId64, r->minor.value);
	if (rp_cg_writef(fd, r->allow ? "devices.allow" : "devices.deny", err, "%c %s:%s %s",
			 r->type ? r->type : 'a', maj, min, r->access ? r->access : "rwm") < 0)
		return rp_error_prefix(err, "%s[%zu]", what, i);
	return 0;
}

/* The v1 controller's state, modelled as the kernel keeps it: a default
 * (allow or deny everything) and exceptions keyed by type and major:minor
 * (-1 for "*"), each with an access mask.  Used by update to change only
 * the exceptions that differ: rewriting the list from "deny a" would deny
 * every device to the running container for a moment, on each update
 * (containerd's CRI sends the devices with every resource update). */
enum { ACC_R = 1, ACC_W = 2, ACC_M = 4 };

struct dev_exception {
	char type;
	int64_t major, minor;
	unsigned access;
};

struct dev_list {
	bool allow_all;
	struct dev_exception *e;
	size_t n, cap;
};

static void dev_list_free(struct dev_list *l)
{
	free(l->e);
}

static unsigned access_bits(const char *s)
{
	unsigned a = 0;

	for (; s && *s; s++)
		a |= *s == 'r' ? ACC_R : *s == 'w' ? ACC_W : *s == 'm' ? ACC_M : 0;
	return s ? a : ACC_R | ACC_W | ACC_M;
}

static struct dev_exception *dev_find(struct dev_list *l, char type, int64_t major, int64_t minor)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->e[i].type == type && l->e[i].major == major && l->e[i].minor == minor)
			return &l->e[i];
	return NULL;
}

/* One devices.allow or devices.deny write, as the kernel applies it to a
 * list whose default is deny (the only kind update edits in place). */
static void dev_apply(struct dev_list *l, bool allow, char type, int64_t major, int64_t minor, unsigned access)
{
	if (type == 'a') { /* a new default; the exceptions are dropped */
		l->allow_all = allow;
		l->n = 0;
		return;
	}
	if (l->allow_all) /* exceptions would be denials: not modelled, never diffed */
		return;
	struct dev_exception *x = dev_find(l, type, major, minor);
	if (allow) {
		if (x) {
			x->access |= access;
			return;
		}
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 16;
			l->e = rp_xrealloc(l->e, l->cap * sizeof(*l->e));
		}
		l->e[l->n++] = (struct dev_exception){ type, major, minor, access };
	} else if (x) {
		x->access &= ~access;
		if (!x->access)
			*x = l->e[--l->n];
	}
}

static void dev_apply_rule(struct dev_list *l, const struct oci_device_cgroup *r)
{
	dev_apply(l, r->allow, r->type ? r->type : 'a', r->major.set ? r->major.value : -1,
		  r->minor.set ? r->minor.value : -1, access_bits(r->access));
}

/* devices.list: "a *:* rwm" alone when the default is allow, else one
 * exception a line, "c 1:3 rwm". */
static int dev_list_read(int fd, struct dev_list *l)
{
	_cleanup_free_ char *buf = rp_xmalloc(65536);

	if (rp_cg_read(fd, "devices.list", buf, 65536) < 0)
		return -1;
	for (char *line = buf, *next; line && *line; line = next) {
		char type, maj[24], min[24], acc[8];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (sscanf(line, "%c %23[^:]:%23s %7s", &type, maj, min, acc) != 4)
			return -1;
		dev_apply(l, true, type, strcmp(maj, "*") ? strtoll(maj, NULL, 10) : -1,
			  strcmp(min, "*") ? strtoll(min, NULL, 10) : -1, access_bits(acc));
	}
	return 0;
}

static int dev_write(int fd, bool allow, const struct dev_exception *x, unsigned access, rp_err_t *err)
{
	char maj[24] = "*", min[24] = "*", acc[4];
	int n = 0;

	if (x->major >= 0)
		snprintf(maj, sizeof(maj), "%" PRId64, x->major);
	if (x->minor >= 0)
		snprintf(min, sizeof(min), "%" PRId64, x->minor);
	if (access & ACC_R)
		acc[n++] = 'r';
	if (access & ACC_W)
		acc[n++] = 'w';
	if (access & ACC_M)
		acc[n++] = 'm';
	acc[n] = '\0';
	return rp_cg_writef(fd, allow ? "devices.allow" : "devices.deny", err, "%c %s:%s %s", x->type, maj, min,
			    acc);
}

/* Move the live list to `want` one exception at a time: grants first, then
 * what is no longer wanted; an unchanged device is never touched. */
static int dev_list_converge(int fd, struct dev_list *have, struct dev_list *want, rp_err_t *err)
{
	for (size_t i = 0; i < want->n; i++) {
		struct dev_exception *w = &want->e[i];
		struct dev_exception *h = dev_find(have, w->type, w->major, w->minor);
		if ((w->access & ~(h ? h->access : 0)) && dev_write(fd, true, w, w->access, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < have->n; i++) {
		struct dev_exception *h = &have->e[i];
		struct dev_exception *w = dev_find(want, h->type, h->major, h->minor);
		unsigned drop = h->access & ~(w ? w->access : 0);
		if (drop && dev_write(fd, false, h, drop, err) < 0)
			return -1;
	}
	return 0;
}

int rp_cg_v1_devices(int fd, const struct oci_device_cgroup *rules, size_t n, bool update, rp_err_t *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct oci_device_cgroup *r = &rules[i];
		if (r->access && (!*r->access || strspn(r->access, "rwm") != strlen(r->access)))
			return rp_error(err, EINVAL, FIELD "devices[%zu].access: \"%s\" is not made of r, w and m",
					i, r->access);
		if (!strchr("acb", r->type ? r->type : 'a'))
			return rp_error(err, EINVAL, FIELD "devices[%zu].type: must be a, c or b", i);
	}
	if (update) {
		struct dev_list have = { 0 }, want = { 0 };
		int r = 1; /* 1: not diffable, rewrite */

		for (size_t i = 0; i < n; i++)
			dev_apply_rule(&want, &rules[i]);
		for (size_t i = 0; i < rp_cg_n_default_devices; i++)
			dev_apply_rule(&want, &rp_cg_default_devices[i]);
		if (!want.allow_all && dev_list_read(fd, &have) == 0 && !have.allow_all)
			r = dev_list_converge(fd, &have, &want, err);
		dev_list_free(&have);
		dev_list_free(&want);
		if (r <= 0)
			return r < 0 ? rp_error_prefix(err, FIELD "devices") : 0;
	}
	/* A new cgroup (or a switch between allow-all and a list): deny
	 * everything, then the rules in order: a later rule overrides an
	 * earlier one, which is the "last match wins" the eBPF filter keeps. */
	if (rp_cg_write(fd, "devices.deny", "a", err) < 0)
		return rp_error_prefix(err, FIELD "devices");
	for (size_t i = 0; i < n; i++)
		if (device_rule(fd, &rules[i], FIELD "devices", i, err) < 0)
			return -1;
	for (size_t i = 0; i < rp_cg_n_default_devices; i++)
		if (device_rule(fd, &rp_cg_default_devices[i], "default device rule", i, err) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------- stats */

void rp_cg_v1_stats_cpu(int cpu_fd, int cpuacct_fd, json_writer *w)
{
	uint64_t v;
	long hz = sysconf(_SC_CLK_TCK);

	json_w_object_begin(w);
	json_w_key(w, "usage");
	json_w_object_begin(w);
	if (cpuacct_fd >= 0) {
		char buf[4096];

		if (rp_cg_read_u64(cpuacct_fd, "cpuacct.usage", &v))
			json_w_kv_uint(w, "total", v);
		if (rp_cg_read(cpuacct_fd, "cpuacct.usage_percpu", buf, sizeof(buf)) == 0) {
			char *save = NULL;

			json_w_key(w, "percpu");
			json_w_array_begin(w);
			for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
				if (rp_parse_u64(t, &v))
					json_w_uint(w, v);
			json_w_array_end(w);
		}
		/* cpuacct.stat counts USER_HZ ticks */
		if (hz > 0 && rp_cg_read_key(cpuacct_fd, "cpuacct.stat", "system", &v))
			json_w_kv_uint(w, "kernel", v * (1000000000 / hz));
		if (hz > 0 && rp_cg_read_key(cpuacct_fd, "cpuacct.stat", "user", &v))
			json_w_kv_uint(w, "user", v * (1000000000 / hz));
	}
	json_w_object_end(w);
	json_w_key(w, "throttling");
	json_w_object_begin(w);
	if (rp_cg_read_key(cpu_fd, "cpu.stat", "nr_periods", &v))
		json_w_kv_uint(w, "periods", v);
	if (rp_cg_read_key(cpu_fd, "cpu.stat", "nr_throttled", &v))
		json_w_kv_uint(w, "throttledPeriods", v);
	if (rp_cg_read_key(cpu_fd, "cpu.stat", "throttled_time", &v))
		json_w_kv_uint(w, "throttledTime", v);
	json_w_object_end(w);
	json_w_object_end(w);
}

static void v1_memory_entry(int fd, json_writer *w, const char *key, const char *prefix)
{
	static const char *const names[][2] = {
		{ "limit", "limit_in_bytes" }, { "usage", "usage_in_bytes" },
		{ "max", "max_usage_in_bytes" }, { "failcnt", "failcnt" },
	};
	char file[96];
	uint64_t v;

	snprintf(file, sizeof(file), "%s.usage_in_bytes", prefix);
	if (!rp_cg_exists(fd, file))
		return;
	json_w_key(w, key);
	json_w_object_begin(w);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(file, sizeof(file), "%s.%s", prefix, names[i][1]);
		if (rp_cg_read_u64(fd, file, &v))
			json_w_kv_uint(w, names[i][0], v);
	}
	json_w_object_end(w);
}

void rp_cg_v1_stats_memory(int fd, json_writer *w)
{
	_cleanup_free_ char *buf = rp_xmalloc(65536);
	uint64_t v;

	json_w_object_begin(w);
	if (rp_cg_read_key(fd, "memory.stat", "total_cache", &v) ||
	    rp_cg_read_key(fd, "memory.stat", "cache", &v))
		json_w_kv_uint(w, "cache", v);
	v1_memory_entry(fd, w, "usage", "memory");
	v1_memory_entry(fd, w, "swap", "memory.memsw");
	v1_memory_entry(fd, w, "kernel", "memory.kmem");
	v1_memory_entry(fd, w, "kernelTCP", "memory.kmem.tcp");
	json_w_key(w, "raw");
	json_w_object_begin(w);
	if (rp_cg_read(fd, "memory.stat", buf, 65536) == 0) {
		char *save = NULL;

		for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');

			if (sp && (*sp++ = '\0', rp_parse_u64(sp, &v)))
				json_w_kv_uint(w, line, v);
		}
	}
	json_w_object_end(w);
	json_w_object_end(w);
}

/* "8:0 Read 4096" lines; the trailing "Total N" line is the sum, skipped. */
static void blkio_list(int fd, const char *file, json_writer *w)
{
	_cleanup_free_ char *buf = rp_xmalloc(65536);
	char *save = NULL;

	json_w_array_begin(w);
	if (rp_cg_read(fd, file, buf, 65536) == 0) {
		for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			unsigned maj, min;
			char op[16];
			uint64_t v;

			if (sscanf(line, "%u:%u %15s %" SCNu64, &maj, &min, op, &v) != 4)
				continue;
			json_w_object_begin(w);
			json_w_kv_uint(w, "major", maj);
			json_w_kv_uint(w, "minor", min);
			json_w_kv_string(w, "op", op);
			json_w_kv_uint(w, "value", v);
			json_w_object_end(w);
		}
	}
	json_w_array_end(w);
}

void rp_cg_v1_stats_blkio(int fd, json_writer *w)
{
	json_w_object_begin(w);
	json_w_key(w, "ioServiceBytesRecursive");
	blkio_list(fd, "blkio.throttle.io_service_bytes_recursive", w);
	json_w_key(w, "ioServicedRecursive");
	blkio_list(fd, "blkio.throttle.io_serviced_recursive", w);
	json_w_object_end(w);
}
