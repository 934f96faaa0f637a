/* rampart: process.terminal — the pseudo-terminal of a container process and
 * the console socket that hands its master side to the caller. */
#ifndef RAMPART_TERMINAL_H
#define RAMPART_TERMINAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "oci-config.h"

/* Connect to a --console-socket path (an AF_UNIX stream socket the caller
 * listens on).  Done by the runtime before any fork, so a bad path fails
 * create before anything exists. */
int rp_console_socket_connect(const char *path, rp_err_t *err);

/* Pass one fd over a unix socket with SCM_RIGHTS, with `name` as payload
 * (runc sends the pty's name; callers read and ignore it). */
int rp_send_fd(int sock, int fd, const char *name, rp_err_t *err);
/* Receive one fd passed with SCM_RIGHTS. */
int rp_recv_fd(int sock, rp_err_t *err);

/* In the container process, after pivot_root: open a pty from the
 * container's /dev/ptmx, send the master over console_sock, make the slave
 * the controlling terminal and stdio.  When bind_console, the slave is also
 * bind-mounted over /dev/console (the container's init). */
int rp_terminal_setup(int console_sock, const struct oci_console_size *size, bool bind_console,
		      rp_err_t *err);

/* `run` with a terminal and no --console-socket: proxy between the caller's
 * stdio and the master until the master hangs up.  Sets the caller's tty raw
 * and restores it. */
struct rp_tty_proxy;
int rp_tty_proxy_begin(int master, struct rp_tty_proxy **out, rp_err_t *err);
/* Move data that is ready (called when poll says so); returns false once
 * the master has hung up. */
bool rp_tty_proxy_pump(struct rp_tty_proxy *p, short in_revents, short master_revents);
int rp_tty_proxy_stdin_fd(const struct rp_tty_proxy *p);
int rp_tty_proxy_master_fd(const struct rp_tty_proxy *p);
/* Copy the caller's window size to the pty (SIGWINCH). */
void rp_tty_proxy_resize(struct rp_tty_proxy *p);
/* Drain what the container wrote last, restore the tty, free. */
void rp_tty_proxy_end(struct rp_tty_proxy *p);

#endif
