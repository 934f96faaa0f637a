#!/usr/bin/env bats
# The client contract (shared notes: client-contract.md), replayed call by
# call: every argv form that containerd's shim and go-runc, podman/conmon
# and CRI-O were seen (or read) to use, written exactly as they write it,
# and checked for what each caller relies on, from the kernel's side
# (/proc, cgroup files), not from rampart's own account.
#
# Test names: "contract: CALLER: CALL FORM".

load helpers
load lifecycle-helpers

RFC3339_NS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+(Z|[+-][0-9]{2}:[0-9]{2})$'

# --- the callers' global flags -------------------------------------------

LOG() { echo "$BUNDLE/log.json"; }
# containerd-shim-runc-v2: every call carries these global flags.
shim() { "$RAMPART" --root "$ROOT" --log "$(LOG)" --log-format json "$@"; }
# CRI-O: --root only.
crio() { "$RAMPART" --root "$ROOT" "$@"; }

# The "msg" of the last line of FILE whose "level" is "error" (what the
# shim shows the user); fails when a line is not a {level,msg,time} object
# with an RFC3339 time.
last_error() {
	/usr/bin/python3 - "$1" <<'EOF'
import json, re, sys
last = None
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) >= {"level", "msg", "time"}, o
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", o["time"]), o
    if o["level"] == "error":
        last = o["msg"]
if last is None:
    sys.exit("no error line in " + sys.argv[1])
print(last)
EOF
}

# --- fds over unix sockets (console socket, pidfd socket) ---------------

# fd_receiver SOCK MODE OUT: listen on SOCK in the background ($RECV is its
# pid) and, for the first fd received, write to OUT either everything read
# from it until EOF/EIO (MODE pty) or the "Pid:" of its fdinfo (MODE pidfd).
fd_receiver() {
	timeout 30 /usr/bin/python3 "$TESTS_DIR/lib/recv-fd.py" "$1" "$2" "$3" &
	RECV=$!
	wait_for test -e "$3.ready"
}

# --- cgroups on this host (hybrid: v1 controllers, cgroup2 "unified") ----

# The container's cgroup directory for a v1 controller name.
cg_dir() {
	local ctrl="$1" path="${2:-/rampart/$ID}"
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo "/sys/fs/cgroup$path"
	elif [ "$(stat -fc %T "/sys/fs/cgroup/$ctrl" 2>/dev/null)" = cgroupfs ]; then
		echo "/sys/fs/cgroup/$ctrl$path"
	else
		echo "/sys/fs/cgroup/unified$path"
	fi
}
is_v1() { [[ "$(cg_dir "$1")" != /sys/fs/cgroup/unified* ]] && [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; }
# skip unless every controller named is usable here (a pure cgroup2 view
# such as v2view lacks those the host binds to v1)
require_controllers() {
	local c v2root=/sys/fs/cgroup/unified
	[ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] && v2root=/sys/fs/cgroup
	for c in "$@"; do
		is_v1 "$c" || grep -qw "$c" "$v2root/cgroup.controllers" 2>/dev/null ||
			skip "no $c controller in this cgroup view"
	done
}
mem_limit_file() { if is_v1 memory; then echo "$(cg_dir memory)/memory.limit_in_bytes"; else echo "$(cg_dir memory)/memory.max"; fi; }
# "FROZEN"/"THAWED" (v1 freezer.state) or 1/0 (v2 cgroup.freeze)
frozen() {
	if is_v1 freezer; then [ "$(cat "$(cg_dir freezer)/freezer.state")" = FROZEN ]
	else [ "$(cat "$(cg_dir freezer)/cgroup.freeze")" = 1 ]; fi
}
thawed() {
	if is_v1 freezer; then [ "$(cat "$(cg_dir freezer)/freezer.state")" = THAWED ]
	else [ "$(cat "$(cg_dir freezer)/cgroup.freeze")" = 0 ]; fi
}

# --- containers ----------------------------------------------------------

# A container whose init marks each USR1 and TERM it gets in its /tmp,
# readable from the host through /proc/PID/root.
use_trapper() {
	update_config '.process.args = ["sh", "-c", "trap \"echo usr1 >>/tmp/got\" USR1; trap \"echo term >>/tmp/got\" TERM; sleep 1003 & while :; do sleep 0.1; done"]'
}

# ctr_pid CALLER CMDLINE: the pid (host) of the container's process whose
# command line is CMDLINE, found among `CALLER ps --format json $ID`.
ctr_pid() {
	local p
	for p in $("$1" ps --format json "$ID" | jq -r '.[]'); do
		[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "$2 " ] && { echo "$p"; return 0; }
	done
	return 1
}
# The trapper's long-lived child, once it runs: $CHILD.
trapper_child() { CHILD=$(ctr_pid "$1" "sleep 1003"); }
# alive: running, stopped or frozen; gone: exited (a zombie not yet reaped
# by its parent counts as gone)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
gone() { ! alive "$1"; }

# A process.json for exec --process (the shim and conmon write one).
write_process() {
	local args="$1" terminal="${2:-false}"
	jq -n --argjson args "$args" --argjson t "$terminal" '{
		terminal: $t, args: $args, cwd: "/", user: {uid: 0, gid: 0},
		env: ["PATH=/bin:/sbin", "TERM=xterm"], noNewPrivileges: true,
		capabilities: {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]}
	}' >"$BATS_TEST_TMPDIR/process.json"
	echo "$BATS_TEST_TMPDIR/process.json"
}

lines_at_least() { [ "$(wc -l <"$2")" -ge "$1" ]; }

# true when every namespace of pid $1 is that of pid $2
same_namespaces() {
	local n
	for n in pid net ipc uts mnt user cgroup; do
		[ "$(readlink "/proc/$1/ns/$n")" = "$(readlink "/proc/$2/ns/$n")" ] || { echo "ns $n differs"; return 1; }
	done
}

# shim create (the full form) with the pid file, then checks that the pid
# it names is the container's init, waiting for start.
shim_create_checked() {
	local pidfile="$BATS_TEST_TMPDIR/init.pid"
	shim create --bundle "$BUNDLE" --pid-file "$pidfile" "$@" "$ID" </dev/null >"$(CTR_OUT)" 2>"$BATS_TEST_TMPDIR/create.err" ||
		die "create failed: $(cat "$BATS_TEST_TMPDIR/create.err")"
	# the pid file is complete when create returns
	[ -s "$pidfile" ]
	INIT=$(cat "$pidfile")
	[[ "$INIT" =~ ^[0-9]+$ ]]
	[ -d "/proc/$INIT" ]
	[ "$(state_of "$ID" status)" = created ]
	[ "$(state_of "$ID" pid)" = "$INIT" ]
	# waiting: the user's program is not running yet (the init is still
	# rampart, a sealed memfd copy), and it is in the container's pid ns
	[[ "$(readlink "/proc/$INIT/exe")" == /memfd:* ]]
	[ "$(readlink "/proc/$INIT/ns/pid")" != "$(readlink /proc/self/ns/pid)" ]
}

local_teardown() {
	[ -n "${RECV:-}" ] && kill "$RECV" 2>/dev/null
	# containers of a failed test: clean, so the leak check judges the test
	local c
	for c in $(ls "$ROOT" 2>/dev/null); do "$RAMPART" --root "$ROOT" delete --force "$c" >/dev/null 2>&1; done
	if [ -n "${NSPID:-}" ]; then
		for c in $(nsenter -t "$NSPID" -m ls /run/rampart 2>/dev/null); do
			nsenter -t "$NSPID" -m "$RAMPART" delete --force "$c" >/dev/null 2>&1
		done
		kill "$NSPID" 2>/dev/null
		wait "$NSPID" 2>/dev/null
	fi
	true
}

# =========================================================================
# containerd-shim-runc-v2
# =========================================================================

@test "contract: containerd shim: create --bundle --pid-file --console-socket --no-pivot --no-new-keyring, start" {
	update_config '.process.terminal = true | .process.args = ["sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty; sleep 1000"]'
	fd_receiver "$BATS_TEST_TMPDIR/console.sock" pty "$BATS_TEST_TMPDIR/tty.out"
	# (what --no-pivot and --no-new-keyring change is not visible from the
	# host: this checks that the shim's full form works)
	shim_create_checked --console-socket "$BATS_TEST_TMPDIR/console.sock" --no-pivot --no-new-keyring
	run shim start "$ID"
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" running
	[ "$(state_of "$ID" pid)" = "$INIT" ]
	wait_for grep -qx sleep "/proc/$INIT/comm"
	# the pty master reached the socket and is the process's terminal
	shim delete --force "$ID"
	wait "$RECV" || true
	RECV=
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q is-a-tty "$BATS_TEST_TMPDIR/tty.out"
	[ ! -d "$ROOT/$ID" ]
}

@test "contract: containerd shim: create --bundle --pid-file (no console), start" {
	use_sleeper
	shim_create_checked
	run shim start "$ID"
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" running
	wait_for grep -qx sleep "/proc/$INIT/comm"
	[ "$(tr '\0' ' ' <"/proc/$INIT/cmdline")" = "sleep 1000 " ]
	shim delete --force "$ID"
}

@test "contract: containerd shim: exec --process tmpfile.json --detach --pid-file" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	proc=$(write_process '["sleep", "999"]')
	shim exec --process "$proc" --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/exec.err" ||
		die "exec: $(cat "$BATS_TEST_TMPDIR/exec.err")"
	# the pid file is complete when exec returns, and names a process of the
	# container: its namespaces and cgroups are the init's
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	wait_for grep -qx sleep "/proc/$pid/comm"
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 999 " ]
	same_namespaces "$pid" "$INIT"
	diff <(sort "/proc/$pid/cgroup") <(sort "/proc/$INIT/cgroup")
	shim delete --force "$ID"
	wait_for gone "$pid"
}

@test "contract: containerd shim: exec --process tmpfile.json --console-socket --detach --pid-file" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	proc=$(write_process '["sh", "-c", "tty; [ -t 0 ] && echo exec-is-a-tty"]' true)
	fd_receiver "$BATS_TEST_TMPDIR/console.sock" pty "$BATS_TEST_TMPDIR/tty.out"
	shim exec --process "$proc" --console-socket "$BATS_TEST_TMPDIR/console.sock" --detach \
		--pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/exec.err" ||
		die "exec: $(cat "$BATS_TEST_TMPDIR/exec.err")"
	[[ "$(cat "$BATS_TEST_TMPDIR/exec.pid")" =~ ^[0-9]+$ ]]
	wait "$RECV"
	RECV=
	cat "$BATS_TEST_TMPDIR/tty.out"
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q exec-is-a-tty "$BATS_TEST_TMPDIR/tty.out"
	shim delete --force "$ID"
}

@test "contract: containerd shim: ps --format json" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	proc=$(write_process '["sleep", "998"]')
	shim exec --process "$proc" --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" </dev/null >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	run shim ps --format json "$ID"
	[ "$status" -eq 0 ]
	# a JSON array of host pids: exactly the init and the exec'd process
	[ "$(echo "$output" | jq -r 'type')" = array ]
	[ "$(echo "$output" | jq -r 'map(type == "number") | all')" = true ]
	[ "$(echo "$output" | jq -c 'sort')" = "$(printf '%s\n' "$INIT" "$pid" | sort -n | jq -sc .)" ]
	shim delete --force "$ID"
}

@test "contract: containerd shim: kill ID SIG (signal number)" {
	use_trapper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	wait_for trapper_child shim
	run shim kill "$ID" 10
	[ "$status" -eq 0 ]
	# the init's trap ran: the mark is in the container's /tmp; the signal
	# went to the init only (USR1 would have killed its child)
	wait_for grep -q usr1 "/proc/$INIT/root/tmp/got"
	status_is "$ID" running
	alive "$CHILD"
	run shim kill "$ID" 15
	[ "$status" -eq 0 ]
	wait_for grep -q term "/proc/$INIT/root/tmp/got"
	alive "$CHILD"
	run shim kill "$ID" 9
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	wait_for gone "$INIT"
	[ "$(state_of "$ID" pid)" = 0 ]
	shim delete "$ID"
}

@test "contract: containerd shim: kill --all ID SIG" {
	use_trapper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	wait_for trapper_child shim
	# TERM to every process: the child dies of it, the init traps it (a
	# plain kill would reach the init only)
	run shim kill --all "$ID" 15
	[ "$status" -eq 0 ]
	wait_for gone "$CHILD"
	wait_for grep -q term "/proc/$INIT/root/tmp/got"
	status_is "$ID" running
	run shim kill --all "$ID" 9
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	wait_for gone "$INIT"
	shim delete "$ID"
}

@test "contract: containerd shim: kill ID 9, kill --all ID 9 of a created (never started) container" {
	use_sleeper
	for call in "kill" "kill --all"; do
		shim_create_checked
		# shellcheck disable=SC2086
		run shim $call "$ID" 9
		[ "$status" -eq 0 ]
		wait_for gone "$INIT"
		wait_for status_is "$ID" stopped
		[ "$(state_of "$ID" pid)" = 0 ]
		run shim delete "$ID"
		[ "$status" -eq 0 ]
		[ ! -d "$(cg_dir pids)" ]
	done
}

@test "contract: containerd shim: pause, resume (freezer state), kill ID 9 of a paused container" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	run shim pause "$ID"
	[ "$status" -eq 0 ]
	frozen
	[ "$(state_of "$ID" status)" = paused ]
	! grep -q '^State:.*R' "/proc/$INIT/status"
	run shim resume "$ID"
	[ "$status" -eq 0 ]
	thawed
	[ "$(state_of "$ID" status)" = running ]
	# kill ID 9 of a paused container: it dies (the v1 freezer holds a
	# killed task until thawed; the shim then waits for the exit)
	shim pause "$ID"
	frozen
	run shim kill "$ID" 9
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	wait_for gone "$INIT"
	run shim delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -d "$(cg_dir freezer)" ]
}

@test "contract: containerd shim: update --resources - (LinuxResources on stdin)" {
	require_controllers pids memory
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	before=$(cat "$(cg_dir pids)/pids.max")
	[ "$before" != 37 ]
	echo '{"memory": {"limit": 100663296}, "pids": {"limit": 37}, "cpu": {"shares": 256}}' |
		shim update --resources - "$ID"
	[ "$(cat "$(cg_dir pids)/pids.max")" = 37 ]
	[ "$(cat "$(mem_limit_file)")" = 100663296 ]
	if is_v1 cpu; then [ "$(cat "$(cg_dir cpu)/cpu.shares")" = 256 ]; fi
	# a bad document changes nothing and says why
	run bash -c 'echo "{\"pids\": {\"limit\": \"many\"}}" | "$0" --root "$1" --log "$2" --log-format json update --resources - "$3"' \
		"$RAMPART" "$ROOT" "$(LOG)" "$ID"
	[ "$status" -ne 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 37 ]
	[[ "$(last_error "$(LOG)")" == *pids* ]]
	shim delete --force "$ID"
}

@test "contract: containerd shim: delete, and delete --force of a running container" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	run shim delete --force "$ID"
	[ "$status" -eq 0 ]
	wait_for gone "$INIT"
	[ ! -d "$ROOT/$ID" ]
	[ ! -d "$(cg_dir pids)" ]
	# delete of a stopped container
	update_config '.process.args = ["true"]'
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" stopped
	run shim delete "$ID"
	[ "$status" -eq 0 ]
	[ ! -d "$ROOT/$ID" ]
	[ ! -d "$(cg_dir pids)" ]
	# a missing id: "does not exist" (ignored on delete by the shim)
	run shim delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
}

@test "contract: containerd shim: failures go to the --log file as the last level=error line" {
	# a missing id, for every call the shim makes on an id
	echo '{"pids": {"limit": 10}}' >"$BATS_TEST_TMPDIR/res.json"
	proc=$(write_process '["true"]')
	for call in "start" "state" "kill" "kill --all" "pause" "resume" "delete" "ps --format json" \
		"update --resources -" "events --stats" "exec --process $proc --detach --pid-file $BATS_TEST_TMPDIR/x.pid"; do
		rm -f "$(LOG)"
		# shellcheck disable=SC2086
		run shim $call nosuch-contract <"$BATS_TEST_TMPDIR/res.json"
		[ "$status" -ne 0 ] || die "$call nosuch-contract succeeded"
		msg=$(last_error "$(LOG)")
		[[ "${msg,,}" == *"does not exist"* ]] || die "$call: log says: $msg"
		[[ "$output" == *"$msg"* ]]
	done
	# kill of a stopped container: "container not running" (already gone)
	update_config '.process.args = ["true"]'
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" stopped
	for call in "kill $ID 15" "kill --all $ID 9"; do
		# shellcheck disable=SC2086
		run shim $call
		[ "$status" -ne 0 ]
		msg=$(last_error "$(LOG)")
		[[ "${msg,,}" == *"container not running"* ]] || die "$call: log says: $msg"
	done
	# a create that fails says why in the log, and leaves nothing behind
	update_config '.process.args = ["/no/such/program"]'
	shim delete "$ID"
	# (the program is looked up at create, so create is what fails)
	run_file shim create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/p" "$ID"
	[ "$status" -ne 0 ]
	msg=$(last_error "$(LOG)")
	[[ "$msg" == *"process.args[0]: /no/such/program"* ]]
	[[ "$output" == *"$msg"* ]]
	[ ! -e "$ROOT/$ID" ]
	[ ! -d "$(cg_dir pids)" ]
	# an exec that fails: the log says why, and no pid file is left to read
	use_sleeper
	shim_create_checked
	shim start "$ID"
	proc=$(write_process '["/no/such/exec-program"]')
	run shim exec --process "$proc" --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$(last_error "$(LOG)")" == *"/no/such/exec-program"* ]]
	[ ! -e "$BATS_TEST_TMPDIR/exec.pid" ]
	status_is "$ID" running
	shim delete --force "$ID"
}

# =========================================================================
# containerd's go-runc extras
# =========================================================================

@test "contract: go-runc: state ID" {
	use_sleeper
	shim_create_checked
	run shim state "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$ID" --arg b "$BUNDLE" --argjson pid "$INIT" '
		.id == $id and .pid == $pid and .status == "created" and .bundle == $b
		and (.ociVersion | type) == "string" and (.rootfs | type) == "string"
		and (.annotations | type) == "object" and (.owner | type) == "string"'
	[[ "$(echo "$output" | jq -r .created)" =~ $RFC3339_NS ]]
	shim delete --force "$ID"
}

@test "contract: go-runc: list --format json" {
	use_sleeper
	shim_create_checked
	run shim list --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$ID" --argjson pid "$INIT" '
		type == "array" and length == 1 and .[0].id == $id and .[0].pid == $pid
		and .[0].status == "created" and (.[0] | has("ociVersion") | not)'
	shim delete --force "$ID"
}

@test "contract: go-runc: ps --format=json, list --format=json (attached values)" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	run shim ps --format=json "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c .)" = "[$INIT]" ]
	run shim list --format=json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$ID" --argjson pid "$INIT" '.[0].id == $id and .[0].pid == $pid and .[0].status == "running"'
	shim delete --force "$ID"
}

@test "contract: go-runc: run --bundle ID (exit status), run --detach --pid-file" {
	update_config '.process.args = ["sh", "-c", "echo ran-in-$(hostname); exit 42"]'
	run shim run --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -eq 42 ]
	[[ "$output" == *ran-in-rampart-test* ]]
	[ ! -d "$ROOT/$ID" ]
	use_sleeper
	shim run --detach --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/run.pid" "$ID" </dev/null >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/run.pid")
	wait_for grep -qx sleep "/proc/$pid/comm"
	[ "$(state_of "$ID" status)" = running ]
	[ "$(state_of "$ID" pid)" = "$pid" ]
	shim delete --force "$ID"
}

@test "contract: go-runc: events --stats ID (one JSON object)" {
	require_controllers pids
	update_config '.linux.resources = {"pids": {"limit": 55}}'
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	run shim events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | jq -e --arg id "$ID" '
		.type == "stats" and .id == $id
		and (.data | has("cpu") and has("memory") and has("pids") and has("blkio") and has("hugetlb"))
		and .data.pids.current == 1 and .data.pids.limit == 55'
	# the numbers are the kernel's
	[ "$(echo "$output" | jq .data.pids.current)" = "$(cat "$(cg_dir pids)/pids.current")" ]
	shim delete --force "$ID"
}

@test "contract: go-runc: events --interval Ns ID, events --interval=Ns ID (a stream of JSON lines)" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	timeout 20 "$RAMPART" --root "$ROOT" --log "$(LOG)" --log-format json events --interval 1s "$ID" \
		>"$BATS_TEST_TMPDIR/ev" 2>&1 &
	ev=$!
	# two lines: it streams
	wait_for lines_at_least 2 "$BATS_TEST_TMPDIR/ev"
	head -2 "$BATS_TEST_TMPDIR/ev" | jq -se --arg id "$ID" 'length == 2 and all(.type == "stats" and .id == $id)'
	# and the attached spelling go-runc writes: --interval=Ns
	timeout 20 "$RAMPART" --root "$ROOT" --log "$(LOG)" --log-format json events --interval=1s "$ID" \
		>"$BATS_TEST_TMPDIR/ev2" 2>&1 &
	ev2=$!
	wait_for lines_at_least 1 "$BATS_TEST_TMPDIR/ev2"
	head -1 "$BATS_TEST_TMPDIR/ev2" | jq -e --arg id "$ID" '.type == "stats" and .id == $id and (.data | has("cpu"))'
	shim kill "$ID" 9
	# both end by themselves (status 0) when the container stops; timeout would say 124
	wait "$ev"
	wait "$ev2"
	shim delete "$ID"
}

@test "contract: go-runc: features" {
	run shim features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '
		(.ociVersionMin | test("^1\\.")) and (.ociVersionMax | test("^1\\."))
		and (.hooks | type) == "array" and (.mountOptions | type) == "array"
		and (.linux.namespaces | index("user") != null)
		and (.linux.capabilities | index("CAP_KILL") != null)'
	/usr/bin/python3 - "$output" <<'EOF'
import json, sys
f = json.loads(sys.argv[1])
assert f["linux"]["cgroup"]["v1"] is True or f["linux"]["cgroup"]["v2"] is True, f["linux"]["cgroup"]
EOF
}

@test "contract: go-runc: checkpoint and restore fail with the documented message" {
	use_sleeper
	shim_create_checked
	shim start "$ID"
	wait_for status_is "$ID" running
	run shim checkpoint --image-path "$BATS_TEST_TMPDIR/img" --work-path "$BATS_TEST_TMPDIR/work" --leave-running "$ID"
	[ "$status" -eq 1 ]
	[ "$(last_error "$(LOG)")" = "checkpoint is not supported by rampart" ]
	# nothing happened to the container
	[ "$(state_of "$ID" status)" = running ]
	[ "$(state_of "$ID" pid)" = "$INIT" ]
	[ ! -e "$BATS_TEST_TMPDIR/img" ]
	run shim restore --image-path "$BATS_TEST_TMPDIR/img" --work-path "$BATS_TEST_TMPDIR/work" \
		--bundle "$BUNDLE" --detach "$ID-restored"
	[ "$status" -eq 1 ]
	[ "$(last_error "$(LOG)")" = "restore is not supported by rampart" ]
	[ ! -d "$ROOT/$ID-restored" ]
	shim delete --force "$ID"
}

@test "contract: go-runc: --version" {
	run "$RAMPART" --version
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^rampart\ version\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	[[ "${lines[1]}" =~ ^spec:\ 1\.[0-9]+\.[0-9]+$ ]]
}

@test "contract: go-runc: --debug (debug lines in the --log file)" {
	use_sleeper
	"$RAMPART" --root "$ROOT" --log "$(LOG)" --log-format json --debug create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	status_is "$ID" created
	/usr/bin/python3 - "$(LOG)" <<'EOF'
import json, sys
levels = [json.loads(l)["level"] for l in open(sys.argv[1])]
assert "debug" in levels, levels
EOF
	# without --debug: no debug lines
	rm "$(LOG)"
	shim delete --force "$ID"
	! grep -q '"level":"debug"' "$(LOG)" 2>/dev/null
	for form in --debug=true -debug --debug=false; do
		run "$RAMPART" --root "$ROOT" "$form" list
		[ "$status" -eq 0 ]
	done
}

@test "contract: go-runc: --rootless VALUE, --rootless=VALUE, -rootless" {
	use_sleeper
	for form in "--rootless false" "--rootless=false" "--rootless auto" "--rootless=true" "-rootless=auto" "-rootless true"; do
		# shellcheck disable=SC2086
		"$RAMPART" --root "$ROOT" $form create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
			die "$form create: $(cat "$BATS_TEST_TMPDIR/err")"
		# shellcheck disable=SC2086
		run "$RAMPART" --root "$ROOT" $form state "$ID"
		[ "$status" -eq 0 ]
		[ "$(echo "$output" | jq -r .status)" = created ]
		# shellcheck disable=SC2086
		"$RAMPART" --root "$ROOT" $form delete --force "$ID"
		[ ! -d "$ROOT/$ID" ]
	done
}

@test "contract: go-runc: --systemd-cgroup create with slice:prefix:name" {
	update_config ".linux.cgroupsPath = \"-.slice:rampart:$ID\""
	use_sleeper
	"$RAMPART" --root "$ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
		die "create: $(cat "$BATS_TEST_TMPDIR/err")"
	pid=$(state_of "$ID" pid)
	# the init is in the scope systemd would have made, in every hierarchy
	scope="/rampart-$ID.scope"
	[ -d "$(cg_dir pids "$scope")" ]
	grep -q ":pids:$scope\$" "/proc/$pid/cgroup" || grep -q "^0::$scope\$" "/proc/$pid/cgroup"
	"$RAMPART" --root "$ROOT" --systemd-cgroup start "$ID"
	wait_for status_is "$ID" running
	"$RAMPART" --root "$ROOT" --systemd-cgroup delete --force "$ID"
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -type d -name "rampart-$ID.scope")" ]
}

@test "contract: go-runc: create --preserve-fds N --pidfd-socket" {
	update_config '.process.args = ["sh", "-c", "cat <&3; cat <&4; sleep 1000"]'
	echo first-preserved >"$BATS_TEST_TMPDIR/f3"
	echo second-preserved >"$BATS_TEST_TMPDIR/f4"
	chmod 644 "$BATS_TEST_TMPDIR"/f3 "$BATS_TEST_TMPDIR"/f4
	fd_receiver "$BATS_TEST_TMPDIR/pidfd.sock" pidfd "$BATS_TEST_TMPDIR/pidfd.out"
	shim create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" --preserve-fds 2 \
		--pidfd-socket "$BATS_TEST_TMPDIR/pidfd.sock" "$ID" \
		3<"$BATS_TEST_TMPDIR/f3" 4<"$BATS_TEST_TMPDIR/f4" </dev/null >"$(CTR_OUT)" 2>"$BATS_TEST_TMPDIR/err" ||
		die "create: $(cat "$BATS_TEST_TMPDIR/err")"
	wait "$RECV"
	RECV=
	# the pidfd refers to the init
	[ "$(cat "$BATS_TEST_TMPDIR/pidfd.out")" = "$(cat "$BATS_TEST_TMPDIR/init.pid")" ]
	shim start "$ID"
	wait_for grep -q second-preserved "$(CTR_OUT)"
	[ "$(head -1 "$(CTR_OUT)")" = first-preserved ]
	shim delete --force "$ID"
}

@test "contract: go-runc: single-dash long options: -root -log -log-format= create -bundle -pid-file= -no-pivot, run -no-subreaper" {
	use_sleeper
	"$RAMPART" -root "$ROOT" -log "$(LOG)" -log-format=json create -bundle "$BUNDLE" -pid-file="$BATS_TEST_TMPDIR/p" -no-pivot -no-new-keyring "$ID" \
		</dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" || die "create: $(cat "$BATS_TEST_TMPDIR/err")"
	[ "$(cat "$BATS_TEST_TMPDIR/p")" = "$(state_of "$ID" pid)" ]
	"$RAMPART" -root="$ROOT" start "$ID"
	wait_for status_is "$ID" running
	run "$RAMPART" -root "$ROOT" ps -format json "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq length)" -eq 1 ]
	run "$RAMPART" -root "$ROOT" -log "$(LOG)" -log-format json delete -force "$ID"
	[ "$status" -eq 0 ]
	[ ! -d "$ROOT/$ID" ]
	# run's -no-subreaper and -detach
	"$RAMPART" -root "$ROOT" run -detach -no-subreaper -bundle "$BUNDLE" -pid-file "$BATS_TEST_TMPDIR/p" "$ID" \
		</dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" || die "run: $(cat "$BATS_TEST_TMPDIR/err")"
	pid=$(cat "$BATS_TEST_TMPDIR/p")
	wait_for grep -qx sleep "/proc/$pid/comm"
	"$RAMPART" -root "$ROOT" delete -force=true "$ID"
	wait_for gone "$pid"
}

# =========================================================================
# podman / conmon: no global flags, so the default root.  Nothing here may
# touch the host's /run/rampart: every call runs in a private mount
# namespace (held by $NSPID) with a private tmpfs on /run/rampart.
# =========================================================================

private_default_root() {
	command -v unshare >/dev/null && command -v nsenter >/dev/null || skip "needs unshare and nsenter (util-linux)"
	# a tmpfs on /run/rampart, or on /run when the host has no
	# /run/rampart (no mount point is created on the host)
	unshare -m --propagation private sh -c '
		if [ -d /run/rampart ]; then
			mount -t tmpfs -o mode=0700,size=16m rampart-contract /run/rampart
		else
			mount -t tmpfs -o mode=0755,size=16m rampart-contract /run && mkdir -m 0700 /run/rampart
		fi && touch "$0" && exec sleep 1000' "$BATS_TEST_TMPDIR/ns.ready" &
	NSPID=$!
	wait_for test -e "$BATS_TEST_TMPDIR/ns.ready" || die "no private mount namespace"
	nsenter -t "$NSPID" -m test -z "$(nsenter -t "$NSPID" -m ls -A /run/rampart)"
}
# conmon's view: rampart with no global flags, in the private namespace
conmon() { nsenter -t "$NSPID" -m -- "$RAMPART" "$@"; }
pm_state() { conmon state "$ID" | jq -r ".$1"; }
pm_status_is() { [ "$(pm_state status 2>/dev/null)" = "$1" ]; }

@test "contract: podman/conmon: create --bundle --pid-file, start, kill ID SIG, delete --force (default root)" {
	private_default_root
	use_trapper
	conmon create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" "$ID" </dev/null >"$(CTR_OUT)" 2>&1
	init=$(cat "$BATS_TEST_TMPDIR/init.pid")
	[ -d "/proc/$init" ]
	[ "$(pm_state pid)" = "$init" ]
	[ "$(pm_state status)" = created ]
	# the state is in the (private) default root, not in the host's
	nsenter -t "$NSPID" -m test -d "/run/rampart/$ID"
	[ ! -e "/run/rampart/$ID" ]
	[[ "$(readlink "/proc/$init/exe")" == /memfd:* ]]
	conmon start "$ID"
	wait_for pm_status_is running
	conmon kill "$ID" 10
	wait_for grep -q usr1 "/proc/$init/root/tmp/got"
	conmon kill "$ID" 15
	wait_for grep -q term "/proc/$init/root/tmp/got"
	pm_status_is running
	run conmon delete --force "$ID"
	[ "$status" -eq 0 ]
	wait_for gone "$init"
	[ -z "$(nsenter -t "$NSPID" -m ls /run/rampart)" ]
}

@test "contract: podman/conmon: create --bundle --pid-file --console-socket" {
	private_default_root
	update_config '.process.terminal = true | .process.args = ["sh", "-c", "tty; echo conmon-tty"]'
	fd_receiver "$BATS_TEST_TMPDIR/console.sock" pty "$BATS_TEST_TMPDIR/tty.out"
	conmon create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" --console-socket "$BATS_TEST_TMPDIR/console.sock" "$ID" \
		</dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" || die "create: $(cat "$BATS_TEST_TMPDIR/err")"
	[ "$(pm_state pid)" = "$(cat "$BATS_TEST_TMPDIR/init.pid")" ]
	conmon start "$ID"
	wait "$RECV"
	RECV=
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q conmon-tty "$BATS_TEST_TMPDIR/tty.out"
	wait_for pm_status_is stopped
	conmon delete --force "$ID"
}

@test "contract: podman/conmon: exec --pid-file --process --detach [--tty --console-socket]" {
	private_default_root
	use_sleeper
	conmon create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" "$ID" </dev/null >/dev/null 2>&1
	conmon start "$ID"
	wait_for pm_status_is running
	init=$(cat "$BATS_TEST_TMPDIR/init.pid")
	proc=$(write_process '["sleep", "997"]')
	conmon exec --pid-file "$BATS_TEST_TMPDIR/exec.pid" --process "$proc" --detach "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
		die "exec: $(cat "$BATS_TEST_TMPDIR/err")"
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	wait_for grep -qx sleep "/proc/$pid/comm"
	same_namespaces "$pid" "$init"
	# with a terminal
	proc=$(write_process '["sh", "-c", "tty; echo conmon-exec-tty"]' true)
	fd_receiver "$BATS_TEST_TMPDIR/console.sock" pty "$BATS_TEST_TMPDIR/tty.out"
	conmon exec --pid-file "$BATS_TEST_TMPDIR/exec2.pid" --process "$proc" --detach --tty \
		--console-socket "$BATS_TEST_TMPDIR/console.sock" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
		die "exec --tty: $(cat "$BATS_TEST_TMPDIR/err")"
	[[ "$(cat "$BATS_TEST_TMPDIR/exec2.pid")" =~ ^[0-9]+$ ]]
	wait "$RECV"
	RECV=
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q conmon-exec-tty "$BATS_TEST_TMPDIR/tty.out"
	conmon delete --force "$ID"
	wait_for gone "$pid"
}

@test "contract: podman/conmon: kill --all ID SIG, pause, resume, update --resources=FILE" {
	require_controllers pids memory
	private_default_root
	use_trapper
	conmon create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" "$ID" </dev/null >/dev/null 2>&1
	init=$(cat "$BATS_TEST_TMPDIR/init.pid")
	conmon start "$ID"
	wait_for pm_status_is running
	run conmon pause "$ID"
	[ "$status" -eq 0 ]
	frozen
	[ "$(pm_state status)" = paused ]
	run conmon resume "$ID"
	[ "$status" -eq 0 ]
	thawed
	[ "$(pm_state status)" = running ]
	echo '{"pids": {"limit": 29}, "memory": {"limit": 83886080}}' >"$BATS_TEST_TMPDIR/res.json"
	run conmon update --resources="$BATS_TEST_TMPDIR/res.json" "$ID"
	[ "$status" -eq 0 ]
	[ "$(cat "$(cg_dir pids)/pids.max")" = 29 ]
	[ "$(cat "$(mem_limit_file)")" = 83886080 ]
	wait_for trapper_child conmon
	run conmon kill --all "$ID" 10
	[ "$status" -eq 0 ]
	wait_for gone "$CHILD"
	wait_for grep -q usr1 "/proc/$init/root/tmp/got"
	pm_status_is running
	run conmon kill --all "$ID" 9
	[ "$status" -eq 0 ]
	wait_for pm_status_is stopped
	wait_for gone "$init"
	conmon delete --force "$ID"
}

@test "contract: podman: --log-format=json --log FILE (runtime_supports_json)" {
	private_default_root
	log="$BATS_TEST_TMPDIR/podman-log.json"
	run conmon --log-format=json --log "$log" start nosuch-contract
	[ "$status" -ne 0 ]
	[[ "$(last_error "$log")" == *"does not exist"* ]]
	use_sleeper
	conmon --log-format=json --log "$log" create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/init.pid" "$ID" </dev/null >/dev/null 2>&1
	[ "$(pm_state status)" = created ]
	conmon --log-format=json --log "$log" --cgroup-manager disabled delete --force "$ID"
	[ -z "$(nsenter -t "$NSPID" -m ls /run/rampart)" ]
}

@test "contract: podman: checkpoint --help exits 0" {
	run "$RAMPART" checkpoint --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "Usage: rampart checkpoint"* ]]
}

# =========================================================================
# CRI-O (from its source: not packaged for Debian 12)
# =========================================================================

@test "contract: CRI-O: --root R [--systemd-cgroup] start|state|pause|resume ID" {
	use_sleeper
	create_ctr
	init=$(state_of "$ID" pid)
	run crio start "$ID"
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" running
	run crio state "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .status)" = running ]
	[ "$(echo "$output" | jq -r .pid)" = "$init" ]
	run crio pause "$ID"
	[ "$status" -eq 0 ]
	frozen
	run crio --systemd-cgroup state "$ID"
	[ "$(echo "$output" | jq -r .status)" = paused ]
	run crio resume "$ID"
	[ "$status" -eq 0 ]
	thawed
	run crio delete --force "$ID"
	[ "$status" -eq 0 ]
	# with --systemd-cgroup on every call (cgroupsPath slice:prefix:name)
	update_config ".linux.cgroupsPath = \"-.slice:crio:$ID\""
	crio --systemd-cgroup create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
		die "create: $(cat "$BATS_TEST_TMPDIR/err")"
	run crio --systemd-cgroup start "$ID"
	[ "$status" -eq 0 ]
	run crio --systemd-cgroup state "$ID"
	[ "$(echo "$output" | jq -r .status)" = running ]
	run crio --systemd-cgroup pause "$ID"
	[ "$status" -eq 0 ]
	if is_v1 freezer; then [ "$(cat "$(cg_dir freezer "/crio-$ID.scope")/freezer.state")" = FROZEN ]; fi
	run crio --systemd-cgroup resume "$ID"
	[ "$status" -eq 0 ]
	if is_v1 freezer; then [ "$(cat "$(cg_dir freezer "/crio-$ID.scope")/freezer.state")" = THAWED ]; fi
	run crio --systemd-cgroup delete --force "$ID"
	[ "$status" -eq 0 ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 3 -type d -name "crio-$ID.scope")" ]
}

@test "contract: CRI-O: kill ID NUM, kill -a ID NUM, kill ID KILL" {
	use_trapper
	create_ctr
	crio start "$ID"
	wait_for status_is "$ID" running
	init=$(state_of "$ID" pid)
	wait_for trapper_child crio
	run crio kill "$ID" 10
	[ "$status" -eq 0 ]
	wait_for grep -q usr1 "/proc/$init/root/tmp/got"
	alive "$CHILD"
	run crio kill -a "$ID" 10
	[ "$status" -eq 0 ]
	wait_for lines_at_least 2 "/proc/$init/root/tmp/got"
	wait_for gone "$CHILD"
	status_is "$ID" running
	run crio kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	wait_for gone "$init"
	# already gone: CRI-O's not-found texts
	for call in "kill $ID KILL" "kill -a $ID 9"; do
		# shellcheck disable=SC2086
		run crio $call
		[ "$status" -ne 0 ]
		[[ "${output,,}" == *"container not running"* ]]
	done
	crio delete --force "$ID"
}

@test "contract: CRI-O: update --resources - ID" {
	require_controllers pids memory
	use_sleeper
	create_ctr
	crio start "$ID"
	wait_for status_is "$ID" running
	echo '{"pids": {"limit": 23}, "memory": {"limit": 67108864}}' | crio update --resources - "$ID"
	[ "$(cat "$(cg_dir pids)/pids.max")" = 23 ]
	[ "$(cat "$(mem_limit_file)")" = 67108864 ]
	crio delete --force "$ID"
}

@test "contract: CRI-O: exec --process FILE ID (attached: its exit status is rampart's)" {
	use_sleeper
	create_ctr
	crio start "$ID"
	wait_for status_is "$ID" running
	init=$(state_of "$ID" pid)
	proc=$(write_process '["sh", "-c", "readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt; echo out-of-exec; exit 5"]')
	run crio exec --process "$proc" "$ID"
	[ "$status" -eq 5 ]
	[ "${lines[0]}" = "$(readlink "/proc/$init/ns/pid")" ]
	[ "${lines[1]}" = "$(readlink "/proc/$init/ns/mnt")" ]
	[ "${lines[2]}" = out-of-exec ]
	proc=$(write_process '["true"]')
	run crio exec --process "$proc" "$ID"
	[ "$status" -eq 0 ]
	crio delete --force "$ID"
}

@test "contract: CRI-O: not-found stderr says 'does not exist', 'container not running' or 'no such process'" {
	proc=$(write_process '["true"]')
	for call in "start" "state" "pause" "resume" "delete" "kill" "kill -a" "exec --process $proc"; do
		# shellcheck disable=SC2086
		run crio $call nosuch-contract
		[ "$status" -ne 0 ]
		[[ "${output,,}" =~ (does\ not\ exist|no\ such\ process|container\ not\ running|invalid\ process) ]] ||
			die "$call: $output"
	done
	update_config '.process.args = ["true"]'
	create_ctr
	crio start "$ID"
	wait_for status_is "$ID" stopped
	for call in "kill $ID 9" "kill -a $ID 9" "exec --process $proc $ID" "update --pids-limit 10 $ID" "events --stats $ID"; do
		# shellcheck disable=SC2086
		run crio $call </dev/null
		[ "$status" -ne 0 ]
		[[ "${output,,}" =~ (no\ such\ process|container\ not\ running|invalid\ process) ]] ||
			die "$call: $output"
	done
	# pause of a stopped container fails, with the container's status
	run crio pause "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"*stopped* ]]
	crio delete --force "$ID"
}

# =========================================================================
# Output shapes callers parse
# =========================================================================

@test "contract: output: state fields and types, pid 0 once stopped, status values" {
	update_config '.process.args = ["sleep", "1000"] | .annotations = {"org.example/k": "v"}'
	create_ctr
	check_state() {
		crio state "$ID" | /usr/bin/python3 -c '
import json, re, sys
s = json.load(sys.stdin)
want = {"ociVersion": str, "id": str, "pid": int, "status": str, "bundle": str,
        "rootfs": str, "created": str, "annotations": dict, "owner": str}
for k, t in want.items():
    assert isinstance(s.get(k), t), (k, s.get(k))
assert s["status"] in ("creating", "created", "running", "stopped", "paused"), s["status"]
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)$", s["created"]), s["created"]
assert s["annotations"] == {"org.example/k": "v"}, s["annotations"]
assert s["status"] == sys.argv[1], s["status"]
assert (s["pid"] == 0) == (s["status"] == "stopped"), s
print(s["pid"])' "$1"
	}
	check_state created
	crio start "$ID"
	wait_for status_is "$ID" running
	check_state running
	crio pause "$ID"
	check_state paused
	crio resume "$ID"
	[ "$(check_state running)" = "$(state_of "$ID" pid)" ]
	crio kill "$ID" KILL
	wait_for status_is "$ID" stopped
	[ "$(check_state stopped)" = 0 ]
	[ "$(state_of "$ID" rootfs)" = "$BUNDLE/rootfs" ]
	crio delete "$ID"
}

@test "contract: output: list --format json (no ociVersion), list plain (a table with a header)" {
	use_sleeper
	create_ctr
	run crio list --format json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg id "$ID" 'type == "array" and length == 1 and (.[0] | has("ociVersion") | not)
		and .[0].id == $id and (.[0] | has("pid") and has("status") and has("bundle") and has("rootfs")
		and has("created") and has("owner"))'
	run crio list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER$ ]]
	[[ "${lines[1]}" =~ ^$ID\ +$(state_of "$ID" pid)\ +created\ +$BUNDLE\ + ]]
	crio delete --force "$ID"
}
