#!/usr/bin/env bats
# seccomp seen from inside real containers: the default profile that a config
# without linux.seccomp gets, profiles given in config.json (errnoRet, args,
# SCMP_ACT_NOTIFY with a listener).  Where the kernel would refuse anyway,
# the test runs the same thing once with the syscall allowed, so the EPERM
# seen is seccomp's and not the kernel's.

load helpers
load lifecycle-helpers

DEFAULT_PROFILE="$TESTS_DIR/../seccomp-profiles/default.json"

# use_profile JQ_FILTER: linux.seccomp = the default profile edited by FILTER
# (a default-deny base, which the hardened policy accepts).
use_profile() {
	local p
	p=$(jq -c "$1" "$DEFAULT_PROFILE")
	update_config ".linux.seccomp = $p"
}

# allow_syscalls NAME...: the default profile plus an unconditional allow.
allow_syscalls() {
	local names
	names=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	use_profile ".syscalls += [{\"names\": $names, \"action\": \"SCMP_ACT_ALLOW\"}]"
}

# A jq filter removing NAMES from every rule (so a new rule can own them).
without() {
	local names
	names=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
	echo ".syscalls |= map(.names -= $names | select(.names | length > 0))"
}

@test "seccomp: a config without linux.seccomp runs under the default filter" {
	update_config 'del(.linux.seccomp)'
	run_sh 'grep -E "^Seccomp(_filters)?:" /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"Seccomp_filters:	1"* ]]
}

@test "seccomp: the default profile denies unshare(CLONE_NEWUSER) with EPERM" {
	# baseline: the kernel lets the container make a nested user namespace
	allow_syscalls unshare
	run_sh 'unshare -U true && echo NESTED-OK'
	echo "baseline: $output"
	[[ "$output" == *NESTED-OK* ]] || skip "the kernel refuses nested user namespaces here: $output"

	update_config 'del(.linux.seccomp)'
	run_sh 'unshare -U true; echo rc=$?'
	echo "$output"
	[[ "$output" == *"Operation not permitted"* ]]
	[[ "$output" == *rc=1* ]]
}

@test "seccomp: the default profile denies mount(2) even with CAP_SYS_ADMIN" {
	export RAMPART_POLICY=compat
	update_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
	# baseline: CAP_SYS_ADMIN over the container's own mount namespace mounts tmpfs
	allow_syscalls mount umount2
	run_sh 'mount -t tmpfs none /tmp && echo MOUNTED'
	echo "baseline: $output"
	[[ "$output" == *MOUNTED* ]]

	use_profile '.'
	run_sh 'mount -t tmpfs none /tmp; echo rc=$?'
	echo "$output"
	[[ "$output" != *MOUNTED* ]]
	[[ "$output" == *"rc=255"* || "$output" == *"rc=1"* ]]
	[[ "$output" == *"ermission denied"* || "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: ordinary work runs under the default profile" {
	update_config 'del(.linux.seccomp)'
	run_sh 'set -e; mkdir /tmp/d; echo hi >/tmp/d/f; cat /tmp/d/f; ln -s f /tmp/d/l; ls -l /tmp/d >/dev/null
		sleep 0.1 & wait; ps >/dev/null; id -u >/dev/null; date >/dev/null; sort </tmp/d/f | md5sum >/dev/null
		mv /tmp/d/f /tmp/d/g; rm -r /tmp/d; echo DONE'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *hi* ]]
	[[ "$output" == *DONE* ]]
}

@test "seccomp: SCMP_ACT_ERRNO with errnoRet 38 makes mkdir fail with ENOSYS" {
	use_profile "$(without mkdir mkdirat) | .syscalls += [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38}]"
	run_sh 'mkdir /tmp/x; echo rc=$?; touch /tmp/y && echo touch-ok'
	echo "$output"
	[[ "$output" == *"Function not implemented"* ]]
	[[ "$output" == *rc=1* ]]
	[[ "$output" == *touch-ok* ]]
}

@test "seccomp: args filters: chmod to 0777 denied, to 0755 allowed" {
	# mode is argument 1 of chmod and argument 2 of fchmodat
	use_profile "$(without chmod fchmodat fchmodat2) | .syscalls += [
		{\"names\": [\"chmod\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 1, \"value\": 511, \"op\": \"SCMP_CMP_NE\"}]},
		{\"names\": [\"fchmodat\", \"fchmodat2\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 2, \"value\": 511, \"op\": \"SCMP_CMP_NE\"}]}]"
	run_sh 'touch /tmp/f; chmod 755 /tmp/f && echo 755-ok; chmod 777 /tmp/f; echo rc=$?; stat -c %a /tmp/f'
	echo "$output"
	[[ "$output" == *755-ok* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[ "${lines[-1]}" = 755 ]
}

@test "seccomp: a bad profile fails create with the field named" {
	use_profile '.syscalls[3].args = [{"index": 0, "value": 1, "op": "SCMP_CMP_NE"}, {"index": 0, "value": 2, "op": "SCMP_CMP_NE"}]'
	run rp create --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.seccomp.syscalls[3].args[1]"* ]]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

# A seccomp agent in python3: accept one connection, take the notify fd from
# SCM_RIGHTS, save the container process state, then answer every notified
# syscall with ENOSPC (SECCOMP_IOCTL_NOTIF_RECV / _SEND).
AGENT='
import array, fcntl, json, socket, struct, sys
path, out = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path); srv.listen(1)
open(out + ".ready", "w").close()
conn, _ = srv.accept()
fds = array.array("i")
msg, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(4))
for level, kind, data in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(data[:4])
while True:
    more = conn.recv(65536)
    if not more:
        break
    msg += more
state = json.loads(msg)
state["_received_fds"] = len(fds)
json.dump(state, open(out, "w"))
RECV, SEND = 0xC0502100, 0xC0182101   # _IOWR("!", 0, 80), _IOWR("!", 1, 24)
while True:
    req = bytearray(80)
    try:
        fcntl.ioctl(fds[0], RECV, req)
    except OSError:
        break                          # the filter is gone: container exited
    notif_id, pid, flags, nr = struct.unpack_from("=QIIi", req)
    try:
        fcntl.ioctl(fds[0], SEND, bytearray(struct.pack("=QqiI", notif_id, 0, -28, 0)))
    except OSError:
        pass
'

@test "seccomp: SCMP_ACT_NOTIFY sends the fd and the process state to listenerPath" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	local sock="$BATS_TEST_TMPDIR/agent.sock" out="$BATS_TEST_TMPDIR/agent.json"
	python3 -c "$AGENT" "$sock" "$out" &
	local agent=$!
	wait_for test -e "$out.ready"
	use_profile "$(without mkdir mkdirat) | .listenerPath = \"$sock\" | .listenerMetadata = \"h5-meta\"
		| .syscalls += [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]"
	run_sh 'mkdir /tmp/x; echo rc=$?'
	echo "$output"
	kill "$agent" 2>/dev/null || true
	wait "$agent" 2>/dev/null || true
	cat "$out" || true
	[[ "$output" == *"No space left on device"* ]]
	[ "$(jq -r '.fds[0]' "$out")" = seccompFd ]
	[ "$(jq -r '._received_fds' "$out")" = 1 ]
	[ "$(jq -r '.metadata' "$out")" = h5-meta ]
	[ "$(jq -r '.state.id' "$out")" = "$ID" ]
	[ "$(jq -r '.pid > 0' "$out")" = true ]
	[ -n "$(jq -r '.ociVersion' "$out")" ]
}
