/* rampart pause — placeholder until its issue lands. */
#include "config-host.h"
#include <stdio.h>
#include "cli.h"

int cmd_pause(struct rp_globals *g, int argc, char **argv)
{
	(void)g; (void)argc; (void)argv;
	fprintf(stderr, "rampart: 'pause' is not available yet in this build\n");
	return 1;
}
