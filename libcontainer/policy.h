/* rampart: the hardening policy.  A table of rules (libcontainer/policy.c),
 * each with an id, a reason, a check, a fix hint and the Kubernetes Pod
 * Security Standards control it matches.  `create`, `run`, `exec` and
 * `audit` all call rp_policy_evaluate(): there is one code path, so the
 * audit's verdict is exactly what create would do.
 *
 * The operator's policy (default /etc/rampart/policy.json; --policy or
 * RAMPART_POLICY pick a file or a preset name, "hardened" or "compat") sets
 * each rule's mode and which rules a container may waive for itself through
 * the annotation rampart.allow=rule,rule. */
#ifndef RAMPART_POLICY_H
#define RAMPART_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "json.h"
#include "oci-config.h"

#define RP_POLICY_DEFAULT_PATH "/etc/rampart/policy.json"
#define RP_POLICY_ANNOTATION "rampart.allow"

enum rp_rule_mode { RP_MODE_OFF, RP_MODE_WARN, RP_MODE_ENFORCE };

struct rp_policy; /* opaque */

/* name: NULL (RAMPART_POLICY, then /etc/rampart/policy.json when it exists,
 * else the "hardened" preset), a preset name, or a file path. */
int rp_policy_load(const char *name, struct rp_policy **out, rp_err_t *err);
void rp_policy_free(struct rp_policy *p);
const char *rp_policy_source(const struct rp_policy *p); /* "hardened", a path, ... */

enum rp_finding_outcome {
	RP_FINDING_REFUSED,   /* enforce, not waived: create fails */
	RP_FINDING_WARNED,    /* warn mode: logged, runs */
	RP_FINDING_WAIVED,    /* enforce, waived by a permitted annotation: logged, runs */
	RP_FINDING_FIXED,     /* enforce, and the runtime applied the fix (e.g. default seccomp) */
};

struct rp_finding {
	const char *rule_id;       /* "root-user" */
	const char *reason;        /* "process runs as host root" */
	char *detail;              /* "(uid 0, no user namespace)" */
	char *field;               /* JSON path: "process.user.uid" */
	const char *fix;           /* the rule's fix hint (may point at fix_buf) */
	char *fix_buf;             /* owned: the hint when it names the policy source */
	const char *pss_control;   /* "Running as Non-root" */
	enum rp_finding_outcome outcome;
};

struct rp_verdict {
	struct rp_finding *findings; size_t n_findings;
	bool refused;              /* any finding REFUSED (also a waiver the policy does not permit) */
	char *policy_source;       /* owned copy of rp_policy_source() at evaluation */
};

enum rp_policy_subject { RP_POLICY_CREATE, RP_POLICY_EXEC };

/* Evaluate cfg (for exec: cfg is the container's config with process
 * replaced by the exec'd process).  When apply is true the fixes the policy
 * enforces are made on cfg (default seccomp profile injected, masked and
 * readonly paths restored); audit passes false and reports them as FIXED. */
int rp_policy_evaluate(const struct rp_policy *p, struct oci_config *cfg, enum rp_policy_subject subject,
		       bool apply, struct rp_verdict *v, rp_err_t *err);
void rp_verdict_clear(struct rp_verdict *v);

/* The one-line refusal for the first refused finding:
 * "refusing 'web': process runs as host root (uid 0, no user namespace) [root-user]; <fix>" */
char *rp_verdict_refusal_line(const struct rp_verdict *v, const char *id);
/* Log every warned and waived finding with the container id. */
void rp_verdict_log(const struct rp_verdict *v, const char *id);

/* Print the verdict as `rampart audit` does; format is "text", "json" or
 * "sarif" (NULL: text).  input_path names the config in the output (SARIF
 * artifact uri).  create/run --dry-run call this too, so both print the
 * same report. */
int rp_verdict_print(FILE *out, const struct rp_verdict *v, const char *format, const char *id,
		     const char *input_path, rp_err_t *err);

#endif
