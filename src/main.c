/* rampart: entry point.  Parses the global options (runc's, plus podman's
 * --cgroup-manager), sets up logging and hands the rest of argv to the
 * command, whose return value is the exit status. */
#include "config-host.h"

#include <seccomp.h> /* libseccomp's: ours is "seccomp.h" (-iquote) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cleanup.h"
#include "json.h"
#include "log.h"
#include "oci-config.h"
#include "state.h"
#include "utils.h"

#define CLI_ENTRY(name, summary) { #name, cmd_##name, summary },
static const struct cli_command commands[] = { CLI_COMMANDS(CLI_ENTRY) };
#undef CLI_ENTRY

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* The global help text: what rampart is and which commands it has. */
static char *global_description(void)
{
	char *s = rp_xstrdup("A hardened, OCI-compatible container runtime.\n\nCommands:");

	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		char *next = rp_xasprintf("%s\n  %-12s %s", s, commands[i].name, commands[i].summary);
		free(s);
		s = next;
	}
	char *next = rp_xasprintf("%s\n  %-12s %s\n\nRun 'rampart COMMAND --help' for a command's options.", s,
				  "help", "list commands, or show the help of one");
	free(s);
	return next;
}

static void print_version(void)
{
	const struct scmp_version *sv = seccomp_version();

	printf("rampart version %s\n", PACKAGE_VERSION);
	printf("spec: %s\n", OCI_SPEC_VERSION);
	if (sv)
		printf("libseccomp: %u.%u.%u\n", sv->major, sv->minor, sv->micro);
	printf("libcap: %s (built with)\n", RP_BUILT_LIBCAP);
	printf("libselinux: %s (built with)\n", RP_BUILT_LIBSELINUX);
	printf("yajl: %s\n", json_library_version());
}

static int check_choice(const char *opt, const char *value, const char *const *choices, rp_err_t *err)
{
	if (!value)
		return 0;
	for (const char *const *c = choices; *c; c++)
		if (strcmp(value, *c) == 0)
			return 0;
	return rp_error(err, 0, "invalid value \"%s\" for --%s", value, opt);
}

static int init_logging(const struct rp_globals *g, rp_err_t *err)
{
	static const char *const formats[] = { "text", "json", NULL };
	static const char *const managers[] = { "cgroupfs", "systemd", "disabled", NULL };
	enum rp_log_format fmt = RP_LOG_TEXT;

	if (check_choice("log-format", g->log_format, formats, err) < 0)
		return -1;
	if (g->log_format && strcmp(g->log_format, "json") == 0)
		fmt = RP_LOG_JSON;
	/* Log first, validate the rest after: a bad --cgroup-manager must
	 * reach the caller's log file like any other error. */
	if (rp_log_init(g->log_path, fmt, g->debug, err) < 0)
		return -1;
	return check_choice("cgroup-manager", g->cgroup_manager, managers, err);
}

int main(int argc, char **argv)
{
	struct rp_globals g = { .root = RP_DEFAULT_ROOT };
	const char *criu = NULL;
	bool version = false;
	const struct cli_option opts[] = {
		{ "root", 0, CLI_STRING, &g.root, "directory for container state (default " RP_DEFAULT_ROOT ")", "DIR" },
		{ "log", 0, CLI_STRING, &g.log_path, "append log messages to FILE (default: stderr only)", "FILE" },
		{ "log-format", 0, CLI_STRING, &g.log_format, "format of the --log file: text or json", "FORMAT" },
		{ "debug", 0, CLI_FLAG, &g.debug, "log debug messages", NULL },
		{ "systemd-cgroup", 0, CLI_FLAG, &g.systemd_cgroup, "treat cgroupsPath as systemd slice:prefix:name", NULL },
		{ "cgroup-manager", 0, CLI_STRING, &g.cgroup_manager, "cgroupfs, systemd or disabled (podman)", "MANAGER" },
		{ "rootless", 0, CLI_STRING, &g.rootless, "true, false or auto (accepted for compatibility)", "VALUE" },
		{ "criu", 0, CLI_STRING, &criu, "ignored: rampart does not checkpoint", "PATH" },
		{ "policy", 0, CLI_STRING, &g.policy, "security policy file (default: RAMPART_POLICY, then built-in)", "FILE" },
		{ "version", 'v', CLI_FLAG, &version, "print the version and exit", NULL },
		{ 0 },
	};
	_cleanup_free_ char *description = global_description();
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0;

	argv[0] = (char *)"rampart";
	if (cli_parse_ex(argc, argv, opts, "[global options] COMMAND [options] [arguments...]", description,
			 CLI_STOP_AT_POSITIONAL, &pos, &npos, &err) < 0)
		return cli_fail(&err);
	g.rootless_set = g.rootless != NULL;
	if (version) {
		print_version();
		return 0;
	}
	if (npos == 0 || strcmp(pos[0], "help") == 0) {
		if (npos > 1 && find_command(pos[1])) {
			char *help_argv[] = { pos[1], (char *)"--help", NULL };
			return find_command(pos[1])->fn(&g, 2, help_argv);
		}
		cli_usage(stdout, "[global options] COMMAND [options] [arguments...]", description, opts);
		return 0;
	}
	if (init_logging(&g, &err) < 0)
		return cli_fail(&err);

	const struct cli_command *cmd = find_command(pos[0]);
	if (!cmd) {
		rp_error(&err, 0, "unknown command '%s' (see 'rampart --help')", pos[0]);
		int ret = cli_fail(&err);
		rp_log_close();
		return ret;
	}
	/* In stop-at-positional mode the command and its arguments are the
	 * tail of argv, so the command gets a real argv slice. */
	int ret = cmd->fn(&g, npos, &argv[argc - npos]);
	rp_log_close();
	return ret;
}
