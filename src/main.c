/* rampart: placeholder entry point. */
#include "config-host.h"
#include <stdio.h>
#include <string.h>
#include "cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("rampart version %s\n", PACKAGE_VERSION);
		return 0;
	}
	fprintf(stderr, "rampart: no command\n");
	return 2;
}
