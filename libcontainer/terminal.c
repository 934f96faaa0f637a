/* rampart: pseudo-terminals and console sockets (see terminal.h). */
#include "config-host.h"
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "utils.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int rp_console_socket_connect(const char *path, rp_err_t *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(addr.sun_path))
		return rp_error(err, ENAMETOOLONG, "--console-socket %s", path);
	strcpy(addr.sun_path, path);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rp_error(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return rp_error(err, errno, "--console-socket %s", path);
	return take_fd(fd);
}

int rp_send_fd(int sock, int fd, const char *name, rp_err_t *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	const char *payload = name && *name ? name : "fd";
	struct iovec iov = { .iov_base = (void *)payload, .iov_len = strlen(payload) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	memset(u.buf, 0, sizeof(u.buf));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ssize_t r;
	do
		r = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return rp_error(err, errno, "send fd over socket");
	return 0;
}

int rp_recv_fd(int sock, rp_err_t *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char payload[4096];
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof(payload) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	ssize_t r;

	do
		r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return rp_error(err, errno, "receive fd");
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (r == 0 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return rp_error(err, EBADMSG, "receive fd: no file descriptor in the message");
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Bind the pty slave over /dev/console, creating the mount point when the
 * rootfs has none.  O_PATH|O_NOFOLLOW: never open a device node that the
 * rootfs may have put there, and never follow its symlink. */
static int bind_dev_console(const char *slave_path, rp_err_t *err)
{
	char buf[RP_FD_PATH_MAX];
	_cleanup_close_ int target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (target < 0 && errno == ENOENT) {
		int fd = open("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (target < 0)
		return rp_error(err, errno, "/dev/console");
	struct stat st;
	if (fstat(target, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		return rp_error(err, EINVAL, "/dev/console: not a file or device");
	if (mount(slave_path, rp_fd_path(target, buf), NULL, MS_BIND, NULL) < 0)
		return rp_error(err, errno, "bind %s on /dev/console", slave_path);
	return 0;
}

int rp_terminal_setup(int console_sock, const struct oci_console_size *size, bool bind_console,
		      rp_err_t *err)
{
	int unlock = 0, n;
	char name[64];

	/* The container's own devpts (its /dev/ptmx): a pty of the host's
	 * devpts would be visible to the host's tty users. */
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return rp_error(err, errno, "process.terminal: open /dev/ptmx");
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0 || ioctl(master, TIOCGPTN, &n) < 0)
		return rp_error(err, errno, "process.terminal: unlock pty");
	snprintf(name, sizeof(name), "/dev/pts/%d", n);
	/* TIOCGPTPEER opens the slave from the master itself: no path lookup
	 * that a racing process could redirect. */
	_cleanup_close_ int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return rp_error(err, errno, "process.terminal: open pty slave");
	if (size) {
		struct winsize ws = { .ws_row = size->height, .ws_col = size->width };
		if (ioctl(slave, TIOCSWINSZ, &ws) < 0)
			return rp_error(err, errno, "process.consoleSize");
	}
	if (bind_console && bind_dev_console(name, err) < 0)
		return rp_error_prefix(err, "process.terminal");
	if (rp_send_fd(console_sock, master, name, err) < 0)
		return rp_error_prefix(err, "console socket");
	if (setsid() < 0)
		return rp_error(err, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return rp_error(err, errno, "process.terminal: set controlling terminal");
	for (int i = 0; i <= 2; i++)
		if (dup2(slave, i) < 0)
			return rp_error(err, errno, "process.terminal: dup2");
	return 0;
}

/* ------------------------------------------------------------ run's proxy */

struct rp_tty_proxy {
	int in, master;
	bool raw;
	struct termios saved;
};

int rp_tty_proxy_begin(int master, struct rp_tty_proxy **out, rp_err_t *err)
{
	struct rp_tty_proxy *p = rp_xcalloc(1, sizeof(*p));

	(void)err;
	p->in = STDIN_FILENO;
	p->master = master;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &p->saved) == 0) {
		struct termios raw = p->saved;
		/* Raw both ways: the container's pty already does the line
		 * discipline (echo, CR/LF) that the user's terminal would. */
		cfmakeraw(&raw);
		if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
			p->raw = true;
		rp_tty_proxy_resize(p);
	}
	*out = p;
	return 0;
}

int rp_tty_proxy_stdin_fd(const struct rp_tty_proxy *p) { return p->in; }
int rp_tty_proxy_master_fd(const struct rp_tty_proxy *p) { return p->master; }

void rp_tty_proxy_resize(struct rp_tty_proxy *p)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		ioctl(p->master, TIOCSWINSZ, &ws);
}

static bool copy_once(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	return rp_write_all(to, buf, n) == n;
}

bool rp_tty_proxy_pump(struct rp_tty_proxy *p, short in_revents, short master_revents)
{
	if (p->in >= 0 && (in_revents & (POLLIN | POLLHUP | POLLERR))) {
		if (!copy_once(p->in, p->master))
			p->in = -1; /* stdin closed: keep showing output */
	}
	if (master_revents & POLLIN)
		if (!copy_once(p->master, STDOUT_FILENO))
			return false;
	if ((master_revents & (POLLHUP | POLLERR)) && !(master_revents & POLLIN))
		return false;
	return true;
}

void rp_tty_proxy_end(struct rp_tty_proxy *p)
{
	if (!p)
		return;
	/* Whatever the container printed before it exited is still in the pty. */
	int fl = fcntl(p->master, F_GETFL);
	if (fl >= 0 && fcntl(p->master, F_SETFL, fl | O_NONBLOCK) == 0)
		while (copy_once(p->master, STDOUT_FILENO)) {
			struct pollfd pfd = { .fd = p->master, .events = POLLIN };
			if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
				break;
		}
	if (p->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &p->saved);
	free(p);
}
