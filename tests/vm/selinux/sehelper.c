/* sehelper: the few SELinux operations the VM suite needs, in a static
 * binary (the guest's busybox has no SELinux applets and no libselinux).
 *
 *   sehelper load POLICY            write POLICY to /sys/fs/selinux/load
 *                                   (the kernel wants it in ONE write)
 *   sehelper enforce 0|1            set the enforcing mode
 *   sehelper bool NAME 0|1          set a boolean and commit it
 *   sehelper label CONTEXT PATH...  lsetxattr security.selinux
 *   sehelper rlabel CONTEXT DIR     the same, for a whole tree
 *   sehelper getfile PATH           print a file's context
 *   sehelper exec CONTEXT CMD...    exec CMD into CONTEXT (attr/exec)
 *   sehelper dyn CONTEXT CMD...     move to CONTEXT now (attr/current), exec CMD
 *
 * Test-only code: not part of rampart. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *tree_label;

static int die(const char *what, const char *arg)
{
	fprintf(stderr, "sehelper: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
	return 1;
}

static int write_file(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	close(fd);
	if (n < 0)
		return -1;
	if ((size_t) n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int load(const char *path)
{
	struct stat st;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		return die("open", path);
	buf = malloc(st.st_size);
	if (buf == NULL)
		return die("malloc", path);
	for (off_t got = 0; got < st.st_size;) {
		ssize_t n = read(fd, buf + got, st.st_size - got);
		if (n <= 0)
			return die("read", path);
		got += n;
	}
	close(fd);
	if (write_file("/sys/fs/selinux/load", buf, st.st_size) < 0)
		return die("load", path);
	free(buf);
	return 0;
}

static int label_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void) st; (void) type; (void) ftw;
	if (lsetxattr(path, "security.selinux", tree_label, strlen(tree_label) + 1, 0) < 0) {
		die("label", path);
		return 1;
	}
	return 0;
}

static int set_attr(const char *attr, const char *context)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/thread-self/attr/%s", attr);
	return write_file(path, context, strlen(context));
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char buf[512];

	if (strcmp(cmd, "load") == 0 && argc == 3)
		return load(argv[2]);
	if (strcmp(cmd, "enforce") == 0 && argc == 3)
		return write_file("/sys/fs/selinux/enforce", argv[2], strlen(argv[2])) < 0 ? die("enforce", argv[2]) : 0;
	if (strcmp(cmd, "bool") == 0 && argc == 4) {
		snprintf(buf, sizeof(buf), "/sys/fs/selinux/booleans/%s", argv[2]);
		if (write_file(buf, argv[3], strlen(argv[3])) < 0)
			return die("set boolean", argv[2]);
		return write_file("/sys/fs/selinux/commit_pending_bools", "1", 1) < 0 ? die("commit", argv[2]) : 0;
	}
	if (strcmp(cmd, "label") == 0 && argc >= 4) {
		int rc = 0;
		tree_label = argv[2];
		for (int i = 3; i < argc; i++)
			rc |= label_one(argv[i], NULL, 0, NULL);
		return rc;
	}
	if (strcmp(cmd, "rlabel") == 0 && argc == 4) {
		tree_label = argv[2];
		return nftw(argv[3], label_one, 32, FTW_PHYS) != 0;
	}
	if (strcmp(cmd, "getfile") == 0 && argc == 3) {
		ssize_t n = lgetxattr(argv[2], "security.selinux", buf, sizeof(buf) - 1);
		if (n < 0)
			return die("getfile", argv[2]);
		buf[n] = '\0';
		printf("%s\n", buf);
		return 0;
	}
	if ((strcmp(cmd, "exec") == 0 || strcmp(cmd, "dyn") == 0) && argc >= 4) {
		if (set_attr(cmd[0] == 'e' ? "exec" : "current", argv[2]) < 0)
			return die(cmd[0] == 'e' ? "set exec context" : "set current context", argv[2]);
		execv(argv[3], argv + 3);
		return die("exec", argv[3]);
	}
	fprintf(stderr, "usage: sehelper load|enforce|bool|label|rlabel|getfile|exec|dyn ...\n");
	return 2;
}
