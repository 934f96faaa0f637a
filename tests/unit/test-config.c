/* rampart: unit tests for json.c and oci-config.c.
 *
 * The full fixture sets every field the model has; the tests check each
 * value lands in its struct member, that writing the model out and parsing
 * it again gives the same model, and that each kind of bad input fails with
 * a message naming the JSON path of the offending field. */
#include "config-host.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cleanup.h"
#include "json.h"
#include "oci-config.h"
#include "utils.h"

#ifndef TEST_FIXTURES
#define TEST_FIXTURES "tests/unit/fixtures"
#endif

static char *read_fixture(const char *name, size_t *len)
{
	_cleanup_free_ char *path = rp_xasprintf("%s/%s", TEST_FIXTURES, name);
	char *buf = NULL;
	rp_err_t err = NULL;

	if (rp_read_file(path, &buf, len, JSON_MAX_DOCUMENT, &err) < 0)
		ck_abort_msg("read %s: %s", path, err->msg);
	return buf;
}

static struct oci_config *parse_fixture(const char *name)
{
	size_t len;
	_cleanup_free_ char *buf = read_fixture(name, &len);
	rp_err_t err = NULL;
	struct oci_config *c = oci_config_parse(buf, len, &err);

	ck_assert_msg(c != NULL, "%s: %s", name, err ? err->msg : "?");
	return c;
}

/* The model as JSON; caller frees. */
static char *config_to_json(const struct oci_config *c)
{
	json_writer *w = json_writer_new(true);
	size_t len;

	oci_config_write(w, c);
	const char *buf = json_writer_buf(w, &len);
	ck_assert_ptr_nonnull(buf);
	char *out = strndup(buf, len);
	json_writer_free(w);
	return out;
}

static void assert_strv(const struct strv *s, size_t n, const char *const *want)
{
	ck_assert_uint_eq(s->n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(s->v[i], want[i]);
	ck_assert_ptr_null(s->v[n]);
}
#define STRV(s, ...) do {							\
	const char *const _w[] = { __VA_ARGS__ };				\
	assert_strv((s), ARRAY_SIZE(_w), _w);					\
} while (0)

/* ------------------------------------------------------------ json.c */

START_TEST(json_integers)
{
	static const struct { const char *doc; bool i64_ok; int64_t i; bool u64_ok; uint64_t u; } cases[] = {
		{ "0", true, 0, true, 0 },
		{ "-1", true, -1, false, 0 },
		{ "9223372036854775807", true, INT64_MAX, true, INT64_MAX },
		{ "-9223372036854775808", true, INT64_MIN, false, 0 },
		{ "9223372036854775808", false, 0, true, UINT64_C(9223372036854775808) },
		{ "18446744073709551615", false, 0, true, UINT64_MAX },
		{ "18446744073709551616", false, 0, false, 0 },
		{ "-9223372036854775809", false, 0, false, 0 },
		{ "1.5", false, 0, false, 0 },
		{ "1.0", false, 0, false, 0 },
		{ "1e3", false, 0, false, 0 },
		{ "2E2", false, 0, false, 0 },
		{ "\"7\"", false, 0, false, 0 },
		{ "true", false, 0, false, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		rp_err_t err = NULL;
		json_value *v = json_parse(cases[i].doc, strlen(cases[i].doc), &err);
		int64_t n = 0;
		uint64_t u = 0;

		ck_assert_msg(v != NULL, "%s: %s", cases[i].doc, err ? err->msg : "");
		ck_assert_msg(json_to_i64(v, &n) == cases[i].i64_ok, "i64 %s", cases[i].doc);
		if (cases[i].i64_ok)
			ck_assert_int_eq(n, cases[i].i);
		ck_assert_msg(json_to_u64(v, &u) == cases[i].u64_ok, "u64 %s", cases[i].doc);
		if (cases[i].u64_ok)
			ck_assert_uint_eq(u, cases[i].u);
		json_free(v);
	}
}
END_TEST

START_TEST(json_doubles_and_text)
{
	rp_err_t err = NULL;
	const char *doc = "[2.5, -1e-3, 18446744073709551616]";
	json_value *v = json_parse(doc, strlen(doc), &err);
	double d;

	ck_assert_ptr_nonnull(v);
	ck_assert(json_to_double(json_array_get(v, 0), &d));
	ck_assert(d == 2.5);
	ck_assert(json_to_double(json_array_get(v, 1), &d));
	ck_assert(d < 0 && d > -0.01);
	ck_assert_str_eq(json_number_text(json_array_get(v, 2)), "18446744073709551616");
	ck_assert_ptr_null(json_number_text(v));
	ck_assert_ptr_null(json_array_get(v, 3));
	json_free(v);
}
END_TEST

START_TEST(json_accessors)
{
	rp_err_t err = NULL;
	const char *doc = "{\"s\":\"x\",\"b\":true,\"n\":null,\"a\":[1,{}],\"o\":{\"k\":false}}";
	json_value *v = json_parse(doc, strlen(doc), &err);
	char buf[32];

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(json_typeof(v), JSON_OBJECT);
	ck_assert_uint_eq(json_object_len(v), 5);
	ck_assert_str_eq(json_object_key(v, 2), "n");
	ck_assert_int_eq(json_typeof(json_object_value(v, 2)), JSON_NULL);
	ck_assert_ptr_null(json_object_key(v, 5));
	ck_assert_str_eq(json_string(json_object_get(v, "s")), "x");
	ck_assert(json_bool(json_object_get(v, "b")));
	ck_assert(!json_bool(json_object_get(json_object_get(v, "o"), "k")));
	ck_assert_ptr_null(json_object_get(v, "missing"));
	ck_assert_ptr_null(json_string(json_object_get(v, "b")));
	ck_assert_uint_eq(json_array_len(json_object_get(v, "a")), 2);
	ck_assert_uint_eq(json_array_len(v), 0);
	ck_assert_str_eq(json_type_name(json_object_get(v, "a")), "an array");
	ck_assert_str_eq(json_type_name(v), "an object");
	ck_assert_str_eq(json_type_name(json_object_get(v, "s")), "a string");
	ck_assert_str_eq(json_type_name(json_object_get(v, "b")), "a boolean");
	ck_assert_str_eq(json_type_name(json_object_get(v, "n")), "null");
	json_describe(json_object_get(v, "a"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "[...]");
	json_describe(v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "{...}");
	json_describe(json_object_get(v, "s"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "\"x\"");
	json_describe(json_object_get(v, "b"), buf, sizeof(buf));
	ck_assert_str_eq(buf, "true");
	json_free(v);

	/* long strings are cut and marked */
	const char *longdoc = "\"abcdefghijklmnopqrstuvwxyz\"";
	v = json_parse(longdoc, strlen(longdoc), &err);
	json_describe(v, buf, 12);
	ck_assert_str_eq(buf, "\"abcdef...");
	json_free(v);
}
END_TEST

static void assert_parse_error(const char *doc, size_t len, const char *want)
{
	rp_err_t err = NULL;
	json_value *v = json_parse(doc, len, &err);

	ck_assert_msg(v == NULL, "accepted: %.60s", doc);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, want) != NULL, "error \"%s\" lacks \"%s\"", err->msg, want);
	rp_error_free(&err);
}

START_TEST(json_syntax_errors)
{
	const char *doc = "{\n  \"a\": 1,\n  \"b\": ]\n}";

	assert_parse_error(doc, strlen(doc), "line 3");
	assert_parse_error(doc, strlen(doc), "parse error");
	assert_parse_error("", 0, "parse error");
	assert_parse_error("{} {}", 5, "trailing garbage");
	assert_parse_error("{\"a\":1,\"b\":2,\"a\":3}", 19, "duplicate key \"a\"");
	assert_parse_error("{\"x\":[{\"k\":1,\"k\":1}]}", 21, "x[0]: duplicate key \"k\"");
	assert_parse_error("{\"a\":\"x\\u0000y\"}", 16, "NUL");
	assert_parse_error("{\"a\":1 /* c */}", 15, "comments");
	assert_parse_error("\"a\0b\"", 5, "NUL byte");
	assert_parse_error("\"\xff\xfe\"", 4, "invalid bytes in UTF8");
	assert_parse_error("[01]", 4, "line 1, column ");
	assert_parse_error("{'a':1}", 7, "line 1, column 2: lexical error: invalid char");

	/* an escaped backslash before "u0000" is not a NUL escape */
	rp_err_t err = NULL;
	json_value *v = json_parse("\"\\\\u0000\"", 9, &err);
	ck_assert_msg(v != NULL, "%s", err ? err->msg : "");
	ck_assert_str_eq(json_string(v), "\\u0000");
	json_free(v);
}
END_TEST

START_TEST(json_limits)
{
	/* nesting deep enough to blow yajl's recursive free is refused */
	size_t n = 100000;
	_cleanup_free_ char *deep = rp_xmalloc(2 * n);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	assert_parse_error(deep, 2 * n, "nesting deeper");

	/* 100 levels are fine */
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	rp_err_t err = NULL;
	json_value *v = json_parse(deep, 200, &err);
	ck_assert_ptr_nonnull(v);
	json_free(v);

	size_t big = JSON_MAX_DOCUMENT + 1;
	_cleanup_free_ char *huge = rp_xmalloc(big);
	memset(huge, ' ', big);
	huge[0] = '1';
	assert_parse_error(huge, big, "exceeds the limit");

	/* the file reader stops at the limit too */
	char path[] = "/tmp/rampart-test-big-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rp_write_all(fd, huge, big), (ssize_t)big);
	close(fd);
	v = json_parse_file(path, &err);
	unlink(path);
	ck_assert_ptr_null(v);
	ck_assert_msg(strstr(err->msg, "larger than the limit") != NULL, "%s", err->msg);
	ck_assert_int_eq(rp_error_errno(err), EFBIG);
	rp_error_free(&err);
}
END_TEST

START_TEST(json_files)
{
	rp_err_t err = NULL;
	char path[] = "/tmp/rampart-test-json-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"a\":\n[1,]}", 11), 11);
	close(fd);

	json_value *v = json_parse_file(path, &err);
	ck_assert_ptr_null(v);
	ck_assert_msg(strncmp(err->msg, path, strlen(path)) == 0, "%s", err->msg);
	ck_assert_msg(strstr(err->msg, "line 2") != NULL, "%s", err->msg);
	rp_error_free(&err);
	unlink(path);

	v = json_parse_file("/nonexistent/rampart.json", &err);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(err->msg, "open /nonexistent/rampart.json: No such file or directory");
	ck_assert_int_eq(rp_error_errno(err), ENOENT);
	rp_error_free(&err);

	int pipefd[2];
	ck_assert_int_eq(pipe(pipefd), 0);
	ck_assert_int_eq(write(pipefd[1], "[true]", 6), 6);
	close(pipefd[1]);
	v = json_parse_fd(pipefd[0], "pipe", &err);
	close(pipefd[0]);
	ck_assert_ptr_nonnull(v);
	ck_assert(json_bool(json_array_get(v, 0)));
	json_free(v);
}
END_TEST

START_TEST(json_writer_basic)
{
	json_writer *w = json_writer_new(false);
	size_t len;

	json_w_object_begin(w);
	json_w_kv_string(w, "s", "a\"b\n");
	json_w_kv_int(w, "i", INT64_MIN);
	json_w_kv_uint(w, "u", UINT64_MAX);
	json_w_kv_bool(w, "b", false);
	json_w_key(w, "d");
	json_w_double(w, 0.5);
	json_w_key(w, "n");
	json_w_string(w, NULL);
	json_w_key(w, "a");
	json_w_array_begin(w);
	json_w_null(w);
	json_w_array_end(w);
	json_w_object_end(w);
	const char *buf = json_writer_buf(w, &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_str_eq(buf, "{\"s\":\"a\\\"b\\n\",\"i\":-9223372036854775808,\"u\":18446744073709551615,"
			      "\"b\":false,\"d\":0.5,\"n\":null,\"a\":[null]}");
	ck_assert_uint_eq(len, strlen(buf));

	/* json_w_value copies a parsed tree verbatim, big numbers included */
	rp_err_t err = NULL;
	json_value *v = json_parse(buf, len, &err);
	ck_assert_ptr_nonnull(v);
	json_writer *w2 = json_writer_new(false);
	json_w_value(w2, v);
	ck_assert_str_eq(json_writer_buf(w2, NULL), buf);
	json_writer_free(w2);
	json_free(v);
	json_writer_free(w);

	/* unbalanced output and invalid UTF-8 have no document */
	w = json_writer_new(false);
	json_w_array_begin(w);
	ck_assert_ptr_null(json_writer_buf(w, NULL));
	json_writer_free(w);
	w = json_writer_new(false);
	json_w_string(w, "\xff");
	ck_assert_ptr_null(json_writer_buf(w, NULL));
	json_writer_free(w);
	w = json_writer_new(true);
	json_w_array_begin(w);
	json_w_int(w, 1);
	json_w_array_end(w);
	ck_assert_ptr_nonnull(strchr(json_writer_buf(w, NULL), '\t'));
	json_writer_free(w);
}
END_TEST

/* ------------------------------------------------------- full config */

START_TEST(config_full_values)
{
	struct oci_config *c = parse_fixture("full.json");

	ck_assert_str_eq(c->oci_version, "1.3.0");
	ck_assert_str_eq(c->root->path, "rootfs");
	ck_assert(c->root->readonly);
	ck_assert_str_eq(c->hostname, "box");
	ck_assert_str_eq(c->domainname, "example.org");

	/* mounts */
	ck_assert_uint_eq(c->n_mounts, 3);
	ck_assert_str_eq(c->mounts[0].destination, "/proc");
	ck_assert_str_eq(c->mounts[0].type, "proc");
	ck_assert_str_eq(c->mounts[0].source, "proc");
	ck_assert_uint_eq(c->mounts[0].options.n, 0);
	const struct oci_mount *m = &c->mounts[1];
	STRV(&m->options, "rbind", "ro", "idmap");
	ck_assert_uint_eq(m->n_uid_mappings, 1);
	ck_assert_uint_eq(m->uid_mappings[0].host_id, 100000);
	ck_assert_uint_eq(m->uid_mappings[0].size, 65536);
	ck_assert_uint_eq(m->n_gid_mappings, 1);
	ck_assert_uint_eq(m->gid_mappings[0].host_id, 200000);
	ck_assert_uint_eq(m->gid_mappings[0].size, 1000);
	ck_assert_str_eq(c->mounts[2].destination, "/relative/dir");

	/* process */
	const struct oci_process *p = c->process;
	ck_assert(p->terminal);
	ck_assert_uint_eq(p->console_size->height, 25);
	ck_assert_uint_eq(p->console_size->width, 80);
	ck_assert_uint_eq(p->user.uid, 1000);
	ck_assert_uint_eq(p->user.gid, 1001);
	ck_assert(p->user.umask.set);
	ck_assert_uint_eq(p->user.umask.value, 022);
	ck_assert_uint_eq(p->user.n_additional_gids, 3);
	ck_assert_uint_eq(p->user.additional_gids[0], 5);
	ck_assert_uint_eq(p->user.additional_gids[2], UINT32_MAX);
	ck_assert_str_eq(p->user.username, "ignored-on-linux");
	STRV(&p->args, "sh", "-c", "echo hi");
	ck_assert_str_eq(p->command_line, "cmd.exe /c ignored");
	STRV(&p->env, "PATH=/usr/bin:/bin", "TERM=xterm", "EMPTY=");
	ck_assert_str_eq(p->cwd, "/srv");
	ck_assert(p->capabilities->bounding.set);
	ck_assert_uint_eq(p->capabilities->bounding.mask, (1ULL << 0) | (1ULL << 5) | (1ULL << 40));
	STRV(&p->capabilities->bounding.names, "CAP_CHOWN", "CAP_KILL", "CAP_CHECKPOINT_RESTORE");
	ck_assert_uint_eq(p->capabilities->effective.mask, 1ULL << 5);
	ck_assert(p->capabilities->inheritable.set);
	ck_assert_uint_eq(p->capabilities->inheritable.mask, 0);
	ck_assert_uint_eq(p->capabilities->permitted.mask, (1ULL << 5) | (1ULL << 10));
	ck_assert_uint_eq(p->capabilities->ambient.mask, 1ULL << 10);
	ck_assert_uint_eq(p->n_rlimits, 2);
	ck_assert_int_eq(p->rlimits[0].resource, RLIMIT_NOFILE);
	ck_assert_str_eq(p->rlimits[0].type, "RLIMIT_NOFILE");
	ck_assert_uint_eq(p->rlimits[0].hard, 1024);
	ck_assert_uint_eq(p->rlimits[0].soft, 512);
	ck_assert_int_eq(p->rlimits[1].resource, RLIMIT_CORE);
	ck_assert_uint_eq(p->rlimits[1].hard, UINT64_MAX);
	ck_assert(p->no_new_privileges && p->no_new_privileges_set);
	ck_assert_str_eq(p->apparmor_profile, "rampart-default");
	ck_assert(p->oom_score_adj.set);
	ck_assert_int_eq(p->oom_score_adj.value, -999);
	ck_assert_str_eq(p->selinux_label, "system_u:system_r:container_t:s0:c1,c2");
	ck_assert_int_eq(p->io_priority->class, 2);
	ck_assert_str_eq(p->io_priority->class_name, "IOPRIO_CLASS_BE");
	ck_assert_int_eq(p->io_priority->priority, 4);
	ck_assert_int_eq(p->scheduler->policy, 6);
	ck_assert_str_eq(p->scheduler->policy_name, "SCHED_DEADLINE");
	ck_assert(p->scheduler->nice.set);
	ck_assert_int_eq(p->scheduler->nice.value, -5);
	ck_assert_int_eq(p->scheduler->priority.value, 10);
	ck_assert_uint_eq(p->scheduler->flags, 0x03);
	STRV(&p->scheduler->flag_names, "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM");
	ck_assert_uint_eq(p->scheduler->runtime.value, 100000);
	ck_assert_uint_eq(p->scheduler->deadline.value, 200000);
	ck_assert_uint_eq(p->scheduler->period.value, 300000);
	ck_assert(p->scheduler->period.set);
	ck_assert_str_eq(p->exec_cpu_affinity->initial, "0-1");
	ck_assert_str_eq(p->exec_cpu_affinity->final, "0, 1");

	/* hooks */
	const struct oci_hooks *h = c->hooks;
	ck_assert_uint_eq(h->prestart.n, 1);
	ck_assert_str_eq(h->prestart.v[0].path, "/usr/bin/pre");
	STRV(&h->prestart.v[0].args, "pre", "x");
	STRV(&h->prestart.v[0].env, "A=1");
	ck_assert(h->prestart.v[0].timeout.set);
	ck_assert_int_eq(h->prestart.v[0].timeout.value, 5);
	ck_assert_str_eq(h->create_runtime.v[0].path, "/usr/bin/cr");
	ck_assert(!h->create_runtime.v[0].timeout.set);
	ck_assert_str_eq(h->create_container.v[0].path, "/usr/bin/cc");
	ck_assert_str_eq(h->start_container.v[0].path, "/usr/bin/sc");
	ck_assert_uint_eq(h->poststart.n, 2);
	ck_assert_str_eq(h->poststart.v[1].path, "/usr/bin/ps2");
	ck_assert_int_eq(h->poststart.v[1].timeout.value, 1);
	ck_assert_str_eq(h->poststop.v[0].path, "/usr/bin/post");

	/* annotations */
	ck_assert_uint_eq(c->annotations.n, 2);
	ck_assert_str_eq(str_map_get(&c->annotations, "org.example.key"), "value");
	ck_assert_str_eq(str_map_get(&c->annotations, "other"), "");
	ck_assert_ptr_null(str_map_get(&c->annotations, "absent"));

	/* linux */
	const struct oci_linux *l = c->linux_cfg;
	ck_assert_uint_eq(l->n_namespaces, 8);
	for (int t = 0; t < OCI_NS__COUNT; t++) {
		const struct oci_namespace *ns = oci_config_namespace(c, (enum oci_ns_type)t);
		ck_assert_msg(ns != NULL, "namespace %s", oci_ns_name((enum oci_ns_type)t));
	}
	ck_assert_int_eq(l->namespaces[1].type, OCI_NS_NETWORK);
	ck_assert_str_eq(oci_config_namespace(c, OCI_NS_NETWORK)->path, "/var/run/netns/x");
	ck_assert_ptr_null(oci_config_namespace(c, OCI_NS_PID)->path);
	ck_assert_int_eq(l->namespaces[7].type, OCI_NS_TIME);
	ck_assert_uint_eq(l->n_uid_mappings, 1);
	ck_assert_uint_eq(l->uid_mappings[0].container_id, 0);
	ck_assert_uint_eq(l->uid_mappings[0].host_id, 1000);
	ck_assert_uint_eq(l->uid_mappings[0].size, 32000);
	ck_assert_uint_eq(l->gid_mappings[0].host_id, 2000);
	ck_assert_uint_eq(l->n_time_offsets, 2);
	ck_assert_str_eq(l->time_offsets[0].clock, "monotonic");
	ck_assert_int_eq(l->time_offsets[0].secs, -100);
	ck_assert_uint_eq(l->time_offsets[0].nanosecs, 5);
	ck_assert_str_eq(l->time_offsets[1].clock, "boottime");
	ck_assert_uint_eq(l->time_offsets[1].nanosecs, 999999999);
	ck_assert_uint_eq(l->n_devices, 3);
	ck_assert_int_eq(l->devices[0].type, 'c');
	ck_assert_str_eq(l->devices[0].path, "/dev/fuse");
	ck_assert_int_eq(l->devices[0].major, 10);
	ck_assert_int_eq(l->devices[0].minor, 229);
	ck_assert_uint_eq(l->devices[0].file_mode.value, 0666);
	ck_assert(l->devices[0].uid.set && l->devices[0].gid.set);
	ck_assert_int_eq(l->devices[1].type, 'b');
	ck_assert(!l->devices[1].file_mode.set);
	ck_assert_int_eq(l->devices[2].type, 'p');
	ck_assert_str_eq(l->cgroups_path, "/rampart/full");
	ck_assert_str_eq(l->rootfs_propagation, "slave");

	const struct oci_resources *r = l->resources;
	ck_assert_uint_eq(r->n_devices, 3);
	ck_assert(!r->devices[0].allow);
	ck_assert_int_eq(r->devices[0].type, 'a');
	ck_assert(!r->devices[0].major.set);
	ck_assert_str_eq(r->devices[0].access, "rwm");
	ck_assert_int_eq(r->devices[1].type, 'c');
	ck_assert_int_eq(r->devices[1].major.value, 10);
	ck_assert_int_eq(r->devices[1].minor.value, 229);
	ck_assert_int_eq(r->devices[2].major.value, -1);
	ck_assert_int_eq(r->memory->limit.value, 536870912);
	ck_assert_int_eq(r->memory->reservation.value, 268435456);
	ck_assert_int_eq(r->memory->swap.value, 1073741824);
	ck_assert_int_eq(r->memory->kernel.value, -1);
	ck_assert(r->memory->kernel_tcp.set);
	ck_assert_int_eq(r->memory->kernel_tcp.value, 0);
	ck_assert_uint_eq(r->memory->swappiness.value, 60);
	ck_assert(r->memory->disable_oom_killer.set && !r->memory->disable_oom_killer.value);
	ck_assert(r->memory->use_hierarchy.value);
	ck_assert(r->memory->check_before_update.value);
	ck_assert_uint_eq(r->cpu->shares.value, 1024);
	ck_assert_int_eq(r->cpu->quota.value, 1000000);
	ck_assert_uint_eq(r->cpu->burst.value, 1000);
	ck_assert_uint_eq(r->cpu->period.value, 500000);
	ck_assert_int_eq(r->cpu->realtime_runtime.value, 950000);
	ck_assert_uint_eq(r->cpu->realtime_period.value, 1000000);
	ck_assert_str_eq(r->cpu->cpus, "0-1");
	ck_assert_str_eq(r->cpu->mems, "0");
	ck_assert_int_eq(r->cpu->idle.value, 1);
	ck_assert_int_eq(r->pids->limit, 32771);
	ck_assert_uint_eq(r->block_io->weight.value, 10);
	ck_assert_uint_eq(r->block_io->leaf_weight.value, 65535);
	ck_assert_uint_eq(r->block_io->n_weight_device, 2);
	ck_assert_int_eq(r->block_io->weight_device[0].major, 8);
	ck_assert_uint_eq(r->block_io->weight_device[0].weight.value, 500);
	ck_assert_uint_eq(r->block_io->weight_device[0].leaf_weight.value, 300);
	ck_assert_int_eq(r->block_io->weight_device[1].minor, 16);
	ck_assert(!r->block_io->weight_device[1].leaf_weight.set);
	ck_assert_uint_eq(r->block_io->throttle_read_bps[0].rate, 600);
	ck_assert_uint_eq(r->block_io->throttle_write_bps[0].rate, 300);
	ck_assert_int_eq(r->block_io->throttle_write_bps[0].minor, 16);
	ck_assert_uint_eq(r->block_io->throttle_read_iops[0].rate, UINT64_MAX);
	ck_assert_uint_eq(r->block_io->throttle_write_iops[0].rate, 7);
	ck_assert_uint_eq(r->n_hugepage_limits, 2);
	ck_assert_str_eq(r->hugepage_limits[0].page_size, "2MB");
	ck_assert_uint_eq(r->hugepage_limits[0].limit, 209715200);
	ck_assert_str_eq(r->hugepage_limits[1].page_size, "1GB");
	ck_assert_uint_eq(r->network->class_id.value, 1048577);
	ck_assert_uint_eq(r->network->n_priorities, 2);
	ck_assert_str_eq(r->network->priorities[1].name, "eth1");
	ck_assert_uint_eq(r->network->priorities[1].priority, 1000);
	ck_assert_uint_eq(r->n_rdma, 2);
	ck_assert_str_eq(r->rdma[0].device, "mlx5_1");
	ck_assert_uint_eq(r->rdma[0].hca_handles.value, 3);
	ck_assert_uint_eq(r->rdma[0].hca_objects.value, 10000);
	ck_assert(!r->rdma[1].hca_handles.set);
	ck_assert_str_eq(str_map_get(&r->unified, "io.max"), "8:0 rbps=1024");
	ck_assert_str_eq(str_map_get(&r->unified, "memory.high"), "max");

	const struct oci_seccomp *s = l->seccomp;
	ck_assert_int_eq(s->default_action, OCI_SECCOMP_ERRNO);
	ck_assert_uint_eq(s->default_errno_ret.value, 38);
	STRV(&s->architectures, "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
	STRV(&s->flags, "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW");
	ck_assert_str_eq(s->listener_path, "/run/agent.sock");
	ck_assert_str_eq(s->listener_metadata, "meta");
	ck_assert_uint_eq(s->n_syscalls, 4);
	STRV(&s->syscalls[0].names, "read", "write");
	ck_assert_int_eq(s->syscalls[0].action, OCI_SECCOMP_ALLOW);
	ck_assert(!s->syscalls[0].errno_ret.set);
	ck_assert_int_eq(s->syscalls[1].action, OCI_SECCOMP_ERRNO);
	ck_assert_uint_eq(s->syscalls[1].errno_ret.value, 1);
	ck_assert_uint_eq(s->syscalls[1].n_args, 2);
	ck_assert_uint_eq(s->syscalls[1].args[0].index, 0);
	ck_assert_uint_eq(s->syscalls[1].args[0].value, 8);
	ck_assert_int_eq(s->syscalls[1].args[0].op, OCI_SECCOMP_OP_EQ);
	ck_assert_uint_eq(s->syscalls[1].args[1].index, 5);
	ck_assert_uint_eq(s->syscalls[1].args[1].value, UINT64_MAX);
	ck_assert_uint_eq(s->syscalls[1].args[1].value_two, 255);
	ck_assert_int_eq(s->syscalls[1].args[1].op, OCI_SECCOMP_OP_MASKED_EQ);
	ck_assert_int_eq(s->syscalls[2].action, OCI_SECCOMP_NOTIFY);
	ck_assert_int_eq(s->syscalls[3].action, OCI_SECCOMP_KILL_PROCESS);

	ck_assert_str_eq(str_map_get(&l->sysctl, "net.ipv4.ip_forward"), "1");
	ck_assert_uint_eq(l->sysctl.n, 2);
	ck_assert(l->masked_paths_set);
	STRV(&l->masked_paths, "/proc/kcore", "/sys/firmware");
	ck_assert(l->readonly_paths_set);
	STRV(&l->readonly_paths, "/proc/sys");
	ck_assert_str_eq(l->mount_label, "system_u:object_r:container_file_t:s0:c1,c2");
	ck_assert_str_eq(l->personality->domain, "LINUX32");
	ck_assert_uint_eq(l->personality->flags.n, 0);
	ck_assert_str_eq(l->intel_rdt->clos_id, "guaranteed_group");
	ck_assert_str_eq(l->intel_rdt->l3_cache_schema, "L3:0=7f0;1=1f");
	ck_assert_str_eq(l->intel_rdt->mem_bw_schema, "MB:0=20;1=70");
	STRV(&l->intel_rdt->schemata, "L2:0=ff");
	ck_assert(l->intel_rdt->enable_monitoring.set && l->intel_rdt->enable_monitoring.value);
	ck_assert(!l->intel_rdt->enable_cmt.set);
	ck_assert_int_eq(l->memory_policy->mode, 3);
	ck_assert_str_eq(l->memory_policy->mode_name, "MPOL_INTERLEAVE");
	ck_assert_str_eq(l->memory_policy->nodes, "0-3,7");
	ck_assert_uint_eq(l->memory_policy->flags, 1u << 15);
	ck_assert_uint_eq(l->n_net_devices, 2);
	ck_assert_str_eq(l->net_devices[0].host_name, "eth9");
	ck_assert_str_eq(l->net_devices[0].name, "ceth%d");
	ck_assert_str_eq(l->net_devices[1].host_name, "dummy0");
	ck_assert_ptr_null(l->net_devices[1].name);

	oci_config_free(c);
}
END_TEST

START_TEST(config_round_trip)
{
	struct oci_config *c = parse_fixture("full.json");
	_cleanup_free_ char *first = config_to_json(c);
	rp_err_t err = NULL;

	struct oci_config *c2 = oci_config_parse(first, strlen(first), &err);
	ck_assert_msg(c2 != NULL, "re-parse: %s\n%s", err ? err->msg : "", first);
	_cleanup_free_ char *second = config_to_json(c2);
	ck_assert_str_eq(first, second);

	/* spot-check that the written document carries the values, not just
	 * a shape that parses */
	ck_assert_ptr_nonnull(strstr(first, "\"soft\": 18446744073709551615"));
	ck_assert_ptr_nonnull(strstr(first, "\"ceth%d\""));
	ck_assert_ptr_nonnull(strstr(first, "\"destination\": \"/relative/dir\""));
	ck_assert_ptr_nonnull(strstr(first, "\"inheritable\": ["));
	ck_assert_int_eq(c2->linux_cfg->resources->block_io->throttle_read_iops[0].rate == UINT64_MAX, 1);
	ck_assert_int_eq(c2->process->capabilities->bounding.mask, c->process->capabilities->bounding.mask);
	ck_assert_str_eq(c2->linux_cfg->seccomp->listener_metadata, "meta");
	ck_assert_uint_eq(c2->linux_cfg->n_time_offsets, 2);
	ck_assert(c2->process->no_new_privileges_set);
	oci_config_free(c2);
	oci_config_free(c);

	/* a minimal config stays minimal: no invented fields */
	c = parse_fixture("minimal.json");
	_cleanup_free_ char *min = config_to_json(c);
	c2 = oci_config_parse(min, strlen(min), &err);
	ck_assert_ptr_nonnull(c2);
	ck_assert_ptr_null(c2->linux_cfg->resources);
	ck_assert(!c2->linux_cfg->masked_paths_set);
	ck_assert(!c2->process->no_new_privileges_set);
	ck_assert_ptr_null(c2->process->capabilities);
	ck_assert(!c2->process->oom_score_adj.set);
	ck_assert_ptr_null(strstr(min, "maskedPaths"));
	oci_config_free(c2);
	oci_config_free(c);
}
END_TEST

START_TEST(config_minimal_and_nulls)
{
	struct oci_config *c = parse_fixture("minimal.json");

	ck_assert_str_eq(c->oci_version, "1.0.2-dev");
	ck_assert(!c->root->readonly);
	ck_assert_ptr_null(c->hooks);
	ck_assert_uint_eq(c->n_mounts, 0);
	ck_assert_ptr_null(c->process->capabilities);
	ck_assert(!c->process->no_new_privileges_set);
	ck_assert(!c->linux_cfg->masked_paths_set);
	ck_assert_ptr_null(oci_config_namespace(c, OCI_NS_USER));
	oci_config_free(c);

	/* JSON null reads as absent; an empty maskedPaths list is "set" */
	const char *doc = "{\"ociVersion\":\"1.1.0\",\"root\":{\"path\":\"r\"},\"hostname\":null,"
			  "\"process\":{\"args\":[\"x\"],\"cwd\":\"/\",\"capabilities\":null,\"oomScoreAdj\":null},"
			  "\"linux\":{\"resources\":null,\"maskedPaths\":[],\"readonlyPaths\":null}}";
	rp_err_t err = NULL;
	c = oci_config_parse(doc, strlen(doc), &err);
	ck_assert_msg(c != NULL, "%s", err ? err->msg : "");
	ck_assert_ptr_null(c->hostname);
	ck_assert_ptr_null(c->process->capabilities);
	ck_assert(!c->process->oom_score_adj.set);
	ck_assert_ptr_null(c->linux_cfg->resources);
	ck_assert(c->linux_cfg->masked_paths_set);
	ck_assert_uint_eq(c->linux_cfg->masked_paths.n, 0);
	ck_assert(!c->linux_cfg->readonly_paths_set);
	ck_assert_ptr_null(oci_config_namespace(c, OCI_NS_PID));
	oci_config_free(c);

	/* no linux section at all */
	doc = "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/abs/rootfs\"}}";
	c = oci_config_parse(doc, strlen(doc), &err);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->process);
	ck_assert_ptr_null(oci_config_namespace(c, OCI_NS_PID));
	oci_config_free(c);
}
END_TEST

START_TEST(config_versions)
{
	static const struct { const char *v; bool ok; } cases[] = {
		{ "1.0.0", true }, { "1.0.2-dev", true }, { "1.1.0", true }, { "1.2.1", true },
		{ "1.3.0", true }, { "1.3.7+build", true }, { "1.0.0-rc5", true },
		{ "1.4.0", false }, { "2.0.0", false }, { "0.9.0", false }, { "1.0", false },
		{ "1.01.0", false }, { "1.10.0", false }, { "", false }, { "1.2.x", false }, { "v1.0.0", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		_cleanup_free_ char *doc = rp_xasprintf("{\"ociVersion\":\"%s\",\"root\":{\"path\":\"r\"}}", cases[i].v);
		rp_err_t err = NULL;
		struct oci_config *c = oci_config_parse(doc, strlen(doc), &err);
		ck_assert_msg((c != NULL) == cases[i].ok, "%s: %s", cases[i].v, err ? err->msg : "accepted");
		if (!c)
			ck_assert_msg(strncmp(err->msg, "ociVersion: ", 12) == 0, "%s", err->msg);
		oci_config_free(c);
		rp_error_free(&err);
	}
}
END_TEST

/* `rampart spec` builds a model in code, setting numbers but not the names
 * a parsed config would carry; the writer must still say everything. */
START_TEST(config_write_from_code)
{
	struct oci_config *c = rp_xcalloc(1, sizeof(*c));
	rp_err_t err = NULL;

	c->oci_version = rp_xstrdup(OCI_SPEC_VERSION);
	c->root = rp_xcalloc(1, sizeof(*c->root));
	c->root->path = rp_xstrdup("rootfs");
	c->process = rp_xcalloc(1, sizeof(*c->process));
	c->process->args.v = rp_xcalloc(2, sizeof(char *));
	c->process->args.v[0] = rp_xstrdup("sh");
	c->process->args.n = 1;
	c->process->cwd = rp_xstrdup("/");
	c->process->capabilities = rp_xcalloc(1, sizeof(*c->process->capabilities));
	c->process->capabilities->bounding.set = true;
	c->process->capabilities->bounding.mask = (1ULL << 29) | (1ULL << 5) | (1ULL << 40);
	c->process->rlimits = rp_xcalloc(1, sizeof(*c->process->rlimits));
	c->process->n_rlimits = 1;
	c->process->rlimits[0].resource = RLIMIT_NOFILE;
	c->process->rlimits[0].hard = c->process->rlimits[0].soft = 1024;
	c->process->scheduler = rp_xcalloc(1, sizeof(*c->process->scheduler));
	c->process->scheduler->policy = 3;
	c->process->scheduler->flags = 0x41;
	c->linux_cfg = rp_xcalloc(1, sizeof(*c->linux_cfg));
	c->linux_cfg->masked_paths_set = true;

	_cleanup_free_ char *out = config_to_json(c);
	struct oci_config *c2 = oci_config_parse(out, strlen(out), &err);
	ck_assert_msg(c2 != NULL, "%s\n%s", err ? err->msg : "", out);
	ck_assert_uint_eq(c2->process->capabilities->bounding.mask, c->process->capabilities->bounding.mask);
	STRV(&c2->process->capabilities->bounding.names, "CAP_KILL", "CAP_AUDIT_WRITE", "CAP_CHECKPOINT_RESTORE");
	ck_assert_str_eq(c2->process->rlimits[0].type, "RLIMIT_NOFILE");
	ck_assert_str_eq(c2->process->scheduler->policy_name, "SCHED_BATCH");
	ck_assert_uint_eq(c2->process->scheduler->flags, 0x41);
	ck_assert(c2->linux_cfg->masked_paths_set);
	ck_assert_uint_eq(c2->linux_cfg->masked_paths.n, 0);
	oci_config_free(c2);
	oci_config_free(c);
}
END_TEST

/* ------------------------------------------------------- bad configs */

#define HEAD "{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"}"
#define PROC(x) HEAD ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"," x "}}"
#define LNX(x) HEAD ",\"linux\":{" x "}}"
#define RES(x) LNX("\"resources\":{" x "}")
#define SECC(x) LNX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\"," x "}")

static const struct bad_case { const char *json; const char *want; } bad_configs[] = {
	/* top level */
	{ "[]", "expected an object, got [...]" },
	{ "{\"root\":{\"path\":\"r\"}}", "ociVersion: required field missing" },
	{ "{\"ociVersion\":1,\"root\":{\"path\":\"r\"}}", "ociVersion: expected a string, got 1" },
	{ "{\"ociVersion\":\"2.0.0\",\"root\":{\"path\":\"r\"}}", "ociVersion: unsupported version \"2.0.0\"" },
	{ "{\"ociVersion\":\"1.0.0\"}", "root: required field missing" },
	{ "{\"ociVersion\":\"1.0.0\",\"root\":{}}", "root.path: required field missing" },
	{ "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"\"}}", "root.path: must not be empty" },
	{ "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
	  "root.readonly: expected a boolean, got \"yes\"" },
	{ HEAD ",\"hostname\":7}", "hostname: expected a string, got 7" },
	{ HEAD ",\"annotations\":{\"a\":1}}", "annotations.a: expected a string, got 1" },
	{ HEAD ",\"annotations\":[]}", "annotations: expected an object, got [...]" },
	/* mounts */
	{ HEAD ",\"mounts\":{}}", "mounts: expected an array, got {...}" },
	{ HEAD ",\"mounts\":[{\"destination\":\"/a\"},{\"type\":\"tmpfs\"}]}", "mounts[1].destination: required field missing" },
	{ HEAD ",\"mounts\":[{\"destination\":\"/a\",\"options\":[\"ro\",5]}]}", "mounts[0].options[1]: expected a string, got 5" },
	{ HEAD ",\"mounts\":[\"/a\"]}", "mounts[0]: expected an object, got \"/a\"" },
	{ HEAD ",\"mounts\":[{\"destination\":\"/a\",\"uidMappings\":[{\"containerID\":0,\"hostID\":-1,\"size\":1}]}]}",
	  "mounts[0].uidMappings[0].hostID: expected a non-negative integer, got -1" },
	/* process */
	{ HEAD ",\"process\":{\"args\":[\"sh\"]}}", "process.cwd: required field missing" },
	{ HEAD ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"tmp\"}}", "process.cwd: \"tmp\" is not an absolute path" },
	{ HEAD ",\"process\":{\"cwd\":\"/\"}}", "process.args: at least one entry is required" },
	{ HEAD ",\"process\":{\"args\":\"sh\",\"cwd\":\"/\"}}", "process.args: expected an array, got \"sh\"" },
	{ PROC("\"terminal\":1"), "process.terminal: expected a boolean, got 1" },
	{ PROC("\"consoleSize\":{\"height\":1}"), "process.consoleSize.width: required field missing" },
	{ PROC("\"user\":{\"gid\":0}"), "process.user.uid: required field missing" },
	{ PROC("\"user\":{\"uid\":4294967296,\"gid\":0}"), "process.user.uid: 4294967296 is out of range" },
	{ PROC("\"user\":{\"uid\":0,\"gid\":1.5}"), "process.user.gid: expected a non-negative integer, got 1.5" },
	{ PROC("\"user\":{\"uid\":0,\"gid\":0,\"umask\":512}"), "process.user.umask: 512 is out of range (0..511)" },
	{ PROC("\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[1,\"2\"]}"),
	  "process.user.additionalGids[1]: expected a non-negative integer, got \"2\"" },
	{ PROC("\"env\":[\"NOEQUALS\"]"), "process.env[0]: \"NOEQUALS\" is not of the form NAME=value" },
	{ PROC("\"env\":[\"=x\"]"), "process.env[0]" },
	{ PROC("\"capabilities\":{\"bounding\":[\"CAP_CHOWN\",\"CAP_FLY\"]}"),
	  "process.capabilities.bounding[1]: unknown capability \"CAP_FLY\"" },
	{ PROC("\"capabilities\":{\"ambient\":[\"NET_RAW\"]}"), "process.capabilities.ambient[0]: unknown capability \"NET_RAW\"" },
	{ PROC("\"capabilities\":{\"effective\":\"CAP_KILL\"}"), "process.capabilities.effective: expected an array" },
	{ PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,\"soft\":1},{\"type\":\"RLIMIT_CPU\",\"hard\":1,\"soft\":1},"
	       "{\"type\":\"RLIMIT_FOO\",\"hard\":1,\"soft\":1}]"),
	  "process.rlimits[2].type: unknown rlimit \"RLIMIT_FOO\"" },
	{ PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,\"soft\":1},{\"type\":\"RLIMIT_NOFILE\",\"hard\":2,\"soft\":2}]"),
	  "process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"" },
	{ PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1}]"), "process.rlimits[0].hard: required field missing" },
	{ PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1,\"soft\":2}]"), "process.rlimits[0].soft: 2 exceeds hard limit 1" },
	{ PROC("\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":-1,\"soft\":1}]"), "process.rlimits[0].hard: expected a non-negative integer, got -1" },
	{ PROC("\"noNewPrivileges\":\"true\""), "process.noNewPrivileges: expected a boolean, got \"true\"" },
	{ PROC("\"oomScoreAdj\":1001"), "process.oomScoreAdj: 1001 is out of range (-1000..1000)" },
	{ PROC("\"oomScoreAdj\":-1001"), "process.oomScoreAdj: -1001 is out of range" },
	{ PROC("\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":8}"), "process.ioPriority.priority: 8 is out of range (0..7)" },
	{ PROC("\"ioPriority\":{\"class\":\"IOPRIO_CLASS_XX\",\"priority\":1}"),
	  "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_XX\"" },
	{ PROC("\"ioPriority\":{\"priority\":1}"), "process.ioPriority.class: required field missing" },
	{ PROC("\"scheduler\":{\"policy\":\"SCHED_FAST\"}"), "process.scheduler.policy: unknown scheduler policy \"SCHED_FAST\"" },
	{ PROC("\"scheduler\":{\"nice\":1}"), "process.scheduler.policy: required field missing" },
	{ PROC("\"scheduler\":{\"policy\":\"SCHED_OTHER\",\"nice\":20}"), "process.scheduler.nice: 20 is out of range (-20..19)" },
	{ PROC("\"scheduler\":{\"policy\":\"SCHED_RR\",\"flags\":[\"SCHED_FLAG_RECLAIM\",\"SCHED_FLAG_X\"]}"),
	  "process.scheduler.flags[1]: unknown scheduler flag \"SCHED_FLAG_X\"" },
	{ PROC("\"scheduler\":{\"policy\":\"SCHED_DEADLINE\",\"runtime\":-5}"), "process.scheduler.runtime: expected a non-negative integer" },
	{ PROC("\"execCPUAffinity\":{\"initial\":\"0-\"}"), "process.execCPUAffinity.initial: invalid cpu/node list \"0-\"" },
	{ PROC("\"execCPUAffinity\":{\"final\":\"3-1\"}"), "process.execCPUAffinity.final: invalid cpu/node list" },
	{ PROC("\"selinuxLabel\":[]"), "process.selinuxLabel: expected a string, got [...]" },
	/* hooks */
	{ HEAD ",\"hooks\":{\"prestart\":[{\"path\":\"hook\"}]}}", "hooks.prestart[0].path: \"hook\" is not an absolute path" },
	{ HEAD ",\"hooks\":{\"poststop\":[{\"args\":[]}]}}", "hooks.poststop[0].path: required field missing" },
	{ HEAD ",\"hooks\":{\"createRuntime\":[{\"path\":\"/h\",\"timeout\":0}]}}", "hooks.createRuntime[0].timeout: 0 is out of range" },
	{ HEAD ",\"hooks\":{\"startContainer\":{}}}", "hooks.startContainer: expected an array, got {...}" },
	/* linux */
	{ HEAD ",\"linux\":[]}", "linux: expected an object, got [...]" },
	{ LNX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"foo\"}]"), "linux.namespaces[1].type: unknown namespace type \"foo\"" },
	{ LNX("\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\",\"path\":\"/proc/1/ns/pid\"}]"),
	  "linux.namespaces[1].type: duplicate namespace type \"pid\"" },
	{ LNX("\"namespaces\":[{\"type\":\"network\",\"path\":\"run/netns/x\"}]"),
	  "linux.namespaces[0].path: \"run/netns/x\" is not an absolute path" },
	{ LNX("\"namespaces\":[{\"path\":\"/x\"}]"), "linux.namespaces[0].type: required field missing" },
	{ LNX("\"uidMappings\":[{\"containerID\":0,\"hostID\":1000}]"), "linux.uidMappings[0].size: required field missing" },
	{ LNX("\"gidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":0}]"), "linux.gidMappings[0].size: must be at least 1" },
	{ LNX("\"uidMappings\":[{\"containerID\":4294967295,\"hostID\":0,\"size\":2}]"), "linux.uidMappings[0].size: range exceeds" },
	{ LNX("\"devices\":[{\"type\":\"x\",\"path\":\"/dev/x\",\"major\":1,\"minor\":1}]"),
	  "linux.devices[0].type: unknown device type \"x\"" },
	{ LNX("\"devices\":[{\"type\":\"c\",\"path\":\"dev/x\",\"major\":1,\"minor\":1}]"),
	  "linux.devices[0].path: \"dev/x\" is not an absolute path" },
	{ LNX("\"devices\":[{\"type\":\"c\",\"path\":\"/dev/x\",\"minor\":1}]"), "linux.devices[0].major: required field missing" },
	{ LNX("\"devices\":[{\"type\":\"b\",\"path\":\"/dev/x\",\"major\":1,\"minor\":1,\"fileMode\":65536}]"),
	  "linux.devices[0].fileMode: 65536 is out of range" },
	{ LNX("\"devices\":[{\"type\":\"c\",\"path\":\"/dev/x\",\"major\":1,\"minor\":1,\"fileMode\":25014}]"),
	  "linux.devices[0].fileMode: 060666 has file type bits that do not match type \"c\"" },
	{ LNX("\"timeOffsets\":{\"realtime\":{\"secs\":1}}"), "linux.timeOffsets.realtime: unknown clock" },
	{ LNX("\"timeOffsets\":{\"boottime\":{\"nanosecs\":1000000000}}"), "linux.timeOffsets.boottime.nanosecs: 1000000000 is out of range" },
	{ LNX("\"rootfsPropagation\":\"rshared\""), "linux.rootfsPropagation: unknown propagation \"rshared\"" },
	{ LNX("\"sysctl\":{\"net.ipv4.ip_forward\":1}"), "linux.sysctl.net.ipv4.ip_forward: expected a string, got 1" },
	{ LNX("\"maskedPaths\":[\"proc/kcore\"]"), "linux.maskedPaths[0]: \"proc/kcore\" is not an absolute path" },
	{ LNX("\"readonlyPaths\":\"/proc\""), "linux.readonlyPaths: expected an array, got \"/proc\"" },
	{ LNX("\"personality\":{\"domain\":\"LINUX64\"}"), "linux.personality.domain: unknown personality domain \"LINUX64\"" },
	{ LNX("\"personality\":{\"domain\":\"LINUX\",\"flags\":[\"ADDR_NO_RANDOMIZE\"]}"),
	  "linux.personality.flags[0]: unsupported personality flag" },
	{ LNX("\"intelRdt\":{\"memBwSchema\":\"L3:0=1\"}"), "linux.intelRdt.memBwSchema: must start with \"MB:\"" },
	{ LNX("\"intelRdt\":{\"closID\":\"../x\"}"), "linux.intelRdt.closID: \"../x\" is not a valid resctrl group name" },
	{ LNX("\"memoryPolicy\":{\"mode\":\"MPOL_FAST\"}"), "linux.memoryPolicy.mode: unknown memory policy mode \"MPOL_FAST\"" },
	{ LNX("\"memoryPolicy\":{\"nodes\":\"0\"}"), "linux.memoryPolicy.mode: required field missing" },
	{ LNX("\"memoryPolicy\":{\"mode\":\"MPOL_BIND\"}"), "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node" },
	{ LNX("\"memoryPolicy\":{\"mode\":\"MPOL_LOCAL\",\"nodes\":\"0\"}"), "linux.memoryPolicy.nodes: MPOL_LOCAL takes no nodes" },
	{ LNX("\"memoryPolicy\":{\"mode\":\"MPOL_BIND\",\"nodes\":\"0\",\"flags\":[\"MPOL_F_X\"]}"),
	  "linux.memoryPolicy.flags[0]: unknown memory policy flag \"MPOL_F_X\"" },
	{ LNX("\"netDevices\":{\"eth0\":{\"name\":\"a/b\"}}"), "linux.netDevices.eth0.name: invalid network interface name \"a/b\"" },
	{ LNX("\"netDevices\":{\"averyveryverylongname\":{}}"), "linux.netDevices.averyveryverylongname: invalid network interface name" },
	{ LNX("\"netDevices\":{\"eth0\":\"x\"}"), "linux.netDevices.eth0: expected an object, got \"x\"" },
	/* resources */
	{ RES("\"memory\":{\"limit\":\"64M\"}"), "linux.resources.memory.limit: expected an integer, got \"64M\"" },
	{ RES("\"memory\":{\"limit\":1.5e9}"), "linux.resources.memory.limit: expected an integer, got 1.5e9" },
	{ RES("\"memory\":{\"swappiness\":101}"), "linux.resources.memory.swappiness: 101 is out of range (0..100)" },
	{ RES("\"memory\":{\"disableOOMKiller\":0}"), "linux.resources.memory.disableOOMKiller: expected a boolean, got 0" },
	{ RES("\"memory\":{\"limit\":9223372036854775808}"), "linux.resources.memory.limit: expected an integer, got 9223372036854775808" },
	{ RES("\"cpu\":{\"shares\":-2}"), "linux.resources.cpu.shares: expected a non-negative integer, got -2" },
	{ RES("\"cpu\":{\"cpus\":\"0-3,a\"}"), "linux.resources.cpu.cpus: invalid cpu/node list \"0-3,a\"" },
	{ RES("\"cpu\":{\"idle\":2}"), "linux.resources.cpu.idle: must be 0 or 1" },
	{ RES("\"pids\":{}"), "linux.resources.pids.limit: required field missing" },
	{ RES("\"blockIO\":{\"weight\":65536}"), "linux.resources.blockIO.weight: 65536 is out of range (0..65535)" },
	{ RES("\"blockIO\":{\"weightDevice\":[{\"major\":8,\"minor\":0,\"leafWeight\":70000}]}"),
	  "linux.resources.blockIO.weightDevice[0].leafWeight: 70000 is out of range" },
	{ RES("\"blockIO\":{\"throttleReadBpsDevice\":[{\"major\":8,\"rate\":1}]}"),
	  "linux.resources.blockIO.throttleReadBpsDevice[0].minor: required field missing" },
	{ RES("\"blockIO\":{\"throttleWriteIOPSDevice\":[{\"major\":8,\"minor\":0}]}"),
	  "linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: required field missing" },
	{ RES("\"devices\":[{\"type\":\"c\"}]"), "linux.resources.devices[0].allow: required field missing" },
	{ RES("\"devices\":[{\"allow\":true,\"type\":\"u\"}]"), "linux.resources.devices[0].type: unknown device type \"u\"" },
	{ RES("\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]"), "linux.resources.devices[0].access: \"rwx\" is not a combination" },
	{ RES("\"devices\":[{\"allow\":true,\"major\":-2}]"), "linux.resources.devices[0].major: -2 is not a device number" },
	{ RES("\"hugepageLimits\":[{\"pageSize\":\"2M\",\"limit\":1}]"), "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2M\"" },
	{ RES("\"hugepageLimits\":[{\"pageSize\":\"2MB\"}]"), "linux.resources.hugepageLimits[0].limit: required field missing" },
	{ RES("\"network\":{\"classID\":-1}"), "linux.resources.network.classID: expected a non-negative integer" },
	{ RES("\"network\":{\"priorities\":[{\"name\":\"eth0\"}]}"), "linux.resources.network.priorities[0].priority: required field missing" },
	{ RES("\"rdma\":{\"mlx5_1\":{}}"), "linux.resources.rdma.mlx5_1: at least one of hcaHandles and hcaObjects" },
	{ RES("\"rdma\":{\"mlx5_1\":{\"hcaHandles\":\"3\"}}"), "linux.resources.rdma.mlx5_1.hcaHandles: expected a non-negative integer" },
	{ RES("\"unified\":{\"memory.max\":[]}"), "linux.resources.unified.memory.max: expected a string, got [...]" },
	/* seccomp */
	{ LNX("\"seccomp\":{}"), "linux.seccomp.defaultAction: required field missing" },
	{ LNX("\"seccomp\":{\"defaultAction\":\"SCMP_ACT_MAYBE\"}"), "linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_MAYBE\"" },
	{ SECC("\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_VAX\"]"),
	  "linux.seccomp.architectures[1]: unknown seccomp architecture \"SCMP_ARCH_VAX\"" },
	{ SECC("\"flags\":[\"SECCOMP_FILTER_FLAG_FOO\"]"), "linux.seccomp.flags[0]: unknown seccomp flag" },
	{ SECC("\"defaultErrnoRet\":1"), "linux.seccomp.defaultErrnoRet: not allowed with action SCMP_ACT_ALLOW" },
	{ SECC("\"listenerMetadata\":\"m\""), "linux.seccomp.listenerMetadata: not allowed without listenerPath" },
	{ SECC("\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ERRNO\"}]"), "linux.seccomp.syscalls[0].names: at least one entry is required" },
	{ SECC("\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\"}]"), "linux.seccomp.syscalls[0].names: required field missing" },
	{ SECC("\"syscalls\":[{\"names\":[\"read\"]}]"), "linux.seccomp.syscalls[0].action: required field missing" },
	{ SECC("\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_KILL\",\"errnoRet\":1}]"),
	  "linux.seccomp.syscalls[0].errnoRet: not allowed with action SCMP_ACT_KILL" },
	{ SECC("\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]"),
	  "linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0..5)" },
	{ SECC("\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]"),
	  "linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator \"SCMP_CMP_XX\"" },
	{ SECC("\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}]"),
	  "linux.seccomp.syscalls[0].args[0].value: required field missing" },
	{ SECC("\"syscalls\":[{\"names\":[\"\"],\"action\":\"SCMP_ACT_ALLOW\"}]"), "linux.seccomp.syscalls[0].names[0]: empty syscall name" },
	/* JSON level */
	{ HEAD ",\"hostname\":\"a\",\"hostname\":\"b\"}", "duplicate key \"hostname\"" },
	{ LNX("\"sysctl\":{\"a\":\"1\",\"a\":\"2\"}"), "linux.sysctl: duplicate key \"a\"" },
	{ HEAD ",}", "parse error" },
};

START_TEST(config_bad)
{
	const struct bad_case *bc = &bad_configs[_i];
	rp_err_t err = NULL;
	struct oci_config *c = oci_config_parse(bc->json, strlen(bc->json), &err);

	ck_assert_msg(c == NULL, "accepted: %s", bc->json);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err->msg, bc->want) != NULL, "case %d: error \"%s\" lacks \"%s\"", _i, err->msg, bc->want);
	rp_error_free(&err);
}
END_TEST

/* Values at the edges of each range parse. */
START_TEST(config_edges)
{
	const char *doc = PROC("\"oomScoreAdj\":-1000,\"user\":{\"uid\":4294967295,\"gid\":0,\"umask\":511},"
			       "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_IDLE\",\"priority\":7},"
			       "\"rlimits\":[{\"type\":\"RLIMIT_RTTIME\",\"hard\":18446744073709551615,\"soft\":0}],"
			       "\"capabilities\":{\"bounding\":[]}");
	rp_err_t err = NULL;
	struct oci_config *c = oci_config_parse(doc, strlen(doc), &err);

	ck_assert_msg(c != NULL, "%s", err ? err->msg : "");
	ck_assert_int_eq(c->process->oom_score_adj.value, -1000);
	ck_assert_uint_eq(c->process->user.uid, UINT32_MAX);
	ck_assert_uint_eq(c->process->user.umask.value, 0777);
	ck_assert_int_eq(c->process->io_priority->class, 3);
	ck_assert_int_eq(c->process->rlimits[0].resource, RLIMIT_RTTIME);
	ck_assert(c->process->capabilities->bounding.set);
	ck_assert_uint_eq(c->process->capabilities->bounding.mask, 0);
	ck_assert(!c->process->capabilities->ambient.set);
	oci_config_free(c);

	doc = LNX("\"devices\":[{\"type\":\"c\",\"path\":\"/dev/null\",\"major\":1,\"minor\":3,\"fileMode\":8630}]");
	c = oci_config_parse(doc, strlen(doc), &err);
	ck_assert_msg(c != NULL, "%s", err ? err->msg : "");
	ck_assert_uint_eq(c->linux_cfg->devices[0].file_mode.value, 020666);
	oci_config_free(c);

	/* a huge bad value is not echoed in full */
	_cleanup_free_ char *longpath = rp_xmalloc(10001);
	memset(longpath, 'a', 10000);
	longpath[10000] = '\0';
	_cleanup_free_ char *longdoc = rp_xasprintf(HEAD ",\"process\":{\"args\":[\"sh\"],\"cwd\":\"%s\"}}", longpath);
	ck_assert_ptr_null(oci_config_parse(longdoc, strlen(longdoc), &err));
	ck_assert_uint_lt(strlen(err->msg), 450);
	ck_assert_ptr_nonnull(strstr(err->msg, "process.cwd: \"aaaa"));
	rp_error_free(&err);

	doc = RES("\"memory\":{\"limit\":-9223372036854775808,\"swap\":9223372036854775807},"
		  "\"blockIO\":{\"weight\":65535},\"pids\":{\"limit\":-1},"
		  "\"devices\":[{\"allow\":true}]");
	c = oci_config_parse(doc, strlen(doc), &err);
	ck_assert_msg(c != NULL, "%s", err ? err->msg : "");
	ck_assert_int_eq(c->linux_cfg->resources->memory->limit.value, INT64_MIN);
	ck_assert_int_eq(c->linux_cfg->resources->memory->swap.value, INT64_MAX);
	ck_assert_int_eq(c->linux_cfg->resources->pids->limit, -1);
	ck_assert_int_eq(c->linux_cfg->resources->devices[0].type, 'a');
	ck_assert_ptr_null(c->linux_cfg->resources->devices[0].access);
	oci_config_free(c);
}
END_TEST

/* ---------------------------------------------- standalone documents */

START_TEST(process_parse)
{
	rp_err_t err = NULL;
	const char *doc = "{\"args\":[\"/bin/true\"],\"cwd\":\"/\",\"env\":[\"A=b\"],\"user\":{\"uid\":1,\"gid\":2},"
			  "\"capabilities\":{\"effective\":[\"CAP_SYS_ADMIN\"]},\"terminal\":false}";
	struct oci_process *p = oci_process_parse(doc, strlen(doc), &err);

	ck_assert_msg(p != NULL, "%s", err ? err->msg : "");
	STRV(&p->args, "/bin/true");
	ck_assert_uint_eq(p->user.gid, 2);
	ck_assert_uint_eq(p->capabilities->effective.mask, 1ULL << 21);
	oci_process_free(p);

	/* paths in a standalone document start at its own root */
	doc = "{\"args\":[\"x\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_X\",\"hard\":1,\"soft\":1}]}";
	ck_assert_ptr_null(oci_process_parse(doc, strlen(doc), &err));
	ck_assert_str_eq(err->msg, "rlimits[0].type: unknown rlimit \"RLIMIT_X\"");
	rp_error_free(&err);
	ck_assert_ptr_null(oci_process_parse("{\"args\":[\"x\"]}", 14, &err));
	ck_assert_str_eq(err->msg, "cwd: required field missing");
	rp_error_free(&err);
	ck_assert_ptr_null(oci_process_parse("[1]", 3, &err));
	ck_assert_str_eq(err->msg, "expected an object, got [...]");
	rp_error_free(&err);
	ck_assert_ptr_null(oci_process_parse("{", 1, &err));
	ck_assert_ptr_nonnull(strstr(err->msg, "parse error"));
	rp_error_free(&err);
}
END_TEST

START_TEST(resources_parse)
{
	rp_err_t err = NULL;
	const char *doc = "{\"memory\":{\"limit\":1048576},\"pids\":{\"limit\":10},\"cpu\":{\"quota\":-1}}";
	struct oci_resources *r = oci_resources_parse(doc, strlen(doc), &err);

	ck_assert_msg(r != NULL, "%s", err ? err->msg : "");
	ck_assert_int_eq(r->memory->limit.value, 1048576);
	ck_assert(!r->memory->swap.set);
	ck_assert_int_eq(r->pids->limit, 10);
	ck_assert_int_eq(r->cpu->quota.value, -1);
	ck_assert_ptr_null(r->block_io);
	oci_resources_free(r);

	doc = "{\"memory\":{\"limit\":\"1g\"}}";
	ck_assert_ptr_null(oci_resources_parse(doc, strlen(doc), &err));
	ck_assert_str_eq(err->msg, "memory.limit: expected an integer, got \"1g\"");
	rp_error_free(&err);

	/* an empty update is valid and changes nothing */
	r = oci_resources_parse("{}", 2, &err);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_null(r->memory);
	oci_resources_free(r);
}
END_TEST

START_TEST(seccomp_parse)
{
	size_t len;
	_cleanup_free_ char *buf = read_fixture("seccomp.json", &len);
	rp_err_t err = NULL;
	struct oci_seccomp *s = oci_seccomp_parse(buf, len, &err);

	ck_assert_msg(s != NULL, "%s", err ? err->msg : "");
	ck_assert_int_eq(s->default_action, OCI_SECCOMP_ERRNO);
	ck_assert_uint_eq(s->n_syscalls, 3);
	ck_assert_int_eq(s->syscalls[2].action, OCI_SECCOMP_TRACE);
	ck_assert_uint_eq(s->syscalls[2].errno_ret.value, 38);
	ck_assert_uint_eq(s->syscalls[1].args[0].value, 0x7E020000);
	oci_seccomp_free(s);

	const char *doc = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"x\"],\"action\":\"bad\"}]}";
	ck_assert_ptr_null(oci_seccomp_parse(doc, strlen(doc), &err));
	ck_assert_str_eq(err->msg, "syscalls[0].action: unknown seccomp action \"bad\"");
	rp_error_free(&err);
}
END_TEST

/* ------------------------------------------------------------ names */

START_TEST(name_tables)
{
	ck_assert_int_eq(oci_cap_from_name("CAP_CHOWN"), 0);
	ck_assert_int_eq(oci_cap_from_name("CAP_SYS_ADMIN"), 21);
	ck_assert_int_eq(oci_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40);
	ck_assert_int_eq(oci_cap_from_name("SYS_ADMIN"), -1);
	ck_assert_int_eq(oci_cap_from_name("cap_sys_admin"), -1);
	ck_assert_int_eq(oci_cap_from_name(""), -1);
	for (int i = 0; i <= 40; i++)
		ck_assert_int_eq(oci_cap_from_name(oci_cap_name(i)), i);
	ck_assert_ptr_null(oci_cap_name(41));
	ck_assert_ptr_null(oci_cap_name(-1));
	ck_assert_str_eq(oci_cap_name(38), "CAP_PERFMON");

	ck_assert_str_eq(oci_ns_name(OCI_NS_NETWORK), "network");
	ck_assert_str_eq(oci_ns_name(OCI_NS_MOUNT), "mount");
	ck_assert_int_eq(oci_ns_clone_flag(OCI_NS_PID), CLONE_NEWPID);
	ck_assert_int_eq(oci_ns_clone_flag(OCI_NS_MOUNT), CLONE_NEWNS);
	ck_assert_int_eq(oci_ns_clone_flag(OCI_NS_USER), CLONE_NEWUSER);
	ck_assert_int_eq(oci_ns_clone_flag(OCI_NS_TIME), 0x80);
	for (int t = 0; t < OCI_NS__COUNT; t++) {
		ck_assert_ptr_nonnull(oci_ns_name((enum oci_ns_type)t));
		ck_assert_int_ne(oci_ns_clone_flag((enum oci_ns_type)t), 0);
	}
	ck_assert_str_eq(oci_seccomp_action_name(OCI_SECCOMP_ERRNO), "SCMP_ACT_ERRNO");
	ck_assert_str_eq(oci_seccomp_action_name(OCI_SECCOMP_NOTIFY), "SCMP_ACT_NOTIFY");
	ck_assert_str_eq(oci_seccomp_action_name(OCI_SECCOMP_KILL), "SCMP_ACT_KILL");
}
END_TEST

/* ---------------------------------------------------------- bundles */

START_TEST(load_bundle)
{
	char dir[] = "/tmp/rampart-test-bundle-XXXXXX";
	rp_err_t err = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	_cleanup_free_ char *path = rp_xasprintf("%s/config.json", dir);

	struct oci_config *c = oci_config_load_bundle(dir, &err);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err->msg, path) != NULL, "%s", err->msg);
	ck_assert_msg(strstr(err->msg, "No such file or directory") != NULL, "%s", err->msg);
	rp_error_free(&err);

	const char *bad = "{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"r\"},\"linux\":{\"namespaces\":[{\"type\":\"x\"}]}}";
	ck_assert_int_eq(rp_write_file_atomic(path, bad, strlen(bad), 0644, &err), 0);
	c = oci_config_load_bundle(dir, &err);
	ck_assert_ptr_null(c);
	_cleanup_free_ char *want = rp_xasprintf("%s: linux.namespaces[0].type: unknown namespace type \"x\"", path);
	ck_assert_str_eq(err->msg, want);
	rp_error_free(&err);

	size_t len;
	_cleanup_free_ char *full = read_fixture("full.json", &len);
	ck_assert_int_eq(rp_write_file_atomic(path, full, len, 0644, &err), 0);
	c = oci_config_load_bundle(dir, &err);
	ck_assert_msg(c != NULL, "%s", err ? err->msg : "");
	ck_assert_str_eq(c->hostname, "box");
	oci_config_free(c);

	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("json");

	tcase_add_test(tc, json_integers);
	tcase_add_test(tc, json_doubles_and_text);
	tcase_add_test(tc, json_accessors);
	tcase_add_test(tc, json_syntax_errors);
	tcase_add_test(tc, json_limits);
	tcase_add_test(tc, json_files);
	tcase_add_test(tc, json_writer_basic);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, config_full_values);
	tcase_add_test(tc, config_round_trip);
	tcase_add_test(tc, config_write_from_code);
	tcase_add_test(tc, config_minimal_and_nulls);
	tcase_add_test(tc, config_versions);
	tcase_add_loop_test(tc, config_bad, 0, (int)ARRAY_SIZE(bad_configs));
	tcase_add_test(tc, config_edges);
	tcase_add_test(tc, process_parse);
	tcase_add_test(tc, resources_parse);
	tcase_add_test(tc, seccomp_parse);
	tcase_add_test(tc, name_tables);
	tcase_add_test(tc, load_bundle);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
