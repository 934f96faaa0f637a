/* rampart: create, start, run and exec — the lifecycle of runtime.md.
 *
 * create (runtime.md "Lifecycle", steps 1-5), in the runtime process P:
 *   1. validate the id, load the config, let the policy refuse or fix it;
 *      resolve root.path;
 *   2. create the state directory (exclusively: two creates of one id cannot
 *      both win), keep a copy of the config actually used (delete runs its
 *      poststop hooks after the bundle may be gone), make the exec fifo,
 *      create the cgroup;
 *      spawn C into the cgroup (clone3 CLONE_INTO_CGROUP, or fork + move);
 *      C joins/creates the namespaces (P writes the user namespace's id
 *      maps) and forks G, the container's pid 1;
 *      G prepares the rootfs up to pivot_root and says "prepared";
 *   3-4. P runs the prestart and createRuntime hooks (runtime namespace,
 *      state "creating") and says "go";
 *   5. G runs the createContainer hooks (container namespace), pivots,
 *      finishes the rootfs, hostname, sysctls, console, checks process.cwd
 *      and args[0], says "ready" and blocks on the exec fifo;
 *   P records state.json ("created") and the pid file, and exits.
 * Any failure: P kills G (and C), destroys the cgroup and removes the state
 * directory: nothing is left behind (G's mounts die with its namespace).
 *
 * start (steps 6-9): write a byte into the exec fifo; G runs the
 * startContainer hooks and execs the program (process.c), which closes its
 * O_CLOEXEC end of the fifo: that hang-up tells start the program runs; then
 * the poststart hooks.  With linux.seccomp.listenerPath, G hands its notify
 * fd to start through <state>/seccomp.sock (a socket create made and G
 * inherited), and start, on the host side, passes it to the listener: the
 * path is the runtime's, out of the container's reach.
 *
 * run: create + start, then wait for the init as its parent (G is P's
 * child: C forks it with CLONE_PARENT), forwarding signals, and delete.
 *
 * exec (exec.c) shares the helpers of container-internal.h. */
#include "config-host.h"
#include "container.h"
#include "container-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cloned-binary.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "rootfs.h"
#include "seccomp.h"
#include "selinux.h"
#include "terminal.h"
#include "utils.h"

#define EXEC_FIFO "exec.fifo"
#define CONFIG_COPY "config.json"
#define SECCOMP_SOCK "seccomp.sock"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* clone3(2)'s argument (linux/sched.h, CLONE_ARGS_SIZE_VER2), spelled out
 * here: including the kernel header next to glibc's <sched.h> clashes. */
struct rp_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

const char *rp_container_root(const struct rp_globals *g)
{
	return g->root ? g->root : RP_DEFAULT_ROOT;
}

/* /proc/<pid>/stat field 22 (starttime): with the pid it names one process
 * for good, so a later command never signals a recycled pid. */
static unsigned long long pid_start_time(pid_t pid)
{
	char path[64];
	_cleanup_free_ char *buf = NULL;
	size_t len;
	unsigned long long t = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (rp_read_file(path, &buf, &len, 4096, NULL) < 0)
		return 0;
	/* comm may hold spaces and parentheses: count fields after the last ')'. */
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

/* ================================================================ create */

/* Everything P holds while it creates a container; create_abort() undoes
 * whatever of it exists. */
struct create_ctx {
	const struct rp_globals *g;
	const struct rp_create_opts *o;
	struct oci_config *cfg;
	char *bundle, *rootfs, *state_dir, *config_copy;
	char created[40];
	bool state_dir_made;
	int lock_fd;
	struct rp_cgroup *cg;
	int sync_fd, child_sync_fd;
	int fifo_fd;
	int console_fd;           /* the end passed to G */
	int console_peer;         /* run's internal console socket: P's end */
	int seccomp_sock;         /* listening <state>/seccomp.sock for start, or -1 */
	int ns_fds[OCI_NS__COUNT];
	int unshare_flags;
	bool new_userns;
	pid_t child, init;
	char *selinux_mcs;        /* the MCS level picked for this container, or NULL */
	int *idmapped;            /* per mount: a prepared idmapped clone, or -1 (or NULL) */
	struct rp_state st;
};

struct create_result {
	pid_t init;
	int console_master;       /* run's internal console, or -1 */
};

static void create_ctx_init(struct create_ctx *c, const struct rp_globals *g, const struct rp_create_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->g = g;
	c->o = o;
	c->lock_fd = c->sync_fd = c->child_sync_fd = c->fifo_fd = -1;
	c->console_fd = c->console_peer = c->seccomp_sock = -1;
	for (int i = 0; i < OCI_NS__COUNT; i++)
		c->ns_fds[i] = -1;
}

void rp_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void rp_reap(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGKILL);
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	*pid = 0;
}

static void fill_state(struct create_ctx *c, enum rp_status status);

/* Undo a failed create, in reverse order.  Once the init existed, a
 * failure (a failing prestart, createRuntime or createContainer hook above
 * all) "continues the lifecycle at step 12": destroy, then the poststop
 * hooks, whose failures are only warnings (runtime.md). */
static void create_abort(struct create_ctx *c)
{
	bool had_init = c->init > 0;
	rp_err_t e = NULL;

	rp_reap(&c->child);
	rp_reap(&c->init); /* its mount namespace, and so every mount, dies with it */
	if (c->cg) {
		if (rp_cgroup_destroy(c->cg, &e) < 0) {
			rp_warn("create '%s': cleanup: %s", c->o->id, e->msg);
			rp_error_free(&e);
		}
	}
	if (had_init && c->cfg->hooks && c->cfg->hooks->poststop.n) {
		fill_state(c, RP_STOPPED);
		_cleanup_free_ char *state = rp_state_json(&c->st);
		rp_hooks_run(&c->cfg->hooks->poststop, "poststop", state, true, &e);
		rp_error_free(&e);
	}
	if (c->cg) {
		rp_cgroup_free(c->cg);
		c->cg = NULL;
	}
	if (c->state_dir_made && rp_state_remove(rp_container_root(c->g), c->o->id, &e) < 0) {
		rp_warn("create '%s': cleanup: %s", c->o->id, e->msg);
		rp_error_free(&e);
	}
}

static void create_ctx_free(struct create_ctx *c)
{
	rp_close_fd(&c->lock_fd);
	rp_close_fd(&c->sync_fd);
	rp_close_fd(&c->child_sync_fd);
	rp_close_fd(&c->fifo_fd);
	rp_close_fd(&c->console_fd);
	rp_close_fd(&c->console_peer);
	rp_close_fd(&c->seccomp_sock);
	rp_ns_close(c->ns_fds);
	if (c->cg)
		rp_cgroup_free(c->cg);
	rp_rootfs_idmap_free(c->idmapped, c->cfg ? c->cfg->n_mounts : 0);
	if (c->cfg)
		oci_config_free(c->cfg);
	free(c->bundle);
	free(c->rootfs);
	free(c->state_dir);
	free(c->config_copy);
	free(c->selinux_mcs);
}

/* SELinux on and the config names no process label: container_t with an
 * MCS pair that no other container under this --root has, for the process
 * and (unless the config gives one) for its mounts.  Without it the policy
 * would run the container unconfined, and two containers would share every
 * file.  The pair is reserved in the state directory (selinux.c), and so
 * freed with it; the config copy saved next carries the labels, so exec
 * gets them too. */
static int pick_selinux_labels(struct create_ctx *c, rp_err_t *err)
{
	struct oci_process *p = c->cfg->process;
	struct oci_linux *l = c->cfg->linux_cfg;
	char *process_label = NULL, *mount_label = NULL;
	const char *level;

	if (p->selinux_label && *p->selinux_label)
		return 0;
	if (rp_selinux_auto_labels(rp_container_root(c->g), c->o->id, &process_label, &mount_label, err) < 0)
		return rp_error_prefix(err, "process.selinuxLabel");
	if (!process_label) /* SELinux is disabled here */
		return 0;
	free(p->selinux_label);
	p->selinux_label = process_label;
	if (l && !(l->mount_label && *l->mount_label)) {
		free(l->mount_label);
		l->mount_label = mount_label;
	} else {
		free(mount_label);
	}
	/* user:role:type:LEVEL */
	level = process_label;
	for (int i = 0; i < 3 && level; i++)
		if ((level = strchr(level, ':')))
			level++;
	c->selinux_mcs = level ? rp_xstrdup(level) : NULL;
	return 0;
}

/* Step 1: the config, the policy's verdict, root.path. */
static int load_config(struct create_ctx *c, bool *dry_run_done, rp_err_t *err)
{
	const struct rp_create_opts *o = c->o;
	char buf[PATH_MAX];
	struct rp_policy *pol = NULL;
	struct rp_verdict v = { 0 };
	_cleanup_free_ char *joined = NULL;
	int ret = -1;

	if (!realpath(o->bundle ? o->bundle : ".", buf))
		return rp_error(err, errno, "bundle %s", o->bundle ? o->bundle : ".");
	c->bundle = rp_xstrdup(buf);
	c->cfg = o->config_path ? oci_config_parse_file(o->config_path, err) : oci_config_load_bundle(c->bundle, err);
	if (!c->cfg)
		return -1;

	if (rp_policy_load(c->g->policy, &pol, err) < 0)
		return -1;
	/* A dry run evaluates exactly what create would, but changes nothing, so
	 * its report says "would apply" where create says "applied". */
	if (rp_policy_evaluate(pol, c->cfg, RP_POLICY_CREATE, !o->dry_run, &v, err) < 0)
		goto out;
	if (o->dry_run) {
		/* The same report as `audit`; exit status 1 when it would refuse. */
		if (rp_verdict_print(stdout, &v, NULL, o->id, o->config_path, err) < 0)
			goto out;
		fflush(stdout);
		*dry_run_done = true;
		if (v.refused) {
			_cleanup_free_ char *line = rp_verdict_refusal_line(&v, o->id);
			rp_error(err, 0, "%s", line);
			goto out;
		}
		ret = 0;
		goto out;
	}
	if (v.refused) {
		/* Exactly one line: it reaches podman and containerd users. */
		_cleanup_free_ char *line = rp_verdict_refusal_line(&v, o->id);
		rp_error(err, 0, "%s", line);
		goto out;
	}
	rp_verdict_log(&v, o->id);

	const struct oci_linux *l = c->cfg->linux_cfg;
	if (l && l->seccomp && rp_seccomp_validate(l->seccomp, err) < 0) {
		rp_error_prefix(err, "linux.seccomp");
		goto out;
	}
	/* Without its own UTS namespace the container would rename the host. */
	if (((c->cfg->hostname && *c->cfg->hostname) || (c->cfg->domainname && *c->cfg->domainname)) &&
	    !oci_config_namespace(c->cfg, OCI_NS_UTS)) {
		rp_error(err, 0, "%s: needs a uts namespace in linux.namespaces",
			 c->cfg->hostname && *c->cfg->hostname ? "hostname" : "domainname");
		goto out;
	}
	if (!c->cfg->root || !c->cfg->root->path) {
		rp_error(err, 0, "root.path: required");
		goto out;
	}
	joined = c->cfg->root->path[0] == '/' ? rp_xstrdup(c->cfg->root->path)
		: rp_xasprintf("%s/%s", c->bundle, c->cfg->root->path);
	struct stat st;
	if (!realpath(joined, buf) || stat(buf, &st) < 0) {
		rp_error(err, errno, "root.path: %s", joined);
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		rp_error(err, ENOTDIR, "root.path: %s", joined);
		goto out;
	}
	c->rootfs = rp_xstrdup(buf);
	if (!c->cfg->process) {
		rp_error(err, 0, "process: required to create a container");
		goto out;
	}
	ret = 0;
out:
	rp_verdict_clear(&v);
	rp_policy_free(pol);
	return ret;
}

/* A unix socket listening at path (mode 0600: only the host's root). */
static int listen_unix(const char *path, rp_err_t *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(addr.sun_path))
		return rp_error(err, ENAMETOOLONG, "%s", path);
	strcpy(addr.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rp_error(err, errno, "socket");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0600) < 0 || listen(fd, 1) < 0)
		return rp_error(err, errno, "listen on %s", path);
	return take_fd(fd);
}

static int save_config_copy(struct create_ctx *c, rp_err_t *err)
{
	json_writer *w = json_writer_new(true);
	size_t len;

	oci_config_write(w, c->cfg);
	const char *buf = json_writer_buf(w, &len);
	c->config_copy = rp_xasprintf("%s/%s", c->state_dir, CONFIG_COPY);
	int r = buf ? rp_write_file_atomic(c->config_copy, buf, len, 0600, err)
		    : rp_error(err, 0, "serialise the config");
	json_writer_free(w);
	return r < 0 ? rp_error_prefix(err, "save the config") : 0;
}

/* Step 2 up to the fork: state dir, config copy, exec fifo, cgroup, the
 * fds the children inherit. */
static int create_resources(struct create_ctx *c, bool internal_console, rp_err_t *err)
{
	const char *root = rp_container_root(c->g);
	const struct oci_linux *l = c->cfg->linux_cfg;

	if (rp_state_create_dir(root, c->o->id, err) < 0)
		return -1;
	c->state_dir_made = true;
	c->state_dir = rp_state_dir(root, c->o->id);
	c->lock_fd = rp_state_lock(root, c->o->id, err);
	if (c->lock_fd < 0)
		return -1;
	/* Picked here, not with the rest of the config: the pair is reserved
	 * in the state directory, which a failed create removes. */
	if (pick_selinux_labels(c, err) < 0 || save_config_copy(c, err) < 0)
		return -1;

	_cleanup_free_ char *fifo = rp_xasprintf("%s/%s", c->state_dir, EXEC_FIFO);
	if (mkfifo(fifo, 0600) < 0)
		return rp_error(err, errno, "mkfifo %s", fifo);
	/* O_RDWR never blocks on a fifo; G keeps it, O_CLOEXEC closes it at
	 * the program's execve, which is how start knows it happened. */
	c->fifo_fd = open(fifo, O_RDWR | O_CLOEXEC);
	if (c->fifo_fd < 0)
		return rp_error(err, errno, "open %s", fifo);

	if (c->o->console_socket) {
		c->console_fd = rp_console_socket_connect(c->o->console_socket, err);
		if (c->console_fd < 0)
			return -1;
	} else if (internal_console && c->cfg->process->terminal) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return rp_error(err, errno, "socketpair");
		c->console_peer = sv[0];
		c->console_fd = sv[1];
	}
	if (rp_ns_open(c->cfg, c->ns_fds, &c->unshare_flags, &c->new_userns, err) < 0)
		return -1;
	/* Before any fork: C and G inherit the fds (O_CLOEXEC, gone at the
	 * program's execve). */
	if (rp_rootfs_idmap_prepare(c->cfg, c->bundle, c->ns_fds[OCI_NS_USER], &c->idmapped, err) < 0)
		return -1;
	if (l && l->seccomp && l->seccomp->listener_path) {
		/* The init hands its seccomp notify fd to `start` through this
		 * socket; start, on the host, passes it to listenerPath. */
		_cleanup_free_ char *path = rp_xasprintf("%s/%s", c->state_dir, SECCOMP_SOCK);
		c->seccomp_sock = listen_unix(path, err);
		if (c->seccomp_sock < 0)
			return rp_error_prefix(err, "linux.seccomp.listenerPath");
	}

	struct rp_cgroup_opts cgo = { .id = c->o->id, .cgroups_path = l ? l->cgroups_path : NULL,
				      .systemd = c->g->systemd_cgroup };
	if (rp_cgroup_create(&cgo, l ? l->resources : NULL, &c->cg, err) < 0)
		return -1;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rp_error(err, errno, "socketpair");
	c->sync_fd = sv[0];
	c->child_sync_fd = sv[1];
	return 0;
}

/* Fork into the cgroup from birth when the kernel can (clone3 with
 * CLONE_INTO_CGROUP, cgroup v2: not even the child's first page fault is
 * accounted outside).  *placed says whether it worked; if not, the caller
 * moves the child itself. */
pid_t rp_fork_into_cgroup(struct rp_cgroup *cg, bool *placed)
{
	int cgfd = cg ? rp_cgroup_v2_fd(cg) : -1;
	pid_t pid = -1;

	*placed = false;
	if (cgfd >= 0) {
		struct rp_clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD,
					      .cgroup = (uint64_t)cgfd };
		pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
		*placed = pid >= 0;
		if (pid < 0)
			rp_debug("clone3(CLONE_INTO_CGROUP): %s, falling back to fork", strerror(errno));
	}
	return pid >= 0 ? pid : fork();
}

/* Fork C into the container's cgroup. */
static int spawn_child(struct create_ctx *c, struct rp_init_ctx *ictx, rp_err_t *err)
{
	bool placed;
	pid_t pid = rp_fork_into_cgroup(c->cg, &placed);

	if (pid < 0)
		return rp_error(err, errno, "fork");
	if (pid == 0) {
		/* The lock must not live on in the init: start needs it. */
		close(c->lock_fd);
		close(c->sync_fd);
		if (c->console_peer >= 0)
			close(c->console_peer);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		rp_init_child_main(ictx);
	}
	c->child = pid;
	rp_close_fd(&c->child_sync_fd);
	rp_close_fd(&c->console_fd);
	rp_close_fd(&c->seccomp_sock);
	if (!placed && rp_cgroup_enter(c->cg, pid, err) < 0)
		return -1;
	return rp_sync_send(c->sync_fd, RP_SYNC_CONT, 0, err);
}

static void fill_state(struct create_ctx *c, enum rp_status status)
{
	struct rp_state *st = &c->st;

	st->oci_version = (char *)OCI_SPEC_VERSION;
	st->id = (char *)c->o->id;
	st->status = status;
	st->pid = c->init;
	st->pid_start_time = pid_start_time(c->init);
	st->bundle = c->bundle;
	st->rootfs = c->rootfs;
	st->created = c->created;
	st->owner = (char *)"";
	st->cgroup_path = (char *)rp_cgroup_path(c->cg);
	st->config_path = c->config_copy;
	st->systemd_cgroup = c->g->systemd_cgroup;
	st->use_console_socket = c->o->console_socket != NULL;
	st->selinux_mcs = c->selinux_mcs;
}

static int run_runtime_hooks(struct create_ctx *c, rp_err_t *err)
{
	const struct oci_hooks *h = c->cfg->hooks;

	if (!h || (!h->prestart.n && !h->create_runtime.n))
		return 0;
	fill_state(c, RP_CREATING);
	c->st.annotations = rp_annotations_json(&c->cfg->annotations);
	_cleanup_free_ char *state = rp_state_json(&c->st);
	if (c->st.annotations)
		json_free(c->st.annotations);
	c->st.annotations = NULL;
	if (rp_hooks_run(&h->prestart, "prestart", state, false, err) < 0 ||
	    rp_hooks_run(&h->create_runtime, "createRuntime", state, false, err) < 0)
		return -1;
	return 0;
}

/* P's side of the conversation with C and G (see init.h). */
static int handshake(struct create_ctx *c, rp_err_t *err)
{
	struct rp_sync_msg m;
	int status;

	for (;;) {
		if (rp_sync_recv(c->sync_fd, &m, err) < 0)
			return -1;
		if (m.type == RP_SYNC_USERNS) {
			if (rp_ns_write_id_maps(c->child, c->cfg, err) < 0 ||
			    rp_sync_send(c->sync_fd, RP_SYNC_USERNS_DONE, 0, err) < 0)
				return -1;
			continue;
		}
		if (m.type != RP_SYNC_PID)
			return rp_error(err, EBADMSG, "sync with the container process: unexpected message %u", m.type);
		c->init = (pid_t)m.value;
		break;
	}
	/* C is done; reap it before G is let go, so G is the only peer left. */
	while (waitpid(c->child, &status, 0) < 0 && errno == EINTR)
		;
	c->child = 0;
	rp_debug("create '%s': init pid %d", c->o->id, c->init);

	fill_state(c, RP_CREATING);
	if (rp_state_save(rp_container_root(c->g), &c->st, err) < 0)
		return -1;
	if (rp_sync_send(c->sync_fd, RP_SYNC_CONT, 0, err) < 0 ||
	    rp_sync_expect(c->sync_fd, RP_SYNC_PREPARED, NULL, err) < 0)
		return -1;
	if (run_runtime_hooks(c, err) < 0)
		return -1;
	if (rp_sync_send(c->sync_fd, RP_SYNC_GO, c->init, err) < 0 ||
	    rp_sync_expect(c->sync_fd, RP_SYNC_READY, NULL, err) < 0)
		return -1;
	/* From outside: see rp_process_setup.oom_score_adj_done.  The value
	 * survives the init's execve. */
	return rp_process_set_oom_score_adj(c->cfg->process, c->init, err);
}

int rp_send_pidfd(const char *path, pid_t pid, rp_err_t *err)
{
	_cleanup_close_ int sock = rp_console_socket_connect(path, err);
	if (sock < 0)
		return rp_error_prefix(err, "--pidfd-socket");
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return rp_error(err, errno, "pidfd_open %d", pid);
	return rp_send_fd(sock, pidfd, "pidfd", err);
}

/* The shim reads it as soon as create returns: never half-written. */
int rp_write_pid_file(const char *file, pid_t pid, rp_err_t *err)
{
	char buf[32], cwd[PATH_MAX];
	int n = snprintf(buf, sizeof(buf), "%d", pid);
	_cleanup_free_ char *path = NULL;

	if (file[0] == '/')
		path = rp_xstrdup(file);
	else if (getcwd(cwd, sizeof(cwd)))
		path = rp_xasprintf("%s/%s", cwd, file);
	else
		return rp_error(err, errno, "--pid-file: getcwd");
	if (rp_write_file_atomic(path, buf, n, 0644, err) < 0)
		return rp_error_prefix(err, "--pid-file");
	return 0;
}

/* Record the created container: state.json, then what callers read. */
static int record_created(struct create_ctx *c, rp_err_t *err)
{
	fill_state(c, RP_CREATED);
	c->st.annotations = rp_annotations_json(&c->cfg->annotations);
	int r = rp_state_save(rp_container_root(c->g), &c->st, err);
	if (c->st.annotations)
		json_free(c->st.annotations);
	c->st.annotations = NULL;
	if (r < 0)
		return -1;
	if (c->o->pid_file && rp_write_pid_file(c->o->pid_file, c->init, err) < 0)
		return -1;
	if (c->o->pidfd_socket && rp_send_pidfd(c->o->pidfd_socket, c->init, err) < 0)
		return -1;
	return 0;
}

static int do_create(const struct rp_globals *g, const struct rp_create_opts *o, bool internal_console,
		     struct create_result *res, rp_err_t *err)
{
	struct create_ctx c;
	bool dry_run_done = false;
	int ret = -1;

	create_ctx_init(&c, g, o);
	res->init = 0;
	res->console_master = -1;
	if (rp_validate_id(o->id, err) < 0)
		goto out;
	if (load_config(&c, &dry_run_done, err) < 0 || dry_run_done) {
		ret = dry_run_done && !*err ? 0 : -1;
		goto out;
	}
	if (c.cfg->process->terminal && !o->console_socket && !internal_console) {
		rp_error(err, 0, "process.terminal is true: --console-socket is required");
		goto out;
	}
	rp_rfc3339_now(c.created);
	if (create_resources(&c, internal_console, err) < 0)
		goto fail;

	const struct oci_linux *l = c.cfg->linux_cfg;
	struct rp_init_ctx ictx = {
		.cfg = c.cfg, .id = o->id, .bundle = c.bundle, .rootfs = c.rootfs, .created = c.created,
		.state_dir = c.state_dir, .sync_fd = c.child_sync_fd, .fifo_fd = c.fifo_fd,
		.console_fd = c.console_fd, .unshare_flags = c.unshare_flags, .new_userns = c.new_userns,
		.preserve_fds = o->preserve_fds, .listen_fds = rp_process_listen_fds(),
		.no_new_keyring = o->no_new_keyring, .seccomp_sock = c.seccomp_sock,
		.ropts = {
			.rootfs = c.rootfs, .bundle = c.bundle, .no_pivot = o->no_pivot,
			.new_userns = c.new_userns || c.ns_fds[OCI_NS_USER] >= 0,
			.new_cgroupns = oci_config_namespace(c.cfg, OCI_NS_CGROUP) != NULL,
			.new_netns = oci_config_namespace(c.cfg, OCI_NS_NETWORK) != NULL,
			.mount_label = l ? l->mount_label : NULL,
			.idmapped = c.idmapped,
		},
	};
	memcpy(ictx.ns_fds, c.ns_fds, sizeof(ictx.ns_fds));
	/* Activation fds start at 3 like preserved ones: keep the larger range. */
	if (ictx.listen_fds > ictx.preserve_fds)
		ictx.preserve_fds = ictx.listen_fds;
	if (spawn_child(&c, &ictx, err) < 0 || handshake(&c, err) < 0)
		goto fail;
	if (c.console_peer >= 0) {
		res->console_master = rp_recv_fd(c.console_peer, err);
		if (res->console_master < 0)
			goto fail;
	}
	if (record_created(&c, err) < 0)
		goto fail;
	res->init = c.init;
	ret = 0;
	goto out;
fail:
	if (res->console_master >= 0)
		close(res->console_master);
	res->console_master = -1;
	create_abort(&c);
	rp_error_prefix(err, "create '%s'", o->id);
out:
	create_ctx_free(&c);
	return ret;
}

int rp_container_create(const struct rp_globals *g, const struct rp_create_opts *o, rp_err_t *err)
{
	struct create_result res;

	if (!o->dry_run && rp_cloned_binary_ensure(err) < 0)
		return -1;
	return do_create(g, o, false, &res, err);
}

/* ================================================================= start */

int rp_container_start(const struct rp_globals *g, const char *id, rp_err_t *err)
{
	const char *root = rp_container_root(g);
	struct rp_state st = { 0 };
	struct oci_config *cfg = NULL;
	_cleanup_free_ char *dir = NULL, *fifo = NULL;
	_cleanup_close_ int fd = -1, relay = -1;
	int ret = -1;

	if (rp_validate_id(id, err) < 0)
		return -1;
	_cleanup_close_ int lock = rp_state_lock(root, id, err);
	if (lock < 0 || rp_state_load(root, id, &st, err) < 0)
		return -1;
	rp_state_refresh(&st, root);
	switch (st.status) {
	case RP_CREATED:
		break;
	case RP_STOPPED:
		rp_error(err, 0, "cannot start a container that has stopped");
		goto out;
	case RP_RUNNING:
		rp_error(err, 0, "cannot start an already running container");
		goto out;
	case RP_PAUSED:
		rp_error(err, 0, "cannot start a paused container");
		goto out;
	default:
		rp_error(err, 0, "cannot start a container that is still being created");
		goto out;
	}

	dir = rp_state_dir(root, id);
	fifo = rp_xasprintf("%s/%s", dir, EXEC_FIFO);
	if (st.config_path && !(cfg = oci_config_parse_file(st.config_path, err)))
		goto out;
	const struct oci_seccomp *sc = cfg && cfg->linux_cfg ? cfg->linux_cfg->seccomp : NULL;
	if (sc && sc->listener_path) {
		/* Queued in the init's listening socket before it is released;
		 * it accepts after loading its filter (see create_resources). */
		_cleanup_free_ char *path = rp_xasprintf("%s/%s", dir, SECCOMP_SOCK);
		relay = rp_console_socket_connect(path, err);
		if (relay < 0) {
			rp_error_prefix(err, "linux.seccomp.listenerPath");
			goto out;
		}
	}
	fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO) {
		/* No reader: the init is gone. */
		rp_error(err, 0, "the container's init exited before start");
		goto out;
	}
	if (fd < 0) {
		rp_error(err, errno, "open %s", fifo);
		goto out;
	}
	if (write(fd, "0", 1) != 1) {
		rp_error(err, errno, "write %s", fifo);
		goto out;
	}
	/* The init's end closes at the program's execve (O_CLOEXEC), or when
	 * it dies: then the writer sees POLLERR. */
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = 0 };
		int r = poll(&pfd, 1, -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rp_error(err, errno, "poll %s", fifo);
			goto out;
		}
		if (pfd.revents & (POLLERR | POLLHUP))
			break;
	}
	unlink(fifo);
	if (relay >= 0) {
		/* The init sent its notify fd before execve; its end of the
		 * connection closed at execve, so this never blocks for long. */
		_cleanup_close_ int notify = rp_recv_fd(relay, err);
		_cleanup_free_ char *state = rp_state_json(&st);
		if (notify < 0 || rp_seccomp_send_listener(sc, notify, state, err) < 0) {
			rp_error_prefix(err, "linux.seccomp.listenerPath");
			kill(st.pid, SIGKILL);
			goto out;
		}
	}
	st.status = RP_RUNNING;
	if (rp_state_save(root, &st, err) < 0)
		goto out;

	/* Step 9: poststart hooks; a failure is an error and stops the
	 * container (runtime.md "Lifecycle" 9, continue at delete). */
	if (cfg && cfg->hooks && cfg->hooks->poststart.n) {
		_cleanup_free_ char *state = rp_state_json(&st);
		if (rp_hooks_run(&cfg->hooks->poststart, "poststart", state, false, err) < 0) {
			kill(st.pid, SIGKILL);
			goto out;
		}
	}
	ret = 0;
out:
	if (cfg)
		oci_config_free(cfg);
	rp_state_clear(&st);
	if (ret < 0)
		rp_error_prefix(err, "start '%s'", id);
	return ret;
}

/* =================================================================== run */

/* What a foreground run or exec takes through its signalfd: SIGCHLD, and
 * the signals it passes on to the container's process. */
void rp_forwarding_mask(sigset_t *mask)
{
	static const int forwarded[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGCONT, SIGTSTP,
		SIGTTIN, SIGTTOU, SIGWINCH,
	};

	sigemptyset(mask);
	sigaddset(mask, SIGCHLD);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(mask, forwarded[i]);
}

int rp_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

/* Wait for `pid` as its parent (and the reaper of orphans), forwarding
 * signals to it and the terminal when there is one.  Returns the exit code. */
int rp_wait_forwarding(pid_t pid, int sfd, int master, rp_err_t *err)
{
	struct rp_tty_proxy *tty = NULL;
	int code = -1;

	if (master >= 0 && rp_tty_proxy_begin(master, &tty, err) < 0)
		return -1;
	while (code < 0) {
		struct pollfd pfd[3] = { { .fd = sfd, .events = POLLIN }, { .fd = -1 }, { .fd = -1 } };
		if (tty) {
			pfd[1] = (struct pollfd){ .fd = rp_tty_proxy_stdin_fd(tty), .events = POLLIN };
			pfd[2] = (struct pollfd){ .fd = rp_tty_proxy_master_fd(tty), .events = POLLIN };
		}
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			rp_error(err, errno, "poll");
			break;
		}
		if (tty && (pfd[1].revents || pfd[2].revents) && !rp_tty_proxy_pump(tty, pfd[1].revents, pfd[2].revents)) {
			/* the pty hung up: keep waiting for the exit status only */
			rp_tty_proxy_end(tty);
			tty = NULL;
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGCHLD) {
			int status;
			pid_t r;
			/* A subreaper also inherits the container's orphans. */
			while ((r = waitpid(-1, &status, WNOHANG)) > 0)
				if (r == pid)
					code = rp_exit_code(status);
		} else if (si.ssi_signo == SIGWINCH && tty) {
			rp_tty_proxy_resize(tty);
		} else {
			kill(pid, si.ssi_signo);
		}
	}
	rp_tty_proxy_end(tty);
	return code;
}

int rp_container_run(const struct rp_globals *g, const struct rp_create_opts *o, int *exit_status, rp_err_t *err)
{
	struct create_result res = { .console_master = -1 };
	sigset_t mask, old;
	int ret = -1;

	*exit_status = 1;
	if (!o->dry_run && rp_cloned_binary_ensure(err) < 0)
		return -1;
	if (o->dry_run) {
		int r = do_create(g, o, false, &res, err);
		*exit_status = r < 0 ? 1 : 0;
		return r;
	}
	/* Signals are taken through a signalfd from before the init exists,
	 * so none is lost; the children restore the mask. */
	rp_forwarding_mask(&mask);
	if (!o->detach) {
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		sigprocmask(SIG_BLOCK, &mask, &old);
	}
	_cleanup_close_ int sfd = o->detach ? -1 : signalfd(-1, &mask, SFD_CLOEXEC);
	if (!o->detach && sfd < 0) {
		rp_error(err, errno, "signalfd");
		goto out;
	}
	bool internal_console = !o->detach && !o->console_socket;
	if (do_create(g, o, internal_console, &res, err) < 0)
		goto out;
	if (rp_container_start(g, o->id, err) < 0) {
		rp_err_t e = NULL;
		if (rp_container_delete(g, o->id, true, &e) < 0)
			rp_error_free(&e);
		goto out;
	}
	if (o->detach) {
		*exit_status = 0;
		ret = 0;
		goto out;
	}
	int code = rp_wait_forwarding(res.init, sfd, res.console_master, err);
	if (code < 0)
		goto out;
	*exit_status = code;
	ret = 0;
	if (!o->keep && rp_container_delete(g, o->id, false, err) < 0)
		ret = -1;
out:
	if (res.console_master >= 0)
		close(res.console_master);
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
