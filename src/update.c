/* rampart update: change a running container's resources.
 *   update --resources FILE|- ID     a LinuxResources JSON document
 *   update --memory 256m ... ID      runc's flags (sizes take k/m/g/t
 *                                    suffixes, powers of 1024)
 * Flags override the same fields of the document when both are given.
 * intelRdt (--l3-cache-schema, --mem-bw-schema) is not supported. */
#include "config-host.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "oci-config.h"
#include "state.h"
#include "utils.h"

struct flags {
	const char *resources;
	const char *memory, *memory_swap, *memory_reservation, *kernel_memory, *kernel_memory_tcp;
	const char *cpu_quota, *cpu_period, *cpu_share, *cpu_burst, *cpu_rt_period,
		*cpu_rt_runtime, *cpuset_cpus, *cpuset_mems;
	const char *pids_limit, *blkio_weight, *l3_cache_schema, *mem_bw_schema;
};

/* "1024", "64m", "1.5g" are not all equal: integers with an optional
 * k/m/g/t (and optional trailing b) suffix, and -1 for unlimited. */
static int parse_size(const char *flag, const char *s, int64_t *out, rp_err_t *err)
{
	_cleanup_free_ char *num = rp_xstrdup(s);
	size_t len = strlen(num);
	int shift = 0;

	if (len && tolower((unsigned char)num[len - 1]) == 'b')
		num[--len] = '\0';
	if (len && strchr("kmgt", tolower((unsigned char)num[len - 1]))) {
		shift = 10 * (int)(strchr("kmgt", tolower((unsigned char)num[len - 1])) - "kmgt" + 1);
		num[--len] = '\0';
	}
	if (!rp_parse_i64(num, out) || *out < -1 || (*out == -1 && shift) ||
	    (*out > 0 && shift && *out > (INT64_MAX >> shift)))
		return rp_error(err, EINVAL, "update: --%s: invalid size \"%s\"", flag, s);
	*out <<= shift;
	return 0;
}

static int parse_int(const char *flag, const char *s, int64_t *out, rp_err_t *err)
{
	if (!rp_parse_i64(s, out))
		return rp_error(err, EINVAL, "update: --%s: invalid number \"%s\"", flag, s);
	return 0;
}

static int parse_uint(const char *flag, const char *s, uint64_t *out, rp_err_t *err)
{
	if (!rp_parse_u64(s, out))
		return rp_error(err, EINVAL, "update: --%s: invalid number \"%s\"", flag, s);
	return 0;
}

static struct oci_resources *load_resources(const char *path, rp_err_t *err)
{
	_cleanup_free_ char *buf = NULL;
	struct oci_resources *r;
	size_t len;

	int rc = strcmp(path, "-") == 0
			 ? rp_read_fd(STDIN_FILENO, &buf, &len, JSON_MAX_DOCUMENT, err)
			 : rp_read_file(path, &buf, &len, JSON_MAX_DOCUMENT, err);

	if (rc < 0)
		return NULL;
	r = oci_resources_parse(buf, len, err);
	if (!r)
		rp_error_prefix(err, "update: --resources %s", path);
	return r;
}

static int apply_flags(const struct flags *f, struct oci_resources *r, rp_err_t *err)
{
#define SIZE(name, str, field) \
	if (str) { if (parse_size(name, str, &field.value, err) < 0) return -1; field.set = true; }
#define INT(name, str, field) \
	if (str) { if (parse_int(name, str, &field.value, err) < 0) return -1; field.set = true; }
#define UINT(name, str, field) \
	if (str) { if (parse_uint(name, str, &field.value, err) < 0) return -1; field.set = true; }

	if (f->l3_cache_schema || f->mem_bw_schema)
		return rp_error(err, ENOTSUP, "update: --%s: intelRdt is not supported by rampart",
				f->l3_cache_schema ? "l3-cache-schema" : "mem-bw-schema");
	if (f->memory || f->memory_swap || f->memory_reservation || f->kernel_memory ||
	    f->kernel_memory_tcp) {
		struct oci_memory *m = r->memory ? r->memory : (r->memory = rp_xcalloc(1, sizeof(*m)));

		SIZE("memory", f->memory, m->limit);
		SIZE("memory-swap", f->memory_swap, m->swap);
		SIZE("memory-reservation", f->memory_reservation, m->reservation);
		SIZE("kernel-memory", f->kernel_memory, m->kernel);
		SIZE("kernel-memory-tcp", f->kernel_memory_tcp, m->kernel_tcp);
	}
	if (f->cpu_quota || f->cpu_period || f->cpu_share || f->cpu_burst || f->cpu_rt_period ||
	    f->cpu_rt_runtime || f->cpuset_cpus || f->cpuset_mems) {
		struct oci_cpu *c = r->cpu ? r->cpu : (r->cpu = rp_xcalloc(1, sizeof(*c)));

		INT("cpu-quota", f->cpu_quota, c->quota);
		UINT("cpu-period", f->cpu_period, c->period);
		UINT("cpu-share", f->cpu_share, c->shares);
		UINT("cpu-burst", f->cpu_burst, c->burst);
		UINT("cpu-rt-period", f->cpu_rt_period, c->realtime_period);
		INT("cpu-rt-runtime", f->cpu_rt_runtime, c->realtime_runtime);
		if (f->cpuset_cpus) {
			free(c->cpus);
			c->cpus = rp_xstrdup(f->cpuset_cpus);
		}
		if (f->cpuset_mems) {
			free(c->mems);
			c->mems = rp_xstrdup(f->cpuset_mems);
		}
	}
	if (f->pids_limit) {
		if (!r->pids)
			r->pids = rp_xcalloc(1, sizeof(*r->pids));
		if (parse_int("pids-limit", f->pids_limit, &r->pids->limit, err) < 0)
			return -1;
	}
	if (f->blkio_weight) {
		uint64_t w;

		if (parse_uint("blkio-weight", f->blkio_weight, &w, err) < 0)
			return -1;
		if (w < 10 || w > 1000)
			return rp_error(err, EINVAL, "update: --blkio-weight: %s is not in 10..1000",
					f->blkio_weight);
		if (!r->block_io)
			r->block_io = rp_xcalloc(1, sizeof(*r->block_io));
		r->block_io->weight.set = true;
		r->block_io->weight.value = (uint32_t)w;
	}
	return 0;
#undef SIZE
#undef INT
#undef UINT
}

int cmd_update(struct rp_globals *g, int argc, char **argv)
{
	struct flags f = { 0 };
	const struct cli_option opts[] = {
		{ "resources", 'r', CLI_STRING, &f.resources, "LinuxResources JSON file, - for stdin", "FILE" },
		{ "memory", 0, CLI_STRING, &f.memory, "memory limit (bytes, or 64m, 1g)", "SIZE" },
		{ "memory-swap", 0, CLI_STRING, &f.memory_swap, "memory+swap limit, -1 unlimited", "SIZE" },
		{ "memory-reservation", 0, CLI_STRING, &f.memory_reservation, "memory soft limit", "SIZE" },
		{ "kernel-memory", 0, CLI_STRING, &f.kernel_memory, "ignored: not supported by the kernel", "SIZE" },
		{ "kernel-memory-tcp", 0, CLI_STRING, &f.kernel_memory_tcp, "kernel TCP buffer limit", "SIZE" },
		{ "cpu-quota", 0, CLI_STRING, &f.cpu_quota, "CPU time per period (microseconds)", "N" },
		{ "cpu-period", 0, CLI_STRING, &f.cpu_period, "CFS period (microseconds)", "N" },
		{ "cpu-share", 0, CLI_STRING, &f.cpu_share, "relative CPU shares", "N" },
		{ "cpu-burst", 0, CLI_STRING, &f.cpu_burst, "CFS burst (microseconds)", "N" },
		{ "cpu-rt-period", 0, CLI_STRING, &f.cpu_rt_period, "realtime period (microseconds)", "N" },
		{ "cpu-rt-runtime", 0, CLI_STRING, &f.cpu_rt_runtime, "realtime runtime (microseconds)", "N" },
		{ "cpuset-cpus", 0, CLI_STRING, &f.cpuset_cpus, "CPUs to run on (0-3,7)", "LIST" },
		{ "cpuset-mems", 0, CLI_STRING, &f.cpuset_mems, "memory nodes (0-1)", "LIST" },
		{ "pids-limit", 0, CLI_STRING, &f.pids_limit, "maximum number of tasks, -1 unlimited", "N" },
		{ "blkio-weight", 0, CLI_STRING, &f.blkio_weight, "block IO weight (10..1000)", "N" },
		{ "l3-cache-schema", 0, CLI_STRING, &f.l3_cache_schema, "intelRdt: not supported", "S" },
		{ "mem-bw-schema", 0, CLI_STRING, &f.mem_bw_schema, "intelRdt: not supported", "S" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	_cleanup_close_ int lock = -1;
	struct oci_resources *res = NULL;
	struct rp_state st = { 0 };
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;
	int npos = 0, r = 1;

	if (cli_parse(argc, argv, opts, "update [--resources FILE|-] [OPTIONS] CONTAINER_ID",
		      "Update the resource limits of a running container.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "update: expected one container id, got %d arguments", npos);
		return cli_fail(&err);
	}
	res = f.resources ? load_resources(f.resources, &err) : rp_xcalloc(1, sizeof(*res));
	if (!res || apply_flags(&f, res, &err) < 0)
		goto out;
	if (rp_validate_id(pos[0], &err) < 0 || (lock = rp_state_lock(g->root, pos[0], &err)) < 0 ||
	    rp_cgroup_open_container(g->root, pos[0], &st, &cg, &err) < 0)
		goto out;
	if (st.status == RP_STOPPED) {
		/* the words callers match (client-contract.md) */
		rp_error(&err, 0, "update: container not running (\"%s\" has stopped)", st.id);
		goto out;
	}
	if (rp_cgroup_update(cg, res, &err) < 0)
		goto out;
	r = 0;
out:
	oci_resources_free(res);
	rp_cgroup_free(cg);
	rp_state_clear(&st);
	return r ? cli_fail(&err) : 0;
}
