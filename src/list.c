/* rampart list — placeholder until its issue lands. */
#include "config-host.h"
#include <stdio.h>
#include "cli.h"

int cmd_list(struct rp_globals *g, int argc, char **argv)
{
	(void)g; (void)argc; (void)argv;
	fprintf(stderr, "rampart: 'list' is not available yet in this build\n");
	return 1;
}
