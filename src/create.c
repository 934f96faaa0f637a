/* rampart create: create a container whose init waits for `start`.
 * The forms real callers use (client-contract.md):
 *   create --bundle DIR --pid-file P [--console-socket S] [--no-pivot]
 *          [--no-new-keyring] [--preserve-fds N] [--pidfd-socket S] ID */
#include "config-host.h"

#include "cleanup.h"
#include "cli.h"

int cmd_create(struct rp_globals *g, int argc, char **argv)
{
	struct rp_create_opts o = { 0 };
	const struct cli_option opts[] = {
		CLI_CREATE_OPTIONS(o),
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0;

	if (cli_parse(argc, argv, opts, "create [OPTIONS] CONTAINER_ID",
		      "Create a container from a bundle; its process starts with `start`.",
		      &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "create: expected exactly one container id");
		return cli_fail(&err);
	}
	if (o.preserve_fds < 0) {
		rp_error(&err, 0, "create: --preserve-fds: must not be negative");
		return cli_fail(&err);
	}
	o.id = pos[0];
	if (rp_container_create(g, &o, &err) < 0)
		return cli_fail(&err);
	return 0;
}
