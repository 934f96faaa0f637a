/* rampart: the cgroup2 device filter, an eBPF BPF_PROG_TYPE_CGROUP_DEVICE
 * program assembled here from the device rules (no libbpf: a few dozen
 * instructions do not need it).
 *
 * The kernel calls the program with a struct bpf_cgroup_dev_ctx for every
 * open/mknod of a device node; it returns 1 to allow and 0 to deny.  The spec
 * applies rules in order, so a later rule overrides an earlier one: the
 * program tests the rules from the LAST to the first and the first match
 * decides.  No match: deny.
 *
 * Which devices a container gets: the ones the spec says the runtime MUST
 * supply (/dev/null, zero, full, random, urandom, tty, ptmx and the
 * container's pts), and mknod of character and block nodes (creating a node
 * grants nothing: opening it is checked).  They are appended AFTER the
 * config's rules: configs conventionally start with a deny-all entry, and
 * the spec requires these devices to work in every container. */
#include "config-host.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "cgroup-internal.h"
#include "cleanup.h"
#include "log.h"
#include "utils.h"

#define DEV(t, maj, min, acc) \
	{ .allow = true, .type = (t), .major = { (maj) >= 0, (maj) }, \
	  .minor = { (min) >= 0, (min) }, .access = (char *)(acc) }

const struct oci_device_cgroup rp_cg_default_devices[] = {
	DEV('c', -1, -1, "m"),
	DEV('b', -1, -1, "m"),
	DEV('c', 1, 3, "rwm"),   /* null */
	DEV('c', 1, 5, "rwm"),   /* zero */
	DEV('c', 1, 7, "rwm"),   /* full */
	DEV('c', 1, 8, "rwm"),   /* random */
	DEV('c', 1, 9, "rwm"),   /* urandom */
	DEV('c', 5, 0, "rwm"),   /* tty */
	DEV('c', 5, 2, "rwm"),   /* ptmx */
	DEV('c', 136, -1, "rwm"),/* pts/N */
};
const size_t rp_cg_n_default_devices = ARRAY_SIZE(rp_cg_default_devices);

/* ------------------------------------------------------------ the assembler */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
						 .off = (o), .imm = (i) })
#define LDX_W(dst, src, off)  INSN(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0)
#define ALU32_IMM(op, dst, i) INSN(BPF_ALU | (op) | BPF_K, dst, 0, 0, i)
#define MOV32_REG(dst, src)   INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_IMM(dst, i)     INSN(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, i)
#define JNE_IMM(dst, i, off)  INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, i)
#define JNE_REG(dst, src, off) INSN(BPF_JMP | BPF_JNE | BPF_X, dst, src, off, 0)
#define EXIT()                INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* Registers after the prologue. */
enum { R_CTX = 1, R_TYPE = 2, R_ACCESS = 3, R_MAJOR = 4, R_MINOR = 5 };
#define NEXT_RULE 0x7fff /* placeholder offset, patched once the block is known */

struct prog {
	struct bpf_insn *insns;
	size_t n;
};

static void emit(struct prog *p, struct bpf_insn insn)
{
	p->insns = rp_xrealloc(p->insns, (p->n + 1) * sizeof(*p->insns));
	p->insns[p->n++] = insn;
}

static int rule_access(const struct oci_device_cgroup *r, uint32_t *out)
{
	const char *a = r->access ? r->access : "rwm";

	*out = 0;
	if (!*a)
		return -1;
	for (; *a; a++) {
		if (*a == 'r')
			*out |= BPF_DEVCG_ACC_READ;
		else if (*a == 'w')
			*out |= BPF_DEVCG_ACC_WRITE;
		else if (*a == 'm')
			*out |= BPF_DEVCG_ACC_MKNOD;
		else
			return -1;
	}
	return 0;
}

/* One rule: tests that jump past the block on mismatch, then the verdict.
 * Returns 1 when the block matches everything (nothing before it can run). */
static int emit_rule(struct prog *p, const struct oci_device_cgroup *r, const char *what,
		     size_t idx, rp_err_t *err)
{
	const uint32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
	size_t start = p->n;
	uint32_t access;
	char type = r->type ? r->type : 'a';

	if (rule_access(r, &access) < 0)
		return rp_error(err, EINVAL, "%s[%zu].access: \"%s\" is not made of r, w and m",
				what, idx, r->access);
	if (type == 'b' || type == 'c')
		emit(p, JNE_IMM(R_TYPE, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR,
				NEXT_RULE));
	else if (type != 'a')
		return rp_error(err, EINVAL, "%s[%zu].type: must be a, c or b", what, idx);
	if (access != all) {
		/* matches when every requested access is in the rule's set */
		emit(p, MOV32_REG(R_CTX, R_ACCESS));
		emit(p, ALU32_IMM(BPF_AND, R_CTX, (int32_t)access));
		emit(p, JNE_REG(R_CTX, R_ACCESS, NEXT_RULE));
	}
	if (r->major.set && r->major.value >= 0) {
		if (r->major.value > INT32_MAX)
			return rp_error(err, ERANGE, "%s[%zu].major: out of range", what, idx);
		emit(p, JNE_IMM(R_MAJOR, (int32_t)r->major.value, NEXT_RULE));
	}
	if (r->minor.set && r->minor.value >= 0) {
		if (r->minor.value > INT32_MAX)
			return rp_error(err, ERANGE, "%s[%zu].minor: out of range", what, idx);
		emit(p, JNE_IMM(R_MINOR, (int32_t)r->minor.value, NEXT_RULE));
	}
	emit(p, MOV64_IMM(0, r->allow ? 1 : 0));
	emit(p, EXIT());
	for (size_t i = start; i < p->n; i++)
		if (p->insns[i].off == NEXT_RULE)
			p->insns[i].off = (int16_t)(p->n - i - 1);
	return p->n - start == 2; /* only the verdict: unconditional */
}

static int build(struct prog *p, const struct oci_device_cgroup *rules, size_t n, rp_err_t *err)
{
	int r = 0;

	emit(p, LDX_W(R_TYPE, R_CTX, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(p, ALU32_IMM(BPF_AND, R_TYPE, 0xffff));
	emit(p, LDX_W(R_ACCESS, R_CTX, offsetof(struct bpf_cgroup_dev_ctx, access_type)));
	emit(p, ALU32_IMM(BPF_RSH, R_ACCESS, 16));
	emit(p, LDX_W(R_MAJOR, R_CTX, offsetof(struct bpf_cgroup_dev_ctx, major)));
	emit(p, LDX_W(R_MINOR, R_CTX, offsetof(struct bpf_cgroup_dev_ctx, minor)));
	/* the defaults (which follow the config's rules), last first, then the
	 * config's rules, last first; the verifier refuses unreachable code, so
	 * stop after a catch-all */
	for (size_t i = rp_cg_n_default_devices; i-- > 0 && r == 0;)
		r = emit_rule(p, &rp_cg_default_devices[i], "default device rule", i, err);
	for (size_t i = n; i-- > 0 && r == 0;)
		r = emit_rule(p, &rules[i], "linux.resources.devices", i, err);
	if (r < 0)
		return -1;
	if (r == 0) {
		emit(p, MOV64_IMM(0, 0));
		emit(p, EXIT());
	}
	return 0;
}

/* ------------------------------------------------------------------ bpf(2) */

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int load(const struct prog *p, rp_err_t *err)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uintptr_t)p->insns;
	attr.insn_cnt = (uint32_t)p->n;
	attr.license = (uintptr_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	if (rp_log_debug_enabled()) {
		_cleanup_free_ char *log = rp_xcalloc(1, 65536);
		int saved = errno;

		attr.log_buf = (uintptr_t)log;
		attr.log_size = 65536;
		attr.log_level = 1;
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
		if (fd >= 0)
			close(fd);
		rp_debug("device filter verifier log:\n%s", log);
		errno = saved;
	}
	return rp_error(err, errno, "load the eBPF device filter (%zu instructions)", p->n);
}

/* Ids of the device programs attached to the cgroup itself. */
static int query(int dirfd, uint32_t *ids, uint32_t *n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)dirfd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uintptr_t)ids;
	attr.query.prog_cnt = *n;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
		return -1;
	*n = attr.query.prog_cnt;
	return 0;
}

static void detach_id(int dirfd, uint32_t id)
{
	union bpf_attr attr;
	_cleanup_close_ int fd = -1;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (fd < 0) {
		rp_warn("device filter: cannot open the old program %u: %m", id);
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (sys_bpf(BPF_PROG_DETACH, &attr) < 0)
		rp_warn("device filter: cannot detach the old program %u: %m", id);
}

int rp_bpf_devices_apply(int dirfd, const struct oci_device_cgroup *rules, size_t n,
			 rp_err_t *err)
{
	_cleanup_free_ struct bpf_insn *insns = NULL;
	_cleanup_close_ int prog = -1;
	struct prog p = { NULL, 0 };
	uint32_t old[64], n_old = ARRAY_SIZE(old);
	union bpf_attr attr;
	int r;

	r = build(&p, rules, n, err);
	insns = p.insns;
	if (r < 0)
		return -1;
	if ((prog = load(&p, err)) < 0)
		return -1;
	/* the programs there before (an update) go once the new one is in:
	 * the cgroup is never without a filter */
	if (query(dirfd, old, &n_old) < 0)
		n_old = 0;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)dirfd;
	attr.attach_bpf_fd = (uint32_t)prog;
	attr.attach_type = BPF_CGROUP_DEVICE;
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
		return rp_error(err, errno, "attach the eBPF device filter");
	for (uint32_t i = 0; i < n_old && i < ARRAY_SIZE(old); i++)
		detach_id(dirfd, old[i]);
	rp_debug("device filter: %zu instructions for %zu rules (+%zu defaults)", p.n, n,
		 rp_cg_n_default_devices);
	return 0;
}
