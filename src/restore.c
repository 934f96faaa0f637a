/* rampart restore: not supported.  Checkpoint/restore needs CRIU, which rampart
 * does not drive.  The command exists, with runc's options, so that callers
 * that probe for it get a clean answer: `--help` succeeds, anything else
 * fails with a message saying so. */
#include "config-host.h"

#include "cleanup.h"
#include "cli.h"
#include "error.h"

int cmd_restore(struct rp_globals *g, int argc, char **argv)
{
	const char *ignored = NULL;
	bool flag = false;
	const struct cli_option opts[] = {
		{ "image-path", 0, CLI_STRING, &ignored, "(ignored)", "DIR" },
		{ "work-path", 0, CLI_STRING, &ignored, "(ignored)", "DIR" },
		{ "bundle", 'b', CLI_STRING, &ignored, "(ignored)", "DIR" },
		{ "console-socket", 0, CLI_STRING, &ignored, "(ignored)", "PATH" },
		{ "pid-file", 0, CLI_STRING, &ignored, "(ignored)", "FILE" },
		{ "detach", 'd', CLI_FLAG, &flag, "(ignored)", NULL },
		{ "tcp-established", 0, CLI_FLAG, &flag, "(ignored)", NULL },
		{ "ext-unix-sk", 0, CLI_FLAG, &flag, "(ignored)", NULL },
		{ "shell-job", 0, CLI_FLAG, &flag, "(ignored)", NULL },
		{ "file-locks", 0, CLI_FLAG, &flag, "(ignored)", NULL },
		{ "manage-cgroups-mode", 0, CLI_STRING, &ignored, "(ignored)", "MODE" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos;

	if (cli_parse(argc, argv, opts, "restore [options] <container-id>",
		      "Restoring needs CRIU, which rampart does not drive; this command always fails.",
		      &pos, &npos, &err) < 0)
		return cli_fail(&err);
	rp_error(&err, 0, "restore is not supported by rampart");
	return cli_fail(&err);
}
