/* rampart: the one module that knows which JSON library we use (yajl 2).
 * Everything else reads JSON through the tree accessors and writes it through
 * the writer, so replacing yajl means rewriting json.c and nothing more. */
#ifndef RAMPART_JSON_H
#define RAMPART_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* ---- reading: a parsed, immutable tree ---- */

typedef struct yajl_val_s json_value; /* opaque outside json.c */

/* The JSON library's version at run time, "2.1.0". */
const char *json_library_version(void);

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_OBJECT, JSON_ARRAY };

/* Parse a whole document.  On a syntax error *err says where ("line 3: ...").
 * Documents larger than JSON_MAX_DOCUMENT are refused. */
#define JSON_MAX_DOCUMENT (16u << 20)
json_value *json_parse(const char *buf, size_t len, rp_err_t *err);
json_value *json_parse_file(const char *path, rp_err_t *err);
json_value *json_parse_fd(int fd, const char *what, rp_err_t *err);
void json_free(json_value *v);

enum json_type json_typeof(const json_value *v);
const char *json_type_name(const json_value *v); /* "an object", "a string", ... for messages */

size_t json_object_len(const json_value *v);
const char *json_object_key(const json_value *v, size_t i);
json_value *json_object_value(const json_value *v, size_t i);
json_value *json_object_get(const json_value *v, const char *key); /* NULL when absent */

size_t json_array_len(const json_value *v);
json_value *json_array_get(const json_value *v, size_t i);

const char *json_string(const json_value *v); /* NULL unless a string */
bool json_bool(const json_value *v);
/* Numbers: exact integer conversion; false when not an integer or out of range. */
bool json_to_i64(const json_value *v, int64_t *out);
bool json_to_u64(const json_value *v, uint64_t *out);
bool json_to_double(const json_value *v, double *out);
const char *json_number_text(const json_value *v); /* the literal as written */

/* A short rendering of a value for error messages: "\"64M\"", "true", "{...}". */
void json_describe(const json_value *v, char *buf, size_t len);

/* ---- writing ---- */

typedef struct json_writer json_writer;

json_writer *json_writer_new(bool pretty);
void json_writer_free(json_writer *w);
void json_w_object_begin(json_writer *w);
void json_w_object_end(json_writer *w);
void json_w_array_begin(json_writer *w);
void json_w_array_end(json_writer *w);
void json_w_key(json_writer *w, const char *key);
void json_w_string(json_writer *w, const char *s); /* NULL writes null */
void json_w_int(json_writer *w, int64_t n);
void json_w_uint(json_writer *w, uint64_t n);
void json_w_double(json_writer *w, double d);
void json_w_bool(json_writer *w, bool b);
void json_w_null(json_writer *w);
/* Copy a parsed value into the output as is. */
void json_w_value(json_writer *w, const json_value *v);
/* The document so far; valid until the writer is freed.  NULL after an
 * error (unbalanced calls, invalid UTF-8). */
const char *json_writer_buf(json_writer *w, size_t *len);

/* Convenience: key + value. */
void json_w_kv_string(json_writer *w, const char *key, const char *s);
void json_w_kv_int(json_writer *w, const char *key, int64_t n);
void json_w_kv_uint(json_writer *w, const char *key, uint64_t n);
void json_w_kv_bool(json_writer *w, const char *key, bool b);

#endif
