/* rampart audit: evaluate a bundle's config.json against the policy with
 * exactly the code create uses (rp_policy_evaluate, apply=false) and print
 * the verdict.  Nothing is created.
 *
 * Exit status: 0 the container would run (warnings allowed), 1 it would be
 * refused, 2 the input is unusable (no file, bad JSON, a config error, a
 * bad policy, a bad option). */
#include "config-host.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "cli.h"
#include "log.h"
#include "policy.h"
#include "utils.h"

#define AUDIT_UNUSABLE 2

/* The container id to report when --id is absent: the bundle directory's
 * name, as engines usually name bundles after their containers. */
static char *default_id(const char *config_path)
{
	_cleanup_free_ char *real = realpath(config_path, NULL);
	if (!real)
		return rp_xstrdup("container");
	char *dir = dirname(real);
	const char *base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	return rp_xstrdup(*base ? base : "container");
}

static void policy_freep(struct rp_policy **p) { rp_policy_free(*p); }
static void config_freep(struct oci_config **c) { if (*c) oci_config_free(*c); }
static void verdict_clearp(struct rp_verdict *v) { rp_verdict_clear(v); }

static int unusable(rp_err_t *err)
{
	rp_error_prefix(err, "audit");
	cli_fail(err);
	return AUDIT_UNUSABLE;
}

int cmd_audit(struct rp_globals *g, int argc, char **argv)
{
	const char *bundle = NULL, *format = "text", *policy = NULL, *id = NULL;
	const struct cli_option opts[] = {
		{ "bundle", 'b', CLI_STRING, &bundle, "bundle directory holding config.json", "DIR" },
		{ "format", 'f', CLI_STRING, &format, "output format: text, json or sarif (default text)", "FORMAT" },
		{ "policy", 0, CLI_STRING, &policy, "policy file or preset (hardened, compat)", "POLICY" },
		{ "id", 0, CLI_STRING, &id, "container id to report (default: the bundle directory's name)", "NAME" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ char *path = NULL, *id_buf = NULL;
	__attribute__((cleanup(policy_freep))) struct rp_policy *p = NULL;
	__attribute__((cleanup(config_freep))) struct oci_config *cfg = NULL;
	__attribute__((cleanup(verdict_clearp))) struct rp_verdict v = { 0 };
	rp_err_t err = NULL;
	int npos;

	if (cli_parse(argc, argv, opts, "audit [--bundle DIR | FILE] [--format text|json|sarif] [--policy P] [--id NAME]",
		      "Evaluate a bundle's config.json against the hardening policy exactly as create\n"
		      "would, and print the verdict.  Nothing is created.  Exit status: 0 it would run,\n"
		      "1 it would be refused, 2 the input is unusable.  See rampart-policy(5).",
		      &pos, &npos, &err) < 0)
		return unusable(&err);
	if (npos > 1 || (npos == 1 && bundle)) {
		rp_error(&err, 0, "expected one bundle directory or config file, got '%s'", pos[npos - 1]);
		return unusable(&err);
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif")) {
		rp_error(&err, 0, "--format: expected text, json or sarif, got '%s'", format);
		return unusable(&err);
	}

	struct stat st;
	if (npos == 1 && !(stat(pos[0], &st) == 0 && S_ISDIR(st.st_mode)))
		path = rp_xstrdup(pos[0]);
	else
		path = rp_xasprintf("%s/config.json", npos == 1 ? pos[0] : bundle ? bundle : ".");
	if (!id)
		id = id_buf = default_id(path);

	if (rp_policy_load(policy ? policy : g->policy, &p, &err) < 0)
		return unusable(&err);

	cfg = oci_config_parse_file(path, &err);
	if (!cfg) {
		if (err && !strstr(err->msg, path))
			rp_error_prefix(&err, "%s", path);
		return unusable(&err);
	}

	if (rp_policy_evaluate(p, cfg, RP_POLICY_CREATE, false, &v, &err) < 0 ||
	    rp_verdict_print(stdout, &v, format, id, path, &err) < 0)
		return unusable(&err);
	fflush(stdout);
	return v.refused ? 1 : 0;
}
