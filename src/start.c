/* rampart start — placeholder until its issue lands. */
#include "config-host.h"
#include <stdio.h>
#include "cli.h"

int cmd_start(struct rp_globals *g, int argc, char **argv)
{
	(void)g; (void)argc; (void)argv;
	fprintf(stderr, "rampart: 'start' is not available yet in this build\n");
	return 1;
}
