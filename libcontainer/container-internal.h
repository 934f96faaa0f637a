/* rampart: what container.c (create, start, run) shares with exec.c.
 * Not part of libcontainer's interface: container.h is. */
#ifndef RAMPART_CONTAINER_INTERNAL_H
#define RAMPART_CONTAINER_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "container.h"
#include "error.h"

/* --root, or the default state root. */
const char *rp_container_root(const struct rp_globals *g);

/* Close *fd if open and mark it closed. */
void rp_close_fd(int *fd);

/* SIGKILL and reap *pid if set, then clear it. */
void rp_reap(pid_t *pid);

/* fork(), into `cg` from birth where the kernel can (cg may be NULL). */
pid_t rp_fork_into_cgroup(struct rp_cgroup *cg, bool *placed);

/* The signals a foreground run or exec takes through its signalfd. */
void rp_forwarding_mask(sigset_t *mask);

/* As its parent: wait for `pid`, forwarding the signals read from `sfd`
 * (and pumping the terminal `master`, when >= 0).  Returns the shell-style
 * exit code (128+N for a signal), or -1. */
int rp_wait_forwarding(pid_t pid, int sfd, int master, rp_err_t *err);

/* A wait status as a shell-style exit code. */
int rp_exit_code(int status);

/* --pid-file, written atomically (the shim reads it as soon as we return). */
int rp_write_pid_file(const char *file, pid_t pid, rp_err_t *err);

/* --pidfd-socket: send a pidfd of `pid` over the unix socket at `path`. */
int rp_send_pidfd(const char *path, pid_t pid, rp_err_t *err);

#endif
