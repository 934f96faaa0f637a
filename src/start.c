/* rampart start: let a created container's init run the user's program. */
#include "config-host.h"

#include "cleanup.h"
#include "cli.h"

int cmd_start(struct rp_globals *g, int argc, char **argv)
{
	const struct cli_option opts[] = { { 0 } };
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0;

	if (cli_parse(argc, argv, opts, "start CONTAINER_ID",
		      "Start the user's program in a created container.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "start: expected exactly one container id");
		return cli_fail(&err);
	}
	if (rp_container_start(g, pos[0], &err) < 0)
		return cli_fail(&err);
	return 0;
}
