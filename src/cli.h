/* rampart CLI: one file per command, each a thin layer over libcontainer.
 *
 * Options follow runc's contract as real callers use it: `--flag value`,
 * `--flag=value`, Go-style single-dash `-flag` and `-flag=value`, short
 * aliases (-b, -d, -t, -a, -f), and options mixed with positional arguments
 * before a `--`. */
#ifndef RAMPART_CLI_H
#define RAMPART_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "../libcontainer/container.h"

enum cli_opt_kind { CLI_FLAG, CLI_STRING, CLI_INT, CLI_STRING_LIST };

struct cli_option {
	const char *name;       /* long name, without dashes ("bundle") */
	char short_name;        /* 'b', or 0 */
	enum cli_opt_kind kind;
	void *target;           /* bool*, const char**, int*, or struct cli_list* */
	const char *help;
	const char *metavar;
};

struct cli_list { const char **v; int n; }; /* repeated string options (--env) */

/* The options of create that run has too, filling struct rp_create_opts o. */
#define CLI_CREATE_OPTIONS(o) \
	{ "bundle", 'b', CLI_STRING, &(o).bundle, "path to the bundle (default: the current directory)", "DIR" }, \
	{ "config", 0, CLI_STRING, &(o).config_path, "config file (default: BUNDLE/config.json)", "FILE" }, \
	{ "console-socket", 0, CLI_STRING, &(o).console_socket, "unix socket that receives the pty master", "PATH" }, \
	{ "pid-file", 0, CLI_STRING, &(o).pid_file, "write the init's pid to this file", "PATH" }, \
	{ "pidfd-socket", 0, CLI_STRING, &(o).pidfd_socket, "unix socket that receives a pidfd of the init", "PATH" }, \
	{ "no-pivot", 0, CLI_FLAG, &(o).no_pivot, "use MS_MOVE + chroot instead of pivot_root", NULL }, \
	{ "no-new-keyring", 0, CLI_FLAG, &(o).no_new_keyring, "keep the caller's session keyring", NULL }, \
	{ "preserve-fds", 0, CLI_INT, &(o).preserve_fds, "pass N fds after stderr to the container", "N" }, \
	{ "dry-run", 0, CLI_FLAG, &(o).dry_run, "print the policy verdict, create nothing", NULL }

/* Parse argv against opts; positional arguments are collected into *pos
 * (pointers into argv).  "--help"/"-h" prints usage and exits 0.  Unknown
 * options are errors naming the option.  Returns 0 or -1 with *err. */
int cli_parse(int argc, char **argv, const struct cli_option *opts, const char *usage,
	      const char *description, char ***pos, int *npos, rp_err_t *err);
void cli_usage(FILE *f, const char *usage, const char *description, const struct cli_option *opts);

/* cli_parse with a mode.  CLI_STOP_AT_POSITIONAL ends option parsing at the
 * first positional argument, as runc does for exec: in
 * `exec <id> sh -c 'echo hi'` the -c belongs to the command, not to us.
 * The option table ends with an entry whose name is NULL. */
enum { CLI_INTERLEAVED = 0, CLI_STOP_AT_POSITIONAL = 1 };
int cli_parse_ex(int argc, char **argv, const struct cli_option *opts, const char *usage,
		 const char *description, unsigned mode, char ***pos, int *npos, rp_err_t *err);

/* Every command: (globals, argc, argv) with argv[0] the command name.
 * Returns the process exit status. */
typedef int (*cli_command_fn)(struct rp_globals *g, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_command_fn fn;
	const char *summary;
};

#define CLI_COMMANDS(X) \
	X(create, "create a container") \
	X(start, "start a created container") \
	X(run, "create and start a container") \
	X(state, "output the state of a container") \
	X(list, "list containers") \
	X(kill, "send a signal to a container's init") \
	X(delete, "delete a container") \
	X(exec, "execute a new process in a running container") \
	X(ps, "list the processes of a container") \
	X(pause, "freeze every process of a container") \
	X(resume, "thaw a paused container") \
	X(update, "update a container's resource limits") \
	X(events, "container stats and OOM events") \
	X(spec, "write a hardened config.json") \
	X(features, "print the runtime-spec features document") \
	X(audit, "evaluate a bundle against the policy, create nothing") \
	X(checkpoint, "checkpoint a container (not supported)") \
	X(restore, "restore a container (not supported)")

#define CLI_DECLARE(name, summary) int cmd_##name(struct rp_globals *g, int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

/* Report err (stderr + log), free it, return exit status 1. */
int cli_fail(rp_err_t *err);

#endif
