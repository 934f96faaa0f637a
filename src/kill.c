/* rampart kill: send a signal to a container's init, or with --all to every
 * process of its cgroup.  The signal is a number or a name, with or without
 * "SIG" (runc's callers pass both: "9", "KILL", "SIGTERM"). */
#include "config-host.h"

#include <signal.h>
#include <stdbool.h>

#include "cleanup.h"
#include "cli.h"
#include "utils.h"

int cmd_kill(struct rp_globals *g, int argc, char **argv)
{
	bool all = false;
	const struct cli_option opts[] = {
		{ "all", 'a', CLI_FLAG, &all, "signal every process of the container, not only its init", NULL },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0, sig = SIGTERM;

	if (cli_parse(argc, argv, opts, "kill [--all] CONTAINER_ID [SIGNAL]",
		      "Send SIGNAL (default SIGTERM) to the container's init process.", &pos, &npos,
		      &err) < 0)
		return cli_fail(&err);
	if (npos < 1 || npos > 2) {
		rp_error(&err, 0, "kill: expected a container id and an optional signal, got %d arguments",
			 npos);
		return cli_fail(&err);
	}
	if (rp_validate_id(pos[0], &err) < 0)
		return cli_fail(&err);
	if (npos == 2) {
		sig = rp_parse_signal(pos[1]);
		if (sig < 0) {
			rp_error(&err, 0, "kill: invalid signal \"%s\"", pos[1]);
			return cli_fail(&err);
		}
	}
	if (rp_container_kill(g, pos[0], sig, all, &err) < 0)
		return cli_fail(&err);
	return 0;
}
