/* rampart delete: remove stopped (or created) containers; --force kills a
 * running one first.  Like runc it takes several ids and fails if any
 * could not be deleted. */
#include "config-host.h"

#include <stdbool.h>

#include "cleanup.h"
#include "cli.h"
#include "log.h"

int cmd_delete(struct rp_globals *g, int argc, char **argv)
{
	bool force = false;
	const struct cli_option opts[] = {
		{ "force", 'f', CLI_FLAG, &force, "kill the container first if it is still running", NULL },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0, status = 0;

	if (cli_parse(argc, argv, opts, "delete [--force] CONTAINER_ID...",
		      "Delete containers and everything their create made: processes, cgroups, state.",
		      &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos < 1) {
		rp_error(&err, 0, "delete: expected at least one container id");
		return cli_fail(&err);
	}
	for (int i = 0; i < npos; i++) {
		if (rp_validate_id(pos[i], &err) < 0 || rp_container_delete(g, pos[i], force, &err) < 0)
			status = cli_fail(&err);
	}
	return status;
}
