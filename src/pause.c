/* rampart pause: freeze every process of a container (cgroup v2 cgroup.freeze, or the v1 freezer;
 * libcontainer/container-ops.c). */
#include "config-host.h"

#include "cleanup.h"
#include "cli.h"

int cmd_pause(struct rp_globals *g, int argc, char **argv)
{
	const struct cli_option opts[] = { { 0 } };
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0;

	if (cli_parse(argc, argv, opts, "pause CONTAINER_ID",
		      "Freeze every process of the container.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "pause: expected one container id, got %d arguments", npos);
		return cli_fail(&err);
	}
	if (rp_container_pause(g, pos[0], &err) < 0)
		return cli_fail(&err);
	return 0;
}
