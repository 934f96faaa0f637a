/* rampart CLI option parsing.
 *
 * Callers of an OCI runtime are written in Go and speak the dialect of Go's
 * flag package as runc extended it: long options with one or two dashes,
 * values either attached with '=' or in the next argument, booleans that
 * never take the next argument but accept "=true"/"=false", and options
 * placed after positional arguments.  Anything that looks like an option
 * and is not in the table is an error that names it, so a typo never
 * silently becomes a container id. */
#include "config-host.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cleanup.h"
#include "log.h"
#include "utils.h"

static bool opt_end(const struct cli_option *o)
{
	return o->name == NULL && o->short_name == 0;
}

static const struct cli_option *find_long(const struct cli_option *opts, const char *name, size_t len)
{
	for (const struct cli_option *o = opts; o && !opt_end(o); o++)
		if (o->name && strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static const struct cli_option *find_short(const struct cli_option *opts, char c)
{
	for (const struct cli_option *o = opts; o && !opt_end(o); o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "1", "t", "TRUE", "True", "T" };
	static const char *const no[] = { "false", "0", "f", "FALSE", "False", "F" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, 0;
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, 0;
	return -1;
}

static void list_append(struct cli_list *l, const char *s)
{
	l->v = rp_xrealloc(l->v, (l->n + 2) * sizeof(*l->v));
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

/* Store one value.  `shown` is the option as the user spelled it, for
 * messages; value is NULL for a flag given without "=". */
static int set_option(const char *cmd, const struct cli_option *o, const char *shown,
		      const char *value, rp_err_t *err)
{
	int64_t n;

	switch (o->kind) {
	case CLI_FLAG:
		if (!value) {
			*(bool *)o->target = true;
			return 0;
		}
		if (parse_bool(value, (bool *)o->target) < 0)
			return rp_error(err, 0, "%s: option %s: invalid boolean value \"%s\" (use true or false)",
					cmd, shown, value);
		return 0;
	case CLI_STRING:
		*(const char **)o->target = value;
		return 0;
	case CLI_INT:
		if (!rp_parse_i64(value, &n) || n < INT_MIN || n > INT_MAX)
			return rp_error(err, 0, "%s: option %s: invalid integer \"%s\"", cmd, shown, value);
		*(int *)o->target = (int)n;
		return 0;
	case CLI_STRING_LIST:
		list_append(o->target, value);
		return 0;
	}
	return rp_error(err, 0, "%s: option %s: unknown option kind", cmd, shown);
}

/* "-dt": a cluster of single-letter boolean flags, as some callers write. */
static bool set_short_cluster(const struct cli_option *opts, const char *letters)
{
	for (const char *c = letters; *c; c++) {
		const struct cli_option *o = find_short(opts, *c);
		if (!o || o->kind != CLI_FLAG)
			return false;
	}
	for (const char *c = letters; *c; c++)
		*(bool *)find_short(opts, *c)->target = true;
	return true;
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0 || strcmp(arg, "-help") == 0 ||
	       strcmp(arg, "--help=true") == 0;
}

/* Handle argv[*i], which starts with '-' and is not "-" or "--". */
static int parse_one(int argc, char **argv, int *i, const struct cli_option *opts, rp_err_t *err)
{
	const char *cmd = argv[0];
	const char *arg = argv[*i];
	const char *name = arg + (arg[1] == '-' ? 2 : 1);
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const char *value = eq ? eq + 1 : NULL;
	const struct cli_option *o = NULL;

	/* A single letter after one dash is a short alias first ("-d"), and a
	 * long option with a one-letter name otherwise. */
	if (arg[1] != '-' && len == 1)
		o = find_short(opts, name[0]);
	if (!o)
		o = find_long(opts, name, len);
	if (!o && arg[1] != '-' && !eq && set_short_cluster(opts, name))
		return 0;
	if (!o) {
		_cleanup_free_ char *shown = rp_xstrdup(arg);
		shown[eq ? (size_t)(eq - arg) : strlen(arg)] = '\0';
		if (strcmp(cmd, "rampart") == 0)
			return rp_error(err, 0, "unknown global option '%s' (see 'rampart --help')", shown);
		return rp_error(err, 0, "%s: unknown option '%s' (see 'rampart %s --help')", cmd, shown, cmd);
	}

	_cleanup_free_ char *shown = rp_xasprintf("%.*s", (int)(name - arg + len), arg);
	if (o->kind != CLI_FLAG && !value) {
		if (*i + 1 >= argc)
			return rp_error(err, 0, "%s: option %s needs a value", cmd, shown);
		value = argv[++*i];
	}
	return set_option(cmd, o, shown, value, err);
}

int cli_parse_ex(int argc, char **argv, const struct cli_option *opts, const char *usage,
		 const char *description, unsigned mode, char ***pos, int *npos, rp_err_t *err)
{
	_cleanup_free_ char **out = rp_xcalloc((size_t)argc + 1, sizeof(*out));
	int n = 0;
	bool options_done = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			out[n++] = argv[i];
			if (mode & CLI_STOP_AT_POSITIONAL)
				options_done = true;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (is_help(arg)) {
			cli_usage(stdout, usage, description, opts);
			exit(0);
		}
		if (parse_one(argc, argv, &i, opts, err) < 0)
			return -1;
	}
	out[n] = NULL;
	*npos = n;
	*pos = take_ptr(out);
	return 0;
}

int cli_parse(int argc, char **argv, const struct cli_option *opts, const char *usage,
	      const char *description, char ***pos, int *npos, rp_err_t *err)
{
	return cli_parse_ex(argc, argv, opts, usage, description, CLI_INTERLEAVED, pos, npos, err);
}

void cli_usage(FILE *f, const char *usage, const char *description, const struct cli_option *opts)
{
	fprintf(f, "Usage: rampart %s\n", usage ? usage : "");
	if (description && *description)
		fprintf(f, "\n%s\n", description);
	if (!opts || opt_end(opts))
		return;
	fputs("\nOptions:\n", f);
	for (const struct cli_option *o = opts; !opt_end(o); o++) {
		char lhs[64];
		const char *meta = o->kind == CLI_FLAG ? "" : (o->metavar ? o->metavar : "VALUE");

		if (o->short_name && o->name)
			snprintf(lhs, sizeof(lhs), "-%c, --%s%s%s", o->short_name, o->name, *meta ? " " : "", meta);
		else if (o->name)
			snprintf(lhs, sizeof(lhs), "    --%s%s%s", o->name, *meta ? " " : "", meta);
		else
			snprintf(lhs, sizeof(lhs), "-%c%s%s", o->short_name, *meta ? " " : "", meta);
		if (strlen(lhs) > 28)
			fprintf(f, "  %s\n  %-28s %s\n", lhs, "", o->help ? o->help : "");
		else
			fprintf(f, "  %-28s %s\n", lhs, o->help ? o->help : "");
	}
	fputs("  -h, --help                   show this help\n", f);
}

int cli_fail(rp_err_t *err)
{
	if (err && *err)
		rp_log_err(*err);
	else
		rp_log_error("unknown error");
	rp_error_free(err);
	return 1;
}
