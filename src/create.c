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
		{ "bundle", 'b', CLI_STRING, &o.bundle, "path to the bundle (default: the current directory)", "DIR" },
		{ "config", 0, CLI_STRING, &o.config_path, "config file (default: BUNDLE/config.json)", "FILE" },
		{ "console-socket", 0, CLI_STRING, &o.console_socket, "unix socket that receives the pty master", "PATH" },
		{ "pid-file", 0, CLI_STRING, &o.pid_file, "write the init's pid to this file", "PATH" },
		{ "pidfd-socket", 0, CLI_STRING, &o.pidfd_socket, "unix socket that receives a pidfd of the init", "PATH" },
		{ "no-pivot", 0, CLI_FLAG, &o.no_pivot, "use MS_MOVE + chroot instead of pivot_root", NULL },
		{ "no-new-keyring", 0, CLI_FLAG, &o.no_new_keyring, "keep the caller's session keyring", NULL },
		{ "preserve-fds", 0, CLI_INT, &o.preserve_fds, "pass N fds after stderr to the container", "N" },
		{ "dry-run", 0, CLI_FLAG, &o.dry_run, "print the policy verdict, create nothing", NULL },
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
