/* rampart: libFuzzer harness for the JSON layer and the OCI config parser.
 *
 * Every input goes through each document parser (config, exec process,
 * update resources, seccomp profile).  Besides memory errors (ASan) and
 * undefined behaviour (UBSan), it checks one property: a config that parses
 * is written back as JSON that parses again and writes the same text, i.e.
 * `rampart spec`-style output never loses or invents a field. */
#include "config-host.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "oci-config.h"

static char *write_config(const struct oci_config *c, size_t *len)
{
	json_writer *w = json_writer_new(false);
	const char *buf;
	char *out;

	oci_config_write(w, c);
	buf = json_writer_buf(w, len);
	if (!buf) {
		fprintf(stderr, "oci_config_write produced no document\n");
		abort();
	}
	out = malloc(*len + 1);
	if (!out)
		abort();
	memcpy(out, buf, *len);
	out[*len] = '\0';
	json_writer_free(w);
	return out;
}

static void check_config(const char *data, size_t size)
{
	rp_err_t err = NULL;
	struct oci_config *c = oci_config_parse(data, size, &err);
	size_t len1, len2;

	if (!c) {
		/* every failure must explain itself */
		if (!err || !err->msg || !*err->msg)
			abort();
		rp_error_free(&err);
		return;
	}
	char *first = write_config(c, &len1);
	struct oci_config *again = oci_config_parse(first, len1, &err);
	if (!again) {
		fprintf(stderr, "written config does not parse: %s\n%s\n", err->msg, first);
		abort();
	}
	char *second = write_config(again, &len2);
	if (len1 != len2 || memcmp(first, second, len1) != 0) {
		fprintf(stderr, "round trip changed the config:\n%s\n%s\n", first, second);
		abort();
	}
	(void)oci_config_namespace(c, OCI_NS_USER);
	free(first);
	free(second);
	oci_config_free(again);
	oci_config_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	rp_err_t err = NULL;

	check_config(buf, size);

	struct oci_process *p = oci_process_parse(buf, size, &err);
	oci_process_free(p);
	rp_error_free(&err);

	struct oci_resources *r = oci_resources_parse(buf, size, &err);
	oci_resources_free(r);
	rp_error_free(&err);

	struct oci_seccomp *s = oci_seccomp_parse(buf, size, &err);
	oci_seccomp_free(s);
	rp_error_free(&err);

	/* the generic tree walk and writer on arbitrary documents */
	json_value *v = json_parse(buf, size, &err);
	if (v) {
		char desc[32];
		json_writer *w = json_writer_new(true);
		json_w_value(w, v);
		if (!json_writer_buf(w, NULL))
			abort();
		json_writer_free(w);
		json_describe(v, desc, sizeof(desc));
		json_free(v);
	}
	rp_error_free(&err);
	return 0;
}
