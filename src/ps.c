/* rampart ps: the processes of a container.
 *   ps --format json ID        JSON array of host pids (what containerd reads)
 *   ps [--format table] ID [-- PS_ARGS]
 *                              the host's ps(1) (default "-ef"), keeping the
 *                              header and the rows whose PID column is one of
 *                              the container's. */
#include "config-host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "state.h"
#include "utils.h"

static int print_json(const pid_t *pids, size_t n)
{
	json_writer *w = json_writer_new(false);
	const char *buf;
	size_t len;

	json_w_array_begin(w);
	for (size_t i = 0; i < n; i++)
		json_w_int(w, pids[i]);
	json_w_array_end(w);
	buf = json_writer_buf(w, &len);
	if (buf)
		printf("%s\n", buf);
	json_writer_free(w);
	return buf ? 0 : -1;
}

static bool has_pid(const pid_t *pids, size_t n, long pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Index of the "PID" column in ps's header line, or -1. */
static int pid_column(char *header)
{
	_cleanup_free_ char *copy = rp_xstrdup(header);
	char *save = NULL;
	int i = 0;

	for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save), i++)
		if (strcmp(t, "PID") == 0)
			return i;
	return -1;
}

static long field(const char *line, int col)
{
	_cleanup_free_ char *copy = rp_xstrdup(line);
	char *save = NULL, *t = strtok_r(copy, " \t\n", &save);
	int64_t v;

	for (int i = 0; t && i < col; i++)
		t = strtok_r(NULL, " \t\n", &save);
	return t && rp_parse_i64(t, &v) ? (long)v : -1;
}

static int print_table(const pid_t *pids, size_t n, char **ps_args, int n_args, rp_err_t *err)
{
	_cleanup_free_ char **argv = rp_xcalloc((size_t)n_args + 3, sizeof(char *));
	_cleanup_free_ char *line = NULL;
	_cleanup_fclose_ FILE *out = NULL;
	size_t cap = 0;
	int fds[2], col = -1, status;
	pid_t child;

	argv[0] = (char *)"ps";
	for (int i = 0; i < n_args; i++)
		argv[i + 1] = ps_args[i];
	if (!n_args)
		argv[1] = (char *)"-ef";
	if (pipe2(fds, O_CLOEXEC) < 0)
		return rp_error(err, errno, "pipe");
	child = fork();
	if (child < 0)
		return rp_error(err, errno, "fork");
	if (child == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execvp("ps", argv);
		fprintf(stderr, "rampart: exec ps: %m\n");
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	if (!out)
		return rp_error(err, errno, "fdopen");
	for (bool first = true; getline(&line, &cap, out) > 0; first = false) {
		if (first) {
			col = pid_column(line);
			fputs(line, stdout);
		} else if (col >= 0 && has_pid(pids, n, field(line, col))) {
			fputs(line, stdout);
		}
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			return rp_error(err, errno, "wait for ps");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return rp_error(err, 0, "ps %s failed", n_args ? "with the given options" : "-ef");
	if (col < 0)
		return rp_error(err, 0, "ps: no PID column in its output (add -o pid)");
	return 0;
}

int cmd_ps(struct rp_globals *g, int argc, char **argv)
{
	const char *format = "table";
	const struct cli_option opts[] = {
		{ "format", 'f', CLI_STRING, &format, "table (ps(1) output) or json (pids)", "FORMAT" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	struct rp_state st = { 0 };
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;
	size_t n = 0;
	int npos = 0, r = -1;

	/* everything after the id belongs to ps(1) */
	if (cli_parse_ex(argc, argv, opts, "ps [--format table|json] CONTAINER_ID [PS_OPTIONS...]",
			 "List the processes of a container.", CLI_STOP_AT_POSITIONAL, &pos, &npos,
			 &err) < 0)
		return cli_fail(&err);
	if (npos < 1) {
		rp_error(&err, 0, "ps: expected a container id");
		return cli_fail(&err);
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "table") != 0) {
		rp_error(&err, 0, "ps: invalid --format \"%s\" (table or json)", format);
		return cli_fail(&err);
	}
	if (rp_cgroup_open_container(g->root, pos[0], &st, &cg, &err) < 0 ||
	    rp_cgroup_pids(cg, &pids, &n, &err) < 0)
		goto out;
	if (strcmp(format, "json") == 0) {
		if (npos > 1 && !(npos == 2 && strcmp(pos[1], "--") == 0)) {
			rp_error(&err, 0, "ps: options for ps(1) are not valid with --format json");
			goto out;
		}
		r = print_json(pids, n);
		if (r < 0)
			rp_error(&err, 0, "ps: cannot write JSON");
	} else {
		char **args = pos + 1;
		int n_args = npos - 1;

		if (n_args && strcmp(args[0], "--") == 0) {
			args++;
			n_args--;
		}
		fflush(stdout);
		r = print_table(pids, n, args, n_args, &err);
	}
out:
	rp_cgroup_free(cg);
	rp_state_clear(&st);
	return r < 0 ? cli_fail(&err) : 0;
}
