/* rampart: unit tests for the policy engine (policy.c): what apply=true
 * changes in the config, which rules exec evaluates, the refusal line, and
 * policy loading.  The per-rule behaviour is tested end to end through
 * `rampart audit` in tests/integration/policy.bats. */
#include "config-host.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "oci-config.h"
#include "policy.h"
#include "utils.h"

/* uid 0 without a user namespace, no seccomp, no noNewPrivileges, no
 * masked paths, the pid namespace shared, CAP_SYS_ADMIN. */
static const char weak_config[] =
	"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"},"
	" \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0},"
	"  \"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"]}},"
	" \"linux\": {\"namespaces\": [{\"type\": \"network\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}]}}";

/* Only fixable findings. */
static const char fixable_config[] =
	"{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"},"
	" \"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 1000, \"gid\": 1000}},"
	" \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": \"ipc\"},"
	"  {\"type\": \"uts\"}, {\"type\": \"mount\"}]}}";

static struct oci_config *parse(const char *doc)
{
	rp_err_t err = NULL;
	struct oci_config *c = oci_config_parse(doc, strlen(doc), &err);
	ck_assert_msg(c != NULL, "%s", err ? err->msg : "?");
	return c;
}

static struct rp_policy *load(const char *name)
{
	struct rp_policy *p = NULL;
	rp_err_t err = NULL;
	ck_assert_msg(rp_policy_load(name, &p, &err) == 0, "%s", err ? err->msg : "?");
	return p;
}

static const struct rp_finding *find(const struct rp_verdict *v, const char *rule)
{
	for (size_t i = 0; i < v->n_findings; i++)
		if (strcmp(v->findings[i].rule_id, rule) == 0)
			return &v->findings[i];
	return NULL;
}

static bool strv_has(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

START_TEST(apply_repairs_the_config)
{
	struct oci_config *c = parse(fixable_config);
	struct rp_policy *p = load("hardened");
	struct rp_verdict v;
	rp_err_t err = NULL;

	/* audit: reported, nothing changed */
	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, false, &v, &err), 0);
	ck_assert(!v.refused);
	ck_assert_int_eq(find(&v, "seccomp-missing")->outcome, RP_FINDING_FIXED);
	ck_assert_int_eq(find(&v, "no-new-privileges")->outcome, RP_FINDING_FIXED);
	ck_assert_int_eq(find(&v, "masked-paths-removed")->outcome, RP_FINDING_FIXED);
	ck_assert_ptr_null(c->linux_cfg->seccomp);
	ck_assert(!c->process->no_new_privileges);
	ck_assert_uint_eq(c->linux_cfg->masked_paths.n, 0);
	size_t n_audit = v.n_findings;
	rp_verdict_clear(&v);

	/* create: the same findings, and the fixes made */
	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, true, &v, &err), 0);
	ck_assert_uint_eq(v.n_findings, n_audit);
	ck_assert(!v.refused);
	ck_assert_ptr_nonnull(c->linux_cfg->seccomp);
	ck_assert_int_ne(c->linux_cfg->seccomp->default_action, OCI_SECCOMP_ALLOW);
	ck_assert(c->process->no_new_privileges);
	ck_assert(strv_has(&c->linux_cfg->masked_paths, "/proc/kcore"));
	ck_assert(strv_has(&c->linux_cfg->readonly_paths, "/proc/sys"));
	ck_assert(strv_has(&c->linux_cfg->readonly_paths, "/proc/sysrq-trigger"));
	ck_assert_ptr_null(c->linux_cfg->masked_paths.v[c->linux_cfg->masked_paths.n]);
	rp_verdict_clear(&v);

	/* the repaired config passes clean */
	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, true, &v, &err), 0);
	ck_assert_uint_eq(v.n_findings, 0);
	rp_verdict_clear(&v);
	rp_policy_free(p);
	oci_config_free(c);
}
END_TEST

START_TEST(exec_evaluates_process_rules_only)
{
	struct oci_config *c = parse(weak_config);
	struct rp_policy *p = load("hardened");
	struct rp_verdict v;
	rp_err_t err = NULL;

	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_EXEC, false, &v, &err), 0);
	ck_assert(v.refused);
	for (size_t i = 0; i < v.n_findings; i++) {
		const char *r = v.findings[i].rule_id;
		ck_assert_msg(!strcmp(r, "root-user") || !strcmp(r, "dangerous-capabilities") ||
			      !strcmp(r, "no-new-privileges"), "exec evaluated %s", r);
	}
	ck_assert_ptr_nonnull(find(&v, "root-user"));
	ck_assert_str_eq(find(&v, "dangerous-capabilities")->field, "process.capabilities.bounding[1]");
	rp_verdict_clear(&v);

	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, false, &v, &err), 0);
	ck_assert_ptr_nonnull(find(&v, "host-namespaces"));
	ck_assert_ptr_nonnull(find(&v, "seccomp-missing"));
	rp_verdict_clear(&v);
	rp_policy_free(p);
	oci_config_free(c);
}
END_TEST

START_TEST(refusal_line)
{
	struct oci_config *c = parse(weak_config);
	struct rp_policy *p = load("hardened");
	struct rp_verdict v;
	rp_err_t err = NULL;

	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, false, &v, &err), 0);
	_cleanup_free_ char *line = rp_verdict_refusal_line(&v, "web");
	ck_assert_str_eq(line,
			 "refusing 'web': process runs as host root (uid 0, no user namespace) [root-user]"
			 " (+2 more: host-namespaces, dangerous-capabilities); run as a non-root user, map root"
			 " with a user namespace (podman --userns=auto), or waive with annotation"
			 " rampart.allow=root-user where /etc/rampart/policy.json permits");
	ck_assert(strchr(line, '\n') == NULL);
	rp_verdict_clear(&v);

	/* nothing refused: no line */
	rp_policy_free(p);
	p = load("compat");
	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, true, &v, &err), 0);
	ck_assert_uint_eq(v.n_findings, 0);
	ck_assert_ptr_null(rp_verdict_refusal_line(&v, "web"));
	ck_assert_ptr_null(c->linux_cfg->seccomp); /* compat injects nothing */
	rp_verdict_clear(&v);
	rp_policy_free(p);
	oci_config_free(c);
}
END_TEST

START_TEST(policy_loading)
{
	char path[] = "/tmp/rp-test-policy-XXXXXX";
	int fd = mkstemp(path);
	struct rp_policy *p = NULL;
	rp_err_t err = NULL;
	static const char bad[] = "{\"version\": 1, \"rules\": {\"root-user\": {\"mode\": \"maybe\"}}}";
	static const char good[] = "{\"version\": 1, \"preset\": \"compat\", \"rules\": {\"root-user\": {\"mode\": \"enforce\"}}}";

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rp_write_all(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd);
	ck_assert_int_eq(rp_policy_load(path, &p, &err), -1);
	_cleanup_free_ char *want = rp_xasprintf("%s: rules.root-user.mode: expected \"enforce\", \"warn\" or \"off\", got \"maybe\"", path);
	ck_assert_str_eq(err->msg, want);
	rp_error_free(&err);

	ck_assert_int_eq(rp_write_file(path, good, strlen(good), &err), 0);
	setenv("RAMPART_POLICY", path, 1);
	p = load(NULL);
	ck_assert_str_eq(rp_policy_source(p), path);
	rp_policy_free(p);

	/* a name given beats the environment */
	p = load("hardened");
	ck_assert_str_eq(rp_policy_source(p), "hardened");
	rp_policy_free(p);
	unsetenv("RAMPART_POLICY");

	/* compat base with root-user enforced: only root-user reports */
	struct oci_config *c = parse(weak_config);
	struct rp_verdict v;
	p = load(path);
	ck_assert_int_eq(rp_policy_evaluate(p, c, RP_POLICY_CREATE, false, &v, &err), 0);
	ck_assert_uint_eq(v.n_findings, 1);
	ck_assert_str_eq(v.findings[0].rule_id, "root-user");
	rp_verdict_clear(&v);
	rp_policy_free(p);
	oci_config_free(c);
	unlink(path);

	ck_assert_int_eq(rp_policy_load("no-such-preset", &p, &err), -1);
	ck_assert_ptr_nonnull(strstr(err->msg, "not a preset"));
	rp_error_free(&err);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, apply_repairs_the_config);
	tcase_add_test(tc, exec_evaluates_process_rules_only);
	tcase_add_test(tc, refusal_line);
	tcase_add_test(tc, policy_loading);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
