#!/usr/bin/env bats
# A real distribution under the default seccomp profile: a Debian bookworm
# rootfs (debootstrap minbase + python3) runs its shell, dpkg, apt-get and
# python3 (threads, subprocesses, asyncio, sockets) with the filter a config
# without linux.seccomp gets.  The rootfs is built once into the test cache
# (about 70 s and 260 MB from deb.debian.org) and then used read-only.

load helpers
load lifecycle-helpers

DEBIAN_SUITE=bookworm

# The mirror this machine's apt uses, else deb.debian.org.
debian_mirror() {
	local m
	m=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		grep -oE 'https?://[^ ]+' | grep -v security | head -1)
	echo "${m:-http://deb.debian.org/debian}"
}

# debian_rootfs: the cached rootfs path, building it when absent.
debian_rootfs() {
	local dir="$CACHE_DIR/debian-$DEBIAN_SUITE-minbase-python3"
	if [ ! -x "$dir/usr/bin/python3" ]; then
		command -v debootstrap >/dev/null || return 2
		local tmp="$dir.tmp.$$"
		rm -rf "$tmp"
		mkdir -p "$CACHE_DIR"
		if ! debootstrap --variant=minbase --include=python3 "$DEBIAN_SUITE" "$tmp" "$(debian_mirror)" \
			>"$CACHE_DIR/debootstrap.log" 2>&1; then
			rm -rf "$tmp"
			return 3
		fi
		rm -rf "$dir"
		mv "$tmp" "$dir"
	fi
	echo "$dir"
}

local_setup() {
	local rc=0
	DEBIAN_ROOTFS=$(debian_rootfs) || rc=$?
	case $rc in
	0) ;;
	2) skip "debootstrap is not installed (apt-get install debootstrap)" ;;
	*) skip "debootstrap of $DEBIAN_SUITE from $(debian_mirror) failed: $(tail -3 "$CACHE_DIR/debootstrap.log" | tr '\n' ' ')" ;;
	esac
	# the cache is shared and stays untouched: read-only, by absolute path
	update_config ".root = {\"path\": \"$DEBIAN_ROOTFS\", \"readonly\": true}
		| del(.linux.seccomp)
		| .process.env = [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"HOME=/root\", \"LANG=C.UTF-8\"]"
}

# run_script NAME: run /mnt/NAME from $BATS_TEST_TMPDIR/scripts, bound
# read-only over the rootfs's empty /mnt (the cached rootfs is never written).
run_script() {
	chmod -R a+rX "$BATS_TEST_TMPDIR/scripts"
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\",
			\"source\": \"$BATS_TEST_TMPDIR/scripts\", \"options\": [\"rbind\", \"ro\"]}]
		| .process.args = [\"/bin/bash\", \"/mnt/$1\"]"
	run rp run --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
}

@test "debian: shell, dpkg, apt-get and python3 run under the default profile" {
	mkdir -p "$BATS_TEST_TMPDIR/scripts"
	cat >"$BATS_TEST_TMPDIR/scripts/work.sh" <<'EOF'
grep ^Seccomp: /proc/self/status
. /etc/os-release; echo "$PRETTY_NAME"
echo "packages $(dpkg -l | grep -c ^ii)"
dpkg --verify dpkg && echo VERIFY-OK
dpkg -s python3 | grep ^Status
apt-get --version | head -1
apt-cache policy python3 | head -2
python3 /mnt/work.py
EOF
	cat >"$BATS_TEST_TMPDIR/scripts/work.py" <<'EOF'
import asyncio, hashlib, multiprocessing, os, socket, ssl, subprocess, tempfile, threading, time
threads = [threading.Thread(target=time.sleep, args=(0.01,)) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
assert subprocess.run(["echo", "sub"], capture_output=True, text=True).stdout == "sub\n"
with multiprocessing.Pool(2) as p:
    assert p.map(abs, [-1, -2]) == [1, 2]
async def main():
    await asyncio.sleep(0.01)
    return 7
assert asyncio.run(main()) == 7
a, b = socket.socketpair(); a.sendall(b"x"); assert b.recv(1) == b"x"
socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).close()
with tempfile.NamedTemporaryFile(dir="/tmp") as f:
    f.write(b"data"); f.flush(); os.fsync(f.fileno())
ssl.create_default_context()
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    print("AF_PACKET-ALLOWED")
except OSError as e:
    print("AF_PACKET errno", e.errno)
print("PYTHON-OK", hashlib.sha256(b"rampart").hexdigest()[:8])
EOF
	run_script work.sh
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"Debian GNU/Linux 12"* ]]
	[[ "$output" == *VERIFY-OK* ]]
	[[ "$output" == *"Status: install ok installed"* ]]
	[[ "$output" == *"apt 2."* ]]
	[[ "$output" == *"AF_PACKET errno 97"* ]]
	[[ "$output" == *PYTHON-OK* ]]
}

@test "debian: the default profile still denies unshare, mount, keyctl and bpf" {
	mkdir -p "$BATS_TEST_TMPDIR/scripts"
	cat >"$BATS_TEST_TMPDIR/scripts/deny.sh" <<'EOF'
exec python3 - <<'PY'
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
def rc(name, *args):
    r = getattr(libc, name)(*args)
    return errno.errorcode.get(ctypes.get_errno(), "?") if r == -1 else "ok"
keyctl, bpf = {"x86_64": (250, 321), "aarch64": (219, 280)}[os.uname().machine]
print("unshare", rc("unshare", 0x10000000))                  # CLONE_NEWUSER
print("mount", rc("mount", b"none", b"/tmp", b"tmpfs", 0, None))
print("keyctl", rc("syscall", keyctl, 0, -3))                 # KEYCTL_GET_KEYRING_ID, session
print("bpf", rc("syscall", bpf, 5, None, 0))                  # BPF_PROG_LOAD
PY
EOF
	run_script deny.sh
	[ "$status" -eq 0 ]
	[[ "$output" == *"unshare EPERM"* ]]
	[[ "$output" == *"mount EPERM"* ]]
	[[ "$output" == *"keyctl EPERM"* ]]
	[[ "$output" == *"bpf EPERM"* ]]
}
