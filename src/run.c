/* rampart run: create + start, then wait for the container's init and
 * delete the container; the exit status is the init's (128+N when a signal
 * N killed it).  With --detach it returns once the program runs. */
#include "config-host.h"

#include <stdbool.h>

#include "cleanup.h"
#include "cli.h"

int cmd_run(struct rp_globals *g, int argc, char **argv)
{
	struct rp_create_opts o = { 0 };
	bool no_subreaper = false;
	const struct cli_option opts[] = {
		CLI_CREATE_OPTIONS(o),
		{ "detach", 'd', CLI_FLAG, &o.detach, "return once the program runs", NULL },
		{ "keep", 0, CLI_FLAG, &o.keep, "do not delete the container after it exits", NULL },
		{ "no-subreaper", 0, CLI_FLAG, &no_subreaper, "accepted for compatibility (rampart is the init's parent)", NULL },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0, status = 1;

	if (cli_parse(argc, argv, opts, "run [OPTIONS] CONTAINER_ID",
		      "Create and start a container, wait for it, delete it.", &pos, &npos, &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "run: expected exactly one container id");
		return cli_fail(&err);
	}
	if (o.preserve_fds < 0) {
		rp_error(&err, 0, "run: --preserve-fds: must not be negative");
		return cli_fail(&err);
	}
	o.id = pos[0];
	if (rp_container_run(g, &o, &status, &err) < 0) {
		cli_fail(&err);
		return status ? status : 1;
	}
	return status;
}
