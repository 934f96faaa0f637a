#!/usr/bin/python3
# recv-fd.py SOCK MODE OUT: listen on the unix socket SOCK, touch OUT.ready
# once listening, take the first fd sent over the first connection (what
# rampart does with --console-socket and --pidfd-socket), and write to OUT:
#   MODE pty    everything read from the fd until EOF or EIO (the pty's
#               output, once the process holding the other side is gone)
#   MODE pidfd  the "Pid:" of the fd's fdinfo: the process it refers to
import os
import socket
import sys

path, mode, out = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
open(out + ".ready", "w").close()
conn, _ = s.accept()
_, fds, _, _ = socket.recv_fds(conn, 4096, 4)
if not fds:
    sys.exit("recv-fd: no fd received on " + path)
if mode == "pidfd":
    with open("/proc/self/fdinfo/%d" % fds[0]) as f:
        pid = [line.split()[1] for line in f if line.startswith("Pid:")]
    with open(out, "w") as f:
        f.write(pid[0] + "\n" if pid else "no Pid: line\n")
    sys.exit(0)
data = b""
while True:
    try:
        chunk = os.read(fds[0], 4096)
    except OSError:  # EIO: the pty's other side is closed
        break
    if not chunk:
        break
    data += chunk
with open(out, "wb") as f:
    f.write(data)
