/* rampart state: print the OCI state of one container (runtime.md, "Query
 * State"), as the kernel sees it now rather than as last recorded. */
#include "config-host.h"

#include <stdio.h>
#include <stdlib.h>

#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "state.h"

int cmd_state(struct rp_globals *g, int argc, char **argv)
{
	const struct cli_option opts[] = { { 0 } };
	_cleanup_free_ char **pos = NULL;
	struct rp_state st;
	rp_err_t err = NULL;
	json_writer *w;
	const char *buf;
	size_t len;
	int npos = 0;

	if (cli_parse(argc, argv, opts, "state CONTAINER_ID",
		      "Print the state of a container as JSON.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "state: expected exactly one container id, got %d", npos);
		return cli_fail(&err);
	}
	if (rp_validate_id(pos[0], &err) < 0 || rp_state_load(g->root, pos[0], &st, &err) < 0)
		return cli_fail(&err);
	rp_state_refresh(&st, g->root);

	w = json_writer_new(true);
	rp_state_write_oci(w, &st, true);
	buf = json_writer_buf(w, &len);
	/* the pretty printer may or may not end with a newline: print one */
	while (buf && len && buf[len - 1] == '\n')
		len--;
	if (buf)
		printf("%.*s\n", (int)len, buf);
	else
		rp_error(&err, 0, "state: cannot serialise the state of \"%s\"", pos[0]);
	json_writer_free(w);
	rp_state_clear(&st);
	return err ? cli_fail(&err) : 0;
}
