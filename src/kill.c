/* rampart kill — placeholder until its issue lands. */
#include "config-host.h"
#include <stdio.h>
#include "cli.h"

int cmd_kill(struct rp_globals *g, int argc, char **argv)
{
	(void)g; (void)argc; (void)argv;
	fprintf(stderr, "rampart: 'kill' is not available yet in this build\n");
	return 1;
}
