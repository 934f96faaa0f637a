/* rampart exec: run a new process in a running container.
 *   exec --process FILE [--console-socket S] [--detach] [--pid-file P] ID   (containerd, conmon)
 *   exec [-t] [--cwd D] [-e K=V]... [-u UID[:GID]] [-g GID]... [-c CAP]... ID ARGS...
 * The second form starts from the container's own process (env, user,
 * capabilities, rlimits, ...) and changes what the flags say, as runc does.
 * Either way the container's policy, seccomp filter, bounding set and
 * no_new_privs hold (libcontainer/container.c). */
#include "config-host.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cli.h"
#include "utils.h"

struct exec_flags {
	const char *process_file, *cwd, *user, *process_label, *apparmor;
	struct cli_list env, gids, caps;
	bool tty, no_new_privs;
};

static void strv_push(struct strv *s, const char *v)
{
	s->v = rp_xrealloc(s->v, (s->n + 2) * sizeof(char *));
	s->v[s->n++] = rp_xstrdup(v);
	s->v[s->n] = NULL;
}

/* --env K=V replaces an existing K, else appends. */
static void env_set(struct strv *env, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t kl = eq ? (size_t)(eq - kv) : strlen(kv);

	for (size_t i = 0; i < env->n; i++)
		if (strncmp(env->v[i], kv, kl) == 0 && env->v[i][kl] == '=') {
			free(env->v[i]);
			env->v[i] = rp_xstrdup(kv);
			return;
		}
	strv_push(env, kv);
}

static int parse_id(const char *s, const char *flag, uint32_t *out, rp_err_t *err)
{
	uint64_t v;

	if (!rp_parse_u64(s, &v) || v > UINT32_MAX)
		return rp_error(err, 0, "exec: %s: \"%s\" is not a numeric id", flag, s);
	*out = (uint32_t)v;
	return 0;
}

/* The argument form: the container's process, changed by the flags. */
static struct oci_process *process_from_flags(const struct rp_globals *g, const char *id, char **args, int nargs,
					      const struct exec_flags *f, rp_err_t *err)
{
	struct rp_state st = { 0 };
	struct oci_config *cfg = NULL;
	struct oci_process *p = NULL;

	if (nargs < 1) {
		rp_error(err, 0, "exec: expected a command after the container id (or --process FILE)");
		return NULL;
	}
	if (rp_state_load(g->root ? g->root : RP_DEFAULT_ROOT, id, &st, err) < 0)
		return NULL;
	if (!st.config_path) {
		rp_error(err, 0, "exec: container \"%s\" has no recorded config", id);
		goto out;
	}
	cfg = oci_config_parse_file(st.config_path, err);
	if (!cfg || !cfg->process) {
		if (cfg)
			rp_error(err, 0, "exec: the container's config has no process");
		goto out;
	}
	p = cfg->process;
	cfg->process = NULL;

	for (size_t i = 0; i < p->args.n; i++)
		free(p->args.v[i]);
	p->args.n = 0;
	for (int i = 0; i < nargs; i++)
		strv_push(&p->args, args[i]);
	for (int i = 0; i < f->env.n; i++)
		env_set(&p->env, f->env.v[i]);
	if (f->cwd) {
		free(p->cwd);
		p->cwd = rp_xstrdup(f->cwd);
	}
	p->terminal = f->tty;
	if (f->no_new_privs)
		p->no_new_privileges = true;
	if (f->process_label) {
		free(p->selinux_label);
		p->selinux_label = rp_xstrdup(f->process_label);
	}
	if (f->apparmor) {
		free(p->apparmor_profile);
		p->apparmor_profile = rp_xstrdup(f->apparmor);
	}
	if (f->user) {
		_cleanup_free_ char *u = rp_xstrdup(f->user);
		char *colon = strchr(u, ':');
		if (colon)
			*colon = '\0';
		if (parse_id(u, "--user", &p->user.uid, err) < 0 ||
		    (colon && parse_id(colon + 1, "--user", &p->user.gid, err) < 0))
			goto fail;
	}
	if (f->gids.n) {
		free(p->user.additional_gids);
		p->user.additional_gids = rp_xcalloc(f->gids.n, sizeof(uint32_t));
		p->user.n_additional_gids = f->gids.n;
		for (int i = 0; i < f->gids.n; i++)
			if (parse_id(f->gids.v[i], "--additional-gids", &p->user.additional_gids[i], err) < 0)
				goto fail;
	}
	if (f->caps.n) {
		if (!p->capabilities)
			p->capabilities = rp_xcalloc(1, sizeof(*p->capabilities));
		struct oci_capabilities *c = p->capabilities;
		for (int i = 0; i < f->caps.n; i++) {
			int cap = oci_cap_from_name(f->caps.v[i]);
			if (cap < 0) {
				rp_error(err, 0, "exec: --cap: unknown capability \"%s\"", f->caps.v[i]);
				goto fail;
			}
			/* Granted only within the container's bounding set,
			 * which rp_container_exec enforces. */
			struct oci_capset *sets[] = { &c->effective, &c->permitted, &c->inheritable, &c->ambient };
			for (size_t k = 0; k < ARRAY_SIZE(sets); k++) {
				sets[k]->set = true;
				sets[k]->mask |= 1ULL << cap;
				strv_push(&sets[k]->names, f->caps.v[i]);
			}
		}
	}
	goto out;
fail:
	oci_process_free(p);
	p = NULL;
out:
	oci_config_free(cfg);
	rp_state_clear(&st);
	return p;
}

int cmd_exec(struct rp_globals *g, int argc, char **argv)
{
	struct exec_flags f = { 0 };
	struct rp_exec_opts o = { 0 };
	const struct cli_option opts[] = {
		{ "process", 'p', CLI_STRING, &f.process_file, "process.json describing the process", "FILE" },
		{ "tty", 't', CLI_FLAG, &f.tty, "allocate a pseudo-terminal", NULL },
		{ "cwd", 0, CLI_STRING, &f.cwd, "working directory in the container", "DIR" },
		{ "env", 'e', CLI_STRING_LIST, &f.env, "set an environment variable (repeatable)", "K=V" },
		{ "user", 'u', CLI_STRING, &f.user, "uid[:gid] of the process", "UID[:GID]" },
		{ "additional-gids", 'g', CLI_STRING_LIST, &f.gids, "supplementary group (repeatable)", "GID" },
		{ "cap", 'c', CLI_STRING_LIST, &f.caps, "add a capability (repeatable)", "CAP" },
		{ "no-new-privs", 0, CLI_FLAG, &f.no_new_privs, "set no_new_privs", NULL },
		{ "process-label", 0, CLI_STRING, &f.process_label, "SELinux label of the process", "LABEL" },
		{ "apparmor", 0, CLI_STRING, &f.apparmor, "AppArmor profile of the process", "PROFILE" },
		{ "detach", 'd', CLI_FLAG, &o.detach, "return once the process runs", NULL },
		{ "pid-file", 0, CLI_STRING, &o.pid_file, "write the process's pid to this file", "PATH" },
		{ "pidfd-socket", 0, CLI_STRING, &o.pidfd_socket, "unix socket that receives a pidfd", "PATH" },
		{ "console-socket", 0, CLI_STRING, &o.console_socket, "unix socket that receives the pty master", "PATH" },
		{ "preserve-fds", 0, CLI_INT, &o.preserve_fds, "pass N fds after stderr to the process", "N" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	rp_err_t err = NULL;
	int npos = 0, status = 1;

	if (cli_parse_ex(argc, argv, opts, "exec [OPTIONS] CONTAINER_ID [COMMAND [ARG...]]",
			 "Run a new process in a running container.", CLI_STOP_AT_POSITIONAL, &pos, &npos,
			 &err) < 0)
		goto fail;
	if (npos < 1) {
		rp_error(&err, 0, "exec: expected a container id");
		goto fail;
	}
	if (o.preserve_fds < 0) {
		rp_error(&err, 0, "exec: --preserve-fds: must not be negative");
		goto fail;
	}
	o.id = pos[0];
	if (rp_validate_id(o.id, &err) < 0)
		goto fail;
	if (f.process_file) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		if (rp_read_file(f.process_file, &buf, &len, 4u << 20, &err) < 0)
			goto fail;
		o.process = oci_process_parse(buf, len, &err);
		if (!o.process) {
			rp_error_prefix(&err, "exec: --process %s", f.process_file);
			goto fail;
		}
		if (f.tty)
			o.process->terminal = true;
	} else {
		o.process = process_from_flags(g, o.id, pos + 1, npos - 1, &f, &err);
		if (!o.process)
			goto fail;
	}
	o.tty = o.process->terminal;
	if (rp_container_exec(g, &o, &status, &err) < 0) {
		cli_fail(&err);
		status = status ? status : 1;
	}
	goto out;
fail:
	status = cli_fail(&err);
out:
	oci_process_free(o.process);
	free(f.env.v);
	free(f.gids.v);
	free(f.caps.v);
	return status;
}
