/* rampart: JSON reading and writing on top of yajl 2 (see json.h).
 *
 * yajl_tree does the parsing, but it is more permissive than we want for
 * hostile input: it accepts comments, it silently truncates strings at an
 * escaped NUL, it keeps the last of duplicate keys, and both its builder and
 * its free function recurse once per nesting level.  So every document is
 * first checked by a small scanner (nesting depth, comments, "\u0000"), and
 * the tree is then checked for duplicate keys. */
#include "config-host.h"
#include "json.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>
#include <yajl/yajl_version.h>

#include "cleanup.h"
#include "utils.h"

/* No OCI document comes close; the limit keeps yajl's recursion bounded. */
#define JSON_MAX_DEPTH 128

/* The yajl this binary runs with, "2.1.0" (--version). */
const char *json_library_version(void)
{
	static char buf[32];
	int v = yajl_version();

	snprintf(buf, sizeof(buf), "%d.%d.%d", v / 10000, v / 100 % 100, v % 100);
	return buf;
}

/* ------------------------------------------------------------- parsing */

static void offset_to_line(const char *buf, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Reject what yajl_tree would accept or mangle (see the top of the file). */
static int prescan(const char *buf, size_t len, rp_err_t *err)
{
	bool in_string = false;
	unsigned depth = 0;
	size_t line, col;

	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\0') {
			offset_to_line(buf, i, &line, &col);
			return rp_error(err, 0, "line %zu, column %zu: NUL byte in document", line, col);
		}
		if (in_string) {
			if (c == '\\' && i + 1 < len) {
				if (buf[i + 1] == 'u' && len - i >= 6 && memcmp(buf + i + 2, "0000", 4) == 0) {
					offset_to_line(buf, i, &line, &col);
					return rp_error(err, 0, "line %zu, column %zu: string contains a NUL character (\\u0000)",
							line, col);
				}
				i++;
			} else if (c == '"') {
				in_string = false;
			}
			continue;
		}
		switch (c) {
		case '"':
			in_string = true;
			break;
		case '[':
		case '{':
			if (++depth > JSON_MAX_DEPTH) {
				offset_to_line(buf, i, &line, &col);
				return rp_error(err, 0, "line %zu, column %zu: nesting deeper than %d levels",
						line, col, JSON_MAX_DEPTH);
			}
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case '/':
			offset_to_line(buf, i, &line, &col);
			return rp_error(err, 0, "line %zu, column %zu: comments are not JSON", line, col);
		}
	}
	return 0;
}

/* yajl_tree does not say where a syntax error is; run the plain parser over
 * the document again to find the offset, and keep yajl's own wording. */
static int syntax_error(const char *buf, size_t len, const char *tree_msg, rp_err_t *err)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	size_t line = 0, col = 0;
	_cleanup_free_ char *msg = NULL;

	if (h) {
		yajl_status st = yajl_parse(h, (const unsigned char *)buf, len);
		if (st == yajl_status_ok)
			st = yajl_complete_parse(h);
		if (st != yajl_status_ok) {
			unsigned char *m = yajl_get_error(h, 0, (const unsigned char *)buf, len);
			size_t off = yajl_get_bytes_consumed(h);
			/* the count includes the offending byte */
			if (off > len)
				off = len;
			offset_to_line(buf, off ? off - 1 : 0, &line, &col);
			if (m) {
				msg = rp_xstrdup((char *)m);
				yajl_free_error(h, m);
			}
		}
		yajl_free(h);
	}
	if (!msg)
		msg = rp_xstrdup(tree_msg && *tree_msg ? tree_msg : "parse error");
	msg[strcspn(msg, "\n")] = '\0';
	if (line)
		return rp_error(err, 0, "line %zu, column %zu: %s", line, col, msg);
	return rp_error(err, 0, "%s", msg);
}

static int keycmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Where check_duplicates is, for the message; rendered only on error. */
struct dup_path {
	const struct dup_path *up;
	const char *key; /* NULL: array element idx */
	size_t idx;
};

static void dup_path_render(const struct dup_path *p, char *buf, size_t len, size_t *pos)
{
	int n;

	if (!p)
		return;
	dup_path_render(p->up, buf, len, pos);
	if (*pos >= len)
		return;
	if (p->key)
		n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "." : "", p->key);
	else
		n = snprintf(buf + *pos, len - *pos, "[%zu]", p->idx);
	if (n > 0)
		*pos += (size_t)n;
}

/* Objects with repeated keys are ambiguous (which one wins depends on the
 * reader), so they are refused.  Sorting keeps this O(n log n). */
static int check_duplicates(const json_value *v, const struct dup_path *path, rp_err_t *err)
{
	if (YAJL_IS_ARRAY(v)) {
		for (size_t i = 0; i < v->u.array.len; i++) {
			const json_value *c = v->u.array.values[i];
			struct dup_path sub = { path, NULL, i };
			if ((YAJL_IS_OBJECT(c) || YAJL_IS_ARRAY(c)) && check_duplicates(c, &sub, err) < 0)
				return -1;
		}
		return 0;
	}
	if (!YAJL_IS_OBJECT(v))
		return 0;

	size_t n = v->u.object.len;
	if (n > 1) {
		_cleanup_free_ const char **keys = rp_xmalloc(n * sizeof(*keys));
		memcpy(keys, v->u.object.keys, n * sizeof(*keys));
		qsort(keys, n, sizeof(*keys), keycmp);
		for (size_t i = 1; i < n; i++) {
			if (strcmp(keys[i - 1], keys[i]) == 0) {
				char where[256] = "";
				size_t pos = 0;
				dup_path_render(path, where, sizeof(where), &pos);
				return rp_error(err, 0, "%s%sduplicate key \"%.200s\"", where, *where ? ": " : "", keys[i]);
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const json_value *c = v->u.object.values[i];
		struct dup_path sub = { path, v->u.object.keys[i], 0 };
		if ((YAJL_IS_OBJECT(c) || YAJL_IS_ARRAY(c)) && check_duplicates(c, &sub, err) < 0)
			return -1;
	}
	return 0;
}

json_value *json_parse(const char *buf, size_t len, rp_err_t *err)
{
	char errbuf[256] = "";

	if (len > JSON_MAX_DOCUMENT) {
		rp_error(err, EFBIG, "document of %zu bytes exceeds the limit of %u bytes", len, JSON_MAX_DOCUMENT);
		return NULL;
	}
	if (prescan(buf, len, err) < 0)
		return NULL;

	/* yajl_tree_parse wants a NUL-terminated string */
	_cleanup_free_ char *copy = rp_xmalloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';

	json_value *v = yajl_tree_parse(copy, errbuf, sizeof(errbuf));
	if (!v) {
		syntax_error(buf, len, errbuf, err);
		return NULL;
	}
	if (check_duplicates(v, NULL, err) < 0) {
		yajl_tree_free(v);
		return NULL;
	}
	return v;
}

json_value *json_parse_fd(int fd, const char *what, rp_err_t *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0, len = 0;

	for (;;) {
		if (len == cap) {
			if (cap > JSON_MAX_DOCUMENT) {
				rp_error(err, EFBIG, "%s: larger than the limit of %u bytes", what, JSON_MAX_DOCUMENT);
				return NULL;
			}
			/* one byte past the limit is enough to know it is too big */
			cap = cap ? cap * 2 : 8192;
			if (cap > JSON_MAX_DOCUMENT + 1)
				cap = JSON_MAX_DOCUMENT + 1;
			buf = rp_xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rp_error(err, errno, "read %s", what);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	json_value *v = json_parse(buf, len, err);
	if (!v)
		rp_error_prefix(err, "%s", what);
	return v;
}

json_value *json_parse_file(const char *path, rp_err_t *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		rp_error(err, errno, "open %s", path);
		return NULL;
	}
	return json_parse_fd(fd, path, err);
}

void json_free(json_value *v)
{
	if (v)
		yajl_tree_free(v);
}

/* ----------------------------------------------------------- accessors */

enum json_type json_typeof(const json_value *v)
{
	if (!v)
		return JSON_NULL;
	switch (v->type) {
	case yajl_t_string: return JSON_STRING;
	case yajl_t_number: return JSON_NUMBER;
	case yajl_t_object: return JSON_OBJECT;
	case yajl_t_array: return JSON_ARRAY;
	case yajl_t_true:
	case yajl_t_false: return JSON_BOOL;
	default: return JSON_NULL;
	}
}

const char *json_type_name(const json_value *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "a string";
	case JSON_NUMBER: return "a number";
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_BOOL: return "a boolean";
	default: return "null";
	}
}

size_t json_object_len(const json_value *v)
{
	return YAJL_IS_OBJECT(v) ? v->u.object.len : 0;
}

const char *json_object_key(const json_value *v, size_t i)
{
	return YAJL_IS_OBJECT(v) && i < v->u.object.len ? v->u.object.keys[i] : NULL;
}

json_value *json_object_value(const json_value *v, size_t i)
{
	return YAJL_IS_OBJECT(v) && i < v->u.object.len ? v->u.object.values[i] : NULL;
}

json_value *json_object_get(const json_value *v, const char *key)
{
	if (!YAJL_IS_OBJECT(v))
		return NULL;
	for (size_t i = 0; i < v->u.object.len; i++)
		if (strcmp(v->u.object.keys[i], key) == 0)
			return v->u.object.values[i];
	return NULL;
}

size_t json_array_len(const json_value *v)
{
	return YAJL_IS_ARRAY(v) ? v->u.array.len : 0;
}

json_value *json_array_get(const json_value *v, size_t i)
{
	return YAJL_IS_ARRAY(v) && i < v->u.array.len ? v->u.array.values[i] : NULL;
}

const char *json_string(const json_value *v)
{
	return YAJL_IS_STRING(v) ? v->u.string : NULL;
}

bool json_bool(const json_value *v)
{
	return YAJL_IS_TRUE(v);
}

const char *json_number_text(const json_value *v)
{
	return YAJL_IS_NUMBER(v) ? v->u.number.r : NULL;
}

/* An integer literal: optional '-', digits, nothing else (JSON's grammar
 * already excludes leading zeros and '+'). */
static bool is_integer_text(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

bool json_to_i64(const json_value *v, int64_t *out)
{
	const char *s = json_number_text(v);
	char *end;

	if (!s || !is_integer_text(s))
		return false;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

/* yajl marks values above INT64_MAX as not integers; read the text. */
bool json_to_u64(const json_value *v, uint64_t *out)
{
	const char *s = json_number_text(v);
	char *end;

	if (!s || !is_integer_text(s) || *s == '-')
		return false;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

bool json_to_double(const json_value *v, double *out)
{
	const char *s = json_number_text(v);
	char *end;

	if (!s)
		return false;
	errno = 0;
	double d = strtod(s, &end);
	if (errno || *end)
		return false;
	*out = d;
	return true;
}

void json_describe(const json_value *v, char *buf, size_t len)
{
	if (len == 0)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = v->u.string;
		size_t n = strlen(s), room = len > 3 ? len - 3 : 0; /* quotes + NUL */
		if (n <= room) {
			snprintf(buf, len, "\"%s\"", s);
		} else {
			/* truncated strings end in "..." so the reader sees it */
			int keep = room > 3 ? (int)(room - 3) : 0;
			snprintf(buf, len, "\"%.*s...", keep, s);
		}
		break;
	}
	case JSON_NUMBER:
		snprintf(buf, len, "%s", v->u.number.r);
		break;
	case JSON_OBJECT:
		snprintf(buf, len, "{...}");
		break;
	case JSON_ARRAY:
		snprintf(buf, len, "[...]");
		break;
	case JSON_BOOL:
		snprintf(buf, len, "%s", YAJL_IS_TRUE(v) ? "true" : "false");
		break;
	default:
		snprintf(buf, len, "null");
		break;
	}
}

/* ------------------------------------------------------------- writing */

struct json_writer {
	yajl_gen g;
	bool failed;
	int depth;
};

json_writer *json_writer_new(bool pretty)
{
	json_writer *w = rp_xcalloc(1, sizeof(*w));

	w->g = yajl_gen_alloc(NULL);
	if (!w->g)
		abort();
	yajl_gen_config(w->g, yajl_gen_validate_utf8, 1);
	if (pretty) {
		yajl_gen_config(w->g, yajl_gen_beautify, 1);
		yajl_gen_config(w->g, yajl_gen_indent_string, "\t");
	}
	return w;
}

void json_writer_free(json_writer *w)
{
	if (!w)
		return;
	yajl_gen_free(w->g);
	free(w);
}

static void check(json_writer *w, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok)
		w->failed = true;
}

void json_w_object_begin(json_writer *w)
{
	w->depth++;
	check(w, yajl_gen_map_open(w->g));
}

void json_w_object_end(json_writer *w)
{
	w->depth--;
	check(w, yajl_gen_map_close(w->g));
}

void json_w_array_begin(json_writer *w)
{
	w->depth++;
	check(w, yajl_gen_array_open(w->g));
}

void json_w_array_end(json_writer *w)
{
	w->depth--;
	check(w, yajl_gen_array_close(w->g));
}

void json_w_string(json_writer *w, const char *s)
{
	if (!s) {
		json_w_null(w);
		return;
	}
	check(w, yajl_gen_string(w->g, (const unsigned char *)s, strlen(s)));
}

void json_w_key(json_writer *w, const char *key)
{
	json_w_string(w, key);
}

void json_w_int(json_writer *w, int64_t n)
{
	check(w, yajl_gen_integer(w->g, n));
}

/* yajl_gen_integer takes a long long; large unsigned values go in as text. */
void json_w_uint(json_writer *w, uint64_t n)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%" PRIu64, n);

	check(w, yajl_gen_number(w->g, buf, (size_t)len));
}

void json_w_double(json_writer *w, double d)
{
	check(w, yajl_gen_double(w->g, d));
}

void json_w_bool(json_writer *w, bool b)
{
	check(w, yajl_gen_bool(w->g, b));
}

void json_w_null(json_writer *w)
{
	check(w, yajl_gen_null(w->g));
}

void json_w_value(json_writer *w, const json_value *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		json_w_string(w, v->u.string);
		break;
	case JSON_NUMBER:
		check(w, yajl_gen_number(w->g, v->u.number.r, strlen(v->u.number.r)));
		break;
	case JSON_BOOL:
		json_w_bool(w, YAJL_IS_TRUE(v));
		break;
	case JSON_OBJECT:
		json_w_object_begin(w);
		for (size_t i = 0; i < v->u.object.len; i++) {
			json_w_key(w, v->u.object.keys[i]);
			json_w_value(w, v->u.object.values[i]);
		}
		json_w_object_end(w);
		break;
	case JSON_ARRAY:
		json_w_array_begin(w);
		for (size_t i = 0; i < v->u.array.len; i++)
			json_w_value(w, v->u.array.values[i]);
		json_w_array_end(w);
		break;
	default:
		json_w_null(w);
		break;
	}
}

const char *json_writer_buf(json_writer *w, size_t *len)
{
	const unsigned char *buf;
	size_t n;

	if (w->failed || w->depth != 0)
		return NULL;
	if (yajl_gen_get_buf(w->g, &buf, &n) != yajl_gen_status_ok)
		return NULL;
	if (len)
		*len = n;
	return (const char *)buf;
}

void json_w_kv_string(json_writer *w, const char *key, const char *s)
{
	json_w_key(w, key);
	json_w_string(w, s);
}

void json_w_kv_int(json_writer *w, const char *key, int64_t n)
{
	json_w_key(w, key);
	json_w_int(w, n);
}

void json_w_kv_uint(json_writer *w, const char *key, uint64_t n)
{
	json_w_key(w, key);
	json_w_uint(w, n);
}

void json_w_kv_bool(json_writer *w, const char *key, bool b)
{
	json_w_key(w, key);
	json_w_bool(w, b);
}
