/* rampart: the processes that become a container, and how they talk to the
 * runtime process that spawned them.
 *
 * create runs three processes (see container.c for the full picture):
 *   P  the runtime (rampart create); it stays in the host's namespaces, runs
 *      the runtime-side hooks and records the state;
 *   C  a short-lived child of P: joins and creates the namespaces (the pid
 *      and time namespaces only apply to C's children), then forks G and exits;
 *   G  the container's init, pid 1 of the new pid namespace, forked by C with
 *      CLONE_PARENT so it is P's child: P can wait for it in `run`.
 * P, C and G talk over one SOCK_SEQPACKET socketpair with fixed-size
 * messages; a SOCK_SEQPACKET keeps message boundaries, and the peer's
 * death is an EOF, so nobody waits for a process that is gone. */
#ifndef RAMPART_INIT_H
#define RAMPART_INIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"
#include "oci-config.h"
#include "rootfs.h"

enum rp_sync_type {
	RP_SYNC_ERROR = 1,   /* child -> P: text is the error message */
	RP_SYNC_CONT,        /* P -> child: go on (cgroup joined / C reaped) */
	RP_SYNC_USERNS,      /* C -> P: unshared the user ns, write its id maps */
	RP_SYNC_USERNS_DONE, /* P -> C: the maps are written */
	RP_SYNC_PID,         /* C -> P: value is the init's pid (P's pid ns) */
	RP_SYNC_PREPARED,    /* G -> P: mounts done, pivot_root next: run prestart and createRuntime hooks */
	RP_SYNC_GO,          /* P -> G: hooks done, value is G's pid as the host sees it */
	RP_SYNC_READY,       /* G -> P: waiting on the exec fifo for `start` */
};

struct rp_sync_msg {
	uint32_t type;
	int32_t errnum;
	int64_t value;
	char text[2048];
};

int rp_sync_send(int fd, uint32_t type, int64_t value, rp_err_t *err);
/* Send an error message; used by children, best effort. */
void rp_sync_send_error(int fd, rp_err_t e);
/* Receive one message; an EOF is an error ("the container process exited
 * before ..."), an RP_SYNC_ERROR message becomes *err (returns -1). */
int rp_sync_recv(int fd, struct rp_sync_msg *m, rp_err_t *err);
/* Receive and insist on one message type. */
int rp_sync_expect(int fd, uint32_t type, int64_t *value, rp_err_t *err);

/* config.annotations as the JSON object state.json and hooks carry (NULL
 * when there are none).  Free with json_free. */
json_value *rp_annotations_json(const struct str_map *m);

/* What C and G need: they are forks of P, so this lives in their copy of P's
 * memory and nothing has to be serialised. */
struct rp_init_ctx {
	const struct oci_config *cfg;
	const char *id;
	const char *bundle;
	const char *rootfs;
	const char *created;         /* RFC 3339, for the state given to hooks */
	const char *state_dir;
	struct rp_rootfs_opts ropts;
	int sync_fd;                 /* the children's end of the socketpair */
	int fifo_fd;                 /* exec fifo, O_RDWR|O_CLOEXEC */
	int console_fd;              /* connected console socket or -1 */
	int ns_fds[OCI_NS__COUNT];   /* namespaces joined by path, -1 when new/absent */
	int unshare_flags;           /* new namespaces except the user namespace */
	bool new_userns;
	int preserve_fds;            /* including the listen fds */
	int listen_fds;
	bool no_new_keyring;
	int seccomp_sock;            /* listening <state>/seccomp.sock, or -1 */
};

/* C's and G's code; never return. */
void rp_init_child_main(struct rp_init_ctx *ctx) __attribute__((noreturn));

/* exec: E1 joins the container (namespaces, root) and forks E2 into its pid
 * namespace (CLONE_PARENT: E2 is the runtime's child), reports E2's pid and
 * exits; E2 sets up the process and execs it.  E2's end of the sync socket
 * is O_CLOEXEC, so the runtime reads an EOF exactly when execve succeeded,
 * or an error message. */
struct rp_exec_ctx {
	const struct oci_config *cfg;  /* the container's config, process = the exec'd one */
	const char *id;
	int sync_fd;
	int console_fd;                /* or -1 */
	int ns_fds[OCI_NS__COUNT];     /* the init's namespaces that are not ours */
	int init_pidfd;                /* the init: setns(pidfd) joins all at once */
	int root_fd;                   /* /proc/<init>/root: the container's root */
	int preserve_fds;              /* including the listen fds */
	int listen_fds;
	const char *state_json;
	int seccomp_sock;              /* socketpair end for the notify fd, or -1 */
};
void rp_exec_child_main(struct rp_exec_ctx *ctx) __attribute__((noreturn));

#endif
