/* rampart list: the containers under --root, as runc's table (ID PID STATUS
 * BUNDLE CREATED OWNER), as a JSON array (--format json), or ids only
 * (--quiet).  Each entry is refreshed from the kernel; a container deleted
 * while we read the directory is simply not listed. */
#include "config-host.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "log.h"
#include "state.h"
#include "utils.h"

/* runc's table: every column at least 12 wide, 3 spaces of padding. */
#define COL_MIN 12
#define COL_PAD 3

enum { COL_ID, COL_PID, COL_STATUS, COL_BUNDLE, COL_CREATED, COL_OWNER, NCOLS };
static const char *const headers[NCOLS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };

struct row { char *cell[NCOLS]; };

/* runc reports the owner of the state directory by name. */
static char *owner_of(const char *root, const struct rp_state *st)
{
	_cleanup_free_ char *dir = rp_state_dir(root, st->id);
	struct passwd *pw;
	struct stat sb;

	if (st->owner && *st->owner)
		return rp_xstrdup(st->owner);
	if (stat(dir, &sb) < 0)
		return rp_xstrdup("");
	pw = getpwuid(sb.st_uid);
	return pw ? rp_xstrdup(pw->pw_name) : rp_xasprintf("#%u", (unsigned)sb.st_uid);
}

static void print_row(const char *const cell[NCOLS], const size_t width[NCOLS])
{
	for (int c = 0; c < NCOLS - 1; c++)
		printf("%-*s", (int)width[c], cell[c]);
	printf("%s\n", cell[NCOLS - 1]);
}

static void print_table(const struct row *rows, size_t n)
{
	size_t width[NCOLS];

	for (int c = 0; c < NCOLS; c++) {
		width[c] = strlen(headers[c]);
		for (size_t r = 0; r < n; r++)
			if (strlen(rows[r].cell[c]) > width[c])
				width[c] = strlen(rows[r].cell[c]);
		width[c] += COL_PAD;
		if (width[c] < COL_MIN)
			width[c] = COL_MIN;
	}
	print_row(headers, width);
	for (size_t r = 0; r < n; r++)
		print_row((const char *const *)rows[r].cell, width);
}

int cmd_list(struct rp_globals *g, int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	const struct cli_option opts[] = {
		{ "format", 'f', CLI_STRING, &format, "table or json", "FORMAT" },
		{ "quiet", 'q', CLI_FLAG, &quiet, "print container ids only", NULL },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	_cleanup_strv_ char **ids = NULL;
	_cleanup_free_ struct row *rows = NULL;
	rp_err_t err = NULL;
	json_writer *w = NULL;
	size_t n = 0, nrows = 0;
	int npos = 0;
	bool json;

	if (cli_parse(argc, argv, opts, "list [--format table|json] [--quiet]",
		      "List the containers under --root.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 0) {
		rp_error(&err, 0, "list: unexpected argument \"%s\"", pos[0]);
		return cli_fail(&err);
	}
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
		rp_error(&err, 0, "list: invalid --format \"%s\" (use table or json)", format);
		return cli_fail(&err);
	}
	json = strcmp(format, "json") == 0;
	if (rp_state_list(g->root, &ids, &n, &err) < 0)
		return cli_fail(&err);

	if (quiet) {
		for (size_t i = 0; i < n; i++)
			printf("%s\n", ids[i]);
		return 0;
	}
	rows = rp_xcalloc(n + 1, sizeof(*rows));
	if (json) {
		w = json_writer_new(false);
		json_w_array_begin(w);
	}
	for (size_t i = 0; i < n; i++) {
		struct rp_state st;
		rp_err_t skip = NULL;

		if (rp_state_load(g->root, ids[i], &st, &skip) < 0) {
			rp_debug("list: %s", skip->msg);
			rp_error_free(&skip);
			continue;
		}
		rp_state_refresh(&st, g->root);
		char *owner = owner_of(g->root, &st);
		free(st.owner);
		st.owner = owner;
		if (json) {
			rp_state_write_oci(w, &st, false);
		} else {
			struct row *r = &rows[nrows++];
			r->cell[COL_ID] = rp_xstrdup(st.id);
			r->cell[COL_PID] = rp_xasprintf("%d", st.status == RP_STOPPED ? 0 : (int)st.pid);
			r->cell[COL_STATUS] = rp_xstrdup(rp_status_name(st.status));
			r->cell[COL_BUNDLE] = rp_xstrdup(st.bundle);
			r->cell[COL_CREATED] = rp_xstrdup(st.created ? st.created : "");
			r->cell[COL_OWNER] = rp_xstrdup(st.owner);
		}
		rp_state_clear(&st);
	}
	if (json) {
		const char *buf;
		size_t len;

		json_w_array_end(w);
		buf = json_writer_buf(w, &len);
		while (buf && len && buf[len - 1] == '\n')
			len--;
		if (buf)
			printf("%.*s\n", (int)len, buf);
		else
			rp_error(&err, 0, "list: cannot serialise the container list");
		json_writer_free(w);
		return err ? cli_fail(&err) : 0;
	}
	print_table(rows, nrows);
	for (size_t r = 0; r < nrows; r++)
		for (int c = 0; c < NCOLS; c++)
			free(rows[r].cell[c]);
	return 0;
}
