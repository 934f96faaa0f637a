/* rampart run — placeholder until its issue lands. */
#include "config-host.h"
#include <stdio.h>
#include "cli.h"

int cmd_run(struct rp_globals *g, int argc, char **argv)
{
	(void)g; (void)argc; (void)argv;
	fprintf(stderr, "rampart: 'run' is not available yet in this build\n");
	return 1;
}
