/* rampart: capabilities, through libcap.
 *
 * Two steps, because the uid switch sits between them: the bounding set is
 * dropped while the process is still privileged, and the other sets are
 * written after setuid (PR_SET_KEEPCAPS kept the permitted set across it).
 *
 * The spec asks runtimes to warn, not fail, about capabilities that cannot
 * be granted (unknown to this kernel, or outside what the runtime itself
 * holds), so each set is first cut down to what can be granted, with a
 * warning naming what was left out. */
#include "config-host.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "caps.h"
#include "cleanup.h"
#include "log.h"
#include "oci-config.h"

#define BIT(c) (UINT64_C(1) << (c))

static void rp_cap_freep(cap_t *c)
{
	if (*c)
		cap_free(*c);
}
#define _cleanup_cap_ __attribute__((cleanup(rp_cap_freep)))

/* The highest capability number the running kernel knows (40 on 6.x). */
int rp_caps_last_cap(void)
{
	static int last = -1;
	_cleanup_fclose_ FILE *f = NULL;
	int v;

	if (last >= 0)
		return last;
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f && fscanf(f, "%d", &v) == 1 && v >= 0 && v <= OCI_CAP_LAST)
		last = v;
	else
		last = (int) cap_max_bits() - 1; /* libcap probes the kernel itself */
	return last;
}

static uint64_t kernel_mask(void)
{
	int last = rp_caps_last_cap();

	return last >= 63 ? UINT64_MAX : BIT(last + 1) - 1;
}

/* "CAP_KILL", or "capability 62" for a number without a name. */
static const char *cap_label(int c, char buf[32])
{
	const char *name = oci_cap_name(c);

	if (name)
		return name;
	snprintf(buf, 32, "capability %d", c);
	return buf;
}

static void warn_dropped(const char *set, uint64_t dropped, const char *why)
{
	char buf[32];

	for (int c = 0; c <= OCI_CAP_LAST; c++)
		if (dropped & BIT(c))
			rp_warn("process.capabilities.%s: %s %s; not granted", set, cap_label(c, buf), why);
}

/* What of `want` this kernel knows; warns about the rest. */
static uint64_t known_caps(const char *set, uint64_t want)
{
	uint64_t known = want & kernel_mask();

	warn_dropped(set, want & ~known, "is not known to this kernel");
	return known;
}

/* A set as a mask; an absent capabilities object or set is empty. */
#define CONFIG_SET(caps, name) ((caps) && (caps)->name.set ? (caps)->name.mask : 0)

int rp_caps_apply_bounding(const struct oci_capabilities *caps, rp_err_t *err)
{
	uint64_t keep = known_caps("bounding", CONFIG_SET(caps, bounding));
	int last = rp_caps_last_cap();
	char buf[32];

	for (int c = 0; c <= last; c++) {
		int in_bset = prctl(PR_CAPBSET_READ, c, 0, 0, 0);

		if (in_bset < 0)
			return rp_error(err, errno, "read the bounding set (%s)", cap_label(c, buf));
		if (keep & BIT(c)) {
			/* Asked for, but the runtime itself does not have it. */
			if (!in_bset)
				warn_dropped("bounding", BIT(c), "is not in the runtime's own bounding set");
			continue;
		}
		if (in_bset && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
			return rp_error(err, errno, "drop %s from the bounding set", cap_label(c, buf));
	}
	return 0;
}

static uint64_t proc_set(cap_t cur, cap_flag_t flag)
{
	uint64_t mask = 0;
	int last = rp_caps_last_cap();

	for (int c = 0; c <= last; c++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(cur, (cap_value_t) c, flag, &v) == 0 && v == CAP_SET)
			mask |= BIT(c);
	}
	return mask;
}

static int fill_flag(cap_t c, cap_flag_t flag, uint64_t mask, rp_err_t *err)
{
	int last = rp_caps_last_cap();

	for (int v = 0; v <= last; v++) {
		cap_value_t one = (cap_value_t) v;

		if ((mask & BIT(v)) && cap_set_flag(c, flag, 1, &one, CAP_SET) < 0)
			return rp_error(err, errno, "cap_set_flag %d", v);
	}
	return 0;
}

/* Cut each requested set down to what the kernel lets this process grant
 * (capabilities(7), "Programmatically adjusting capability sets"). */
static void grantable(const struct oci_capabilities *caps, uint64_t *eff, uint64_t *prm,
		      uint64_t *inh, uint64_t *amb, cap_t cur)
{
	uint64_t cur_prm = proc_set(cur, CAP_PERMITTED);
	uint64_t cur_inh = proc_set(cur, CAP_INHERITABLE);
	uint64_t cur_eff = proc_set(cur, CAP_EFFECTIVE);
	uint64_t inh_limit;

	*prm = known_caps("permitted", CONFIG_SET(caps, permitted));
	*eff = known_caps("effective", CONFIG_SET(caps, effective));
	*inh = known_caps("inheritable", CONFIG_SET(caps, inheritable));
	*amb = known_caps("ambient", CONFIG_SET(caps, ambient));

	/* Permitted can only shrink. */
	warn_dropped("permitted", *prm & ~cur_prm, "is not held by the runtime");
	*prm &= cur_prm;
	/* Effective must be a subset of permitted. */
	warn_dropped("effective", *eff & ~*prm, "is not in the permitted set");
	*eff &= *prm;
	/* New inheritable bits must come from the permitted set, or from the
	 * bounding set when CAP_SETPCAP is effective. */
	inh_limit = cur_inh | cur_prm;
	if (cur_eff & BIT(CAP_SETPCAP)) {
		for (int c = 0; c <= rp_caps_last_cap(); c++)
			if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1)
				inh_limit |= BIT(c);
	}
	warn_dropped("inheritable", *inh & ~inh_limit, "cannot be made inheritable by the runtime");
	*inh &= inh_limit;
	/* An ambient capability must be both permitted and inheritable. */
	warn_dropped("ambient", *amb & ~(*prm & *inh), "is not both permitted and inheritable");
	*amb &= *prm & *inh;
}

int rp_caps_apply_final(const struct oci_capabilities *caps, rp_err_t *err)
{
	_cleanup_cap_ cap_t cur = cap_get_proc();
	_cleanup_cap_ cap_t next = cap_init();
	uint64_t eff, prm, inh, amb;

	if (cur == NULL || next == NULL)
		return rp_error(err, errno, "read the process capabilities");
	grantable(caps, &eff, &prm, &inh, &amb, cur);

	/* cap_init() starts with all three sets empty: inheritable holds only
	 * what the config names (CVE-2022-29162: a runtime that filled it let
	 * file capabilities of any binary in the image become real). */
	if (fill_flag(next, CAP_PERMITTED, prm, err) < 0 ||
	    fill_flag(next, CAP_EFFECTIVE, eff, err) < 0 ||
	    fill_flag(next, CAP_INHERITABLE, inh, err) < 0)
		return -1;
	if (cap_set_proc(next) < 0)
		return rp_error(err, errno, "set the process capabilities");

	/* Ambient: start empty whatever was inherited, then raise exactly the
	 * configured ones. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		if (errno != EINVAL || amb != 0)
			return rp_error(err, errno, "clear the ambient capability set");
		/* EINVAL: a kernel without ambient capabilities has none to clear. */
	}
	for (int c = 0; c <= rp_caps_last_cap(); c++) {
		char buf[32];

		if ((amb & BIT(c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			rp_warn("process.capabilities.ambient: cannot raise %s: %s; not granted",
				cap_label(c, buf), strerror(errno));
	}
	return 0;
}
