#!/usr/bin/env bats
# containerd 1.6 and its io.containerd.runc.v2 shim (Debian packages)
# driving rampart, through ctr.  containerd gets its own config, root, state
# and sockets under a temp dir and imports contrib/containerd/config.toml as
# shipped.  It runs in the private mount namespace of helpers.bash, where
# /usr/local/bin/rampart (contrib's BinaryName) is the binary under test and
# /run (the shims' sockets, the shim's default runc root) is private.
#
# containerd 1.6 drops --runc-binary whenever ctr also sets task options, as
# --uidmap/--gidmap do (IoUid/IoGid): the task options replace the runtime
# options, BinaryName included, and the shim runs "runc" from its PATH
# (containerd issue #11568, fixed in 2.x).  So containerd here gets a PATH
# whose first directory holds "runc" -> $RAMPART, and the tests check from
# the state directory that rampart, not the real runc, ran the container.

load helpers

IMAGE=localhost/rampart-busybox:test
IMAGE_CMD='["sh","-c","echo cmd of the umoci image"]'
RUNC_BINARY=/usr/local/bin/rampart
USERNS="--uidmap 0:200000:65536 --gidmap 0:200000:65536"

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v containerd >/dev/null && command -v ctr >/dev/null || return 0
	export ENG_DIR="$BATS_FILE_TMPDIR/containerd"
	local d="$BATS_FILE_TMPDIR"
	while [ "$d" != / ] && [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	mkdir -p "$ENG_DIR"
	chmod o+x "$ENG_DIR"
	ns_start "$ENG_DIR"
	echo "$NS_PID" >"$ENG_DIR/ns.pid"
	mkdir -p "$ENG_DIR/runc-is-rampart"
	ln -s "$RAMPART" "$ENG_DIR/runc-is-rampart/runc"
	start_containerd main "PATH=$ENG_DIR/runc-is-rampart:$PATH"
	# Built locally with umoci; without umoci the tests that need it skip.
	command -v umoci >/dev/null || return 0
	make_oci_image "$(busybox_rootfs)" "$ENG_DIR/image.tar" "$IMAGE" "$IMAGE_CMD"
	CTR_SOCK="$ENG_DIR/main/containerd.sock" ct images import "$ENG_DIR/image.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENG_DIR:-}" ] && [ -f "$ENG_DIR/ns.pid" ] || return 0
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	stop_containerd main
	ns_stop
	# The runtime made /rampart-test (ctr's namespace) the parent of every
	# container cgroup; it is empty now (rmdir fails otherwise).
	rmdir /sys/fs/cgroup/*/rampart-test /sys/fs/cgroup/rampart-test 2>/dev/null || true
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v containerd >/dev/null || skip "containerd is not installed (apt-get install containerd)"
	command -v ctr >/dev/null || skip "ctr is missing (apt-get install containerd)"
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	CTR_SOCK="$ENG_DIR/main/containerd.sock"
	NAME="rpt-ctd-$BATS_TEST_NUMBER-$$"
	# The shim's default runc root: /run/containerd/runc/NAMESPACE.
	STATE=/run/containerd/runc/rampart-test
}

ct() { in_ns ctr --address "$CTR_SOCK" --namespace rampart-test "$@"; }
ctrun() { ct run --runc-binary "$RUNC_BINARY" "$@"; }
state_ls() { in_ns sh -c "ls $STATE 2>/dev/null"; }
state_empty() { [ -z "$(state_ls)" ]; }
need_image() { [ -f "$ENG_DIR/image.tar" ] || skip "umoci is not installed (apt-get install umoci): no image"; }
task_status() { ct tasks ls | awk -v n="$1" '$1 == n {print $3}'; }
task_pid() { ct tasks ls | awk -v n="$1" '$1 == n {print $2}'; }
# rampart (not runc) holds the container: its state parses as rampart's.
rampart_runs() {
	in_ns "$RAMPART" --root "$STATE" state "$1" |
		jq -e --arg id "$1" '.id == $id and (.ociVersion | type) == "string"' >/dev/null
}

# The leak check: no container, no task, no rampart state, no process.
teardown() {
	[ -n "${NS_PID:-}" ] || return 0
	local leaks="" c
	c=$(ct containers ls -q 2>/dev/null)
	[ -n "$c" ] && leaks+="containers left: $c"$'\n'
	for c in $c; do
		ct tasks kill -s KILL "$c" >/dev/null 2>&1
		ct tasks delete -f "$c" >/dev/null 2>&1
		ct containers delete "$c" >/dev/null 2>&1
	done
	wait_for state_empty || leaks+="rampart state left: $(state_ls)"$'\n'
	wait_for eval '[ -z "$(procs_of "$NAME")" ]' || leaks+="processes left: $(procs_of "$NAME")"$'\n'
	if [ -n "$leaks" ]; then
		echo "LEAK after test: $leaks" >&3
		return 1
	fi
}

@test "containerd: contrib/containerd/config.toml loads (runtime class rampart)" {
	run in_ns containerd --config "$ENG_DIR/main/config.toml" config dump
	[ "$status" -eq 0 ]
	[[ "$output" == *'containerd.runtimes.rampart.options]'* ]]
	[[ "$output" == *'BinaryName = "/usr/local/bin/rampart"'* ]]
}

@test "containerd: the image built locally with umoci imports under its name; its Cmd runs" {
	need_image
	# The layout's index names the image (org.opencontainers.image.ref.name);
	# its config was written by umoci (history) and carries IMAGE_CMD.
	local tarf="$ENG_DIR/image.tar" man cfg
	tar -xOf "$tarf" index.json | jq -e --arg n "$IMAGE" \
		'.manifests | length == 1 and .[0].annotations["org.opencontainers.image.ref.name"] == $n'
	man=$(tar -xOf "$tarf" index.json | jq -r '.manifests[0].digest | sub(":"; "/")')
	cfg=$(tar -xOf "$tarf" "blobs/$man" | jq -r '.config.digest | sub(":"; "/")')
	tar -xOf "$tarf" "blobs/$cfg" | jq -e --argjson cmd "$IMAGE_CMD" \
		'.config.Cmd == $cmd and ([.history[].created_by] | index("umoci repack")) != null'
	run ct images ls -q
	[[ "$output" == *"$IMAGE"* ]]
	run ct images check "name==$IMAGE"
	[ "$status" -eq 0 ]
	[[ "$output" == *"complete"* ]]
	run ctrun --rm $USERNS "$IMAGE" "$NAME"
	[ "$status" -eq 0 ]
	[ "$output" = "cmd of the umoci image" ]
}

@test "containerd: ctr run --rm in a user namespace; exit codes reach ctr" {
	need_image
	run ctrun --rm $USERNS "$IMAGE" "$NAME" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	read -r inside outside count <<<"$output"
	[ "$inside" -eq 0 ] && [ "$outside" -eq 200000 ] && [ "$count" -eq 65536 ]
	run ctrun --rm $USERNS "$IMAGE" "$NAME" sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "containerd: a refused container shows rampart's one-line refusal through the shim" {
	need_image
	run ctrun --rm "$IMAGE" "$NAME" true
	[ "$status" -ne 0 ]
	local shown="$output"

	# What rampart itself logs for the same config: ctr's spec for the same
	# flags, run by rampart directly with the shim's --log-format json.  The
	# shim reports the msg of the last "level":"error" record of log.json.
	local b="$BATS_TEST_TMPDIR/bundle" msg
	ct containers create "$IMAGE" "$NAME-spec" true
	mkdir -p "$b"
	ct containers info "$NAME-spec" | jq '.Spec' >"$b/config.json"
	ct containers delete "$NAME-spec"
	cp -a "$(busybox_rootfs)" "$b/rootfs"
	run "$RAMPART" --root "$BATS_TEST_TMPDIR/root" --log "$b/log.json" --log-format json create --bundle "$b" "$NAME"
	[ "$status" -ne 0 ]
	msg=$(jq -rs '[.[] | select(.level == "error")] | last | .msg' "$b/log.json")

	# One line, one refusal, named by id and reason, with no prefix doubling.
	[[ "$msg" == "refusing '$NAME': "*"[root-user]"* ]]
	[[ "$msg" != *$'\n'* ]]
	[ "$shown" = "ctr: failed to create shim task: OCI runtime create failed: $msg: unknown" ]
	[[ "$shown" != *"rampart: rampart:"* ]]
	[ -z "$(ls "$BATS_TEST_TMPDIR/root" 2>/dev/null)" ]
}

@test "containerd: RAMPART_POLICY in containerd's environment reaches rampart through the shim" {
	need_image
	start_containerd compat RAMPART_POLICY=compat "PATH=$ENG_DIR/runc-is-rampart:$PATH"
	# local: teardown's leak check talks to the main containerd again.
	local CTR_SOCK="$ENG_DIR/compat/containerd.sock" left
	ct images import "$ENG_DIR/image.tar" >/dev/null
	run ctrun --rm "$IMAGE" "$NAME" sh -c 'id -u; cat /proc/self/uid_map'
	left=$(ct containers ls -q)
	stop_containerd compat
	[ -z "$left" ]
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +0\ +4294967295$ ]]
}

@test "containerd: run -d, tasks exec (output and exit code), tasks ps" {
	need_image
	run ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	[ "$status" -eq 0 ]
	rampart_runs "$NAME"
	[ "$(task_status "$NAME")" = RUNNING ]
	[ -n "$(state_ls)" ]
	run ct tasks exec --exec-id e1 "$NAME" sh -c 'echo hello from exec; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" = "hello from exec" ]
	# Without -t the exec has no terminal.
	run ct tasks exec --exec-id e2 "$NAME" tty
	[ "$status" -eq 1 ]
	[ "$output" = "not a tty" ]
	local pid; pid=$(task_pid "$NAME")
	run ct tasks ps "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$pid"* ]]
	ct tasks kill -s KILL "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	ct tasks delete "$NAME"
	ct containers delete "$NAME"
}

@test "containerd: tasks exec -t gives the exec its own terminal" {
	need_image
	command -v script >/dev/null || skip "script(1) is missing (bsdutils)"
	ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	rampart_runs "$NAME"
	run script -qec "nsenter -t $NS_PID -m -- ctr --address $CTR_SOCK --namespace rampart-test tasks exec -t --exec-id t1 $NAME sh -c 'tty; exit 6'" /dev/null
	[ "$status" -eq 6 ]
	[[ "$output" =~ /dev/pts/[0-9]+ ]]
	# The task survives its exec.
	[ "$(task_status "$NAME")" = RUNNING ]
	ct tasks kill -s KILL "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	ct tasks delete "$NAME" 2>/dev/null
	ct containers delete "$NAME"
}

@test "containerd: tasks pause freezes the cgroup, resume thaws it" {
	need_image
	ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	rampart_runs "$NAME"
	local pid cg
	pid=$(task_pid "$NAME")
	cg=$(cgroup_of "$pid" freezer)
	ct tasks pause "$NAME"
	[ "$(task_status "$NAME")" = PAUSED ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = FROZEN ]
	ct tasks resume "$NAME"
	[ "$(task_status "$NAME")" = RUNNING ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = THAWED ]
	ct tasks kill -s KILL "$NAME"
	ct tasks delete -f "$NAME" >/dev/null 2>&1 || true
	ct containers delete "$NAME"
}

@test "containerd: tasks kill delivers the signal; delete reports the exit status" {
	need_image
	ctrun -d $USERNS "$IMAGE" "$NAME" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	rampart_runs "$NAME"
	ct tasks kill -s USR1 "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	run ct tasks delete "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit code 42"* ]]
	state_empty
	ct containers delete "$NAME"
}

# The "sleep 300" processes of the container, seen from the host.
sleepers_of() {
	local p
	for p in $(procs_of "$1"); do
		alive "$p" && [ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" = "sleep 300 " ] && echo "$p"
	done
	return 0
}

@test "containerd: tasks kill -a signals every process of the container, kill only its init" {
	need_image
	ctrun -d $USERNS "$IMAGE" "$NAME" sh -c \
		'trap "touch /tmp/usr1" USR1; sleep 300 & sleep 300 & while :; do sleep 0.1; done'
	rampart_runs "$NAME"
	local init sleepers p
	init=$(task_pid "$NAME")
	wait_for eval '[ "$(sleepers_of "$NAME" | wc -l)" -eq 2 ]'
	sleepers=$(sleepers_of "$NAME")
	run ct tasks ps "$NAME"
	for p in $init $sleepers; do [[ "$output" == *"$p"* ]]; done

	# Plain kill: init handles USR1, the two sleeps never see it.
	ct tasks kill -s USR1 "$NAME"
	wait_for test -e "/proc/$init/root/tmp/usr1"
	for p in $sleepers; do alive "$p"; done
	rm "/proc/$init/root/tmp/usr1"

	# kill -a: every process gets it; USR1 ends the sleeps, init handles it.
	ct tasks kill -a -s USR1 "$NAME"
	wait_for test -e "/proc/$init/root/tmp/usr1"
	for p in $sleepers; do wait_for eval "! alive $p"; done
	alive "$init"
	[ "$(task_status "$NAME")" = RUNNING ]

	ct tasks kill -a -s KILL "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	wait_for eval '[ -z "$(procs_of "$NAME")" ]'
	ct tasks delete "$NAME" 2>/dev/null
	ct containers delete "$NAME"
}

@test "containerd: tasks delete --force removes a running task and its processes" {
	need_image
	ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	rampart_runs "$NAME"
	local pid; pid=$(task_pid "$NAME")
	kill -0 "$pid"
	run ct tasks delete --force "$NAME"
	[ "$status" -eq 0 ]
	wait_for eval '! kill -0 '"$pid"' 2>/dev/null'
	wait_for state_empty
	ct containers delete "$NAME"
}

@test "containerd: tasks delete after the task exited removes rampart's state, reports the code" {
	need_image
	ctrun -d $USERNS "$IMAGE" "$NAME" sh -c 'exit 7'
	rampart_runs "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	# Stopped, not yet deleted: rampart still knows it, as stopped.
	run in_ns "$RAMPART" --root "$STATE" state "$NAME"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = stopped ]
	run ct tasks delete "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit code 7"* ]]
	state_empty
	[ -z "$(task_status "$NAME")" ]
	run in_ns "$RAMPART" --root "$STATE" state "$NAME"
	[ "$status" -ne 0 ]
	ct containers delete "$NAME"
}

@test "containerd: run --memory-limit: the cgroup limit holds, the kernel OOM-kills, ctr sees it" {
	need_image
	[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] || skip "no cgroup v1 memory controller at /sys/fs/cgroup/memory"
	# ctr sets no swap limit: with swap on, the hog would swap, not die.
	[ "$(awk '$1 == "SwapTotal:" {print $2}' /proc/meminfo)" = 0 ] || skip "swap is on: ctr --memory-limit does not limit swap"
	local limit=$((32 * 1024 * 1024)) ev="$BATS_TEST_TMPDIR/events" evpid pid mem
	in_ns ctr --address "$CTR_SOCK" events >"$ev" 2>&1 3>&- &
	evpid=$!
	# The hog (a 64 MiB dd buffer) starts once the limit has been checked.
	ctrun -d --memory-limit "$limit" $USERNS "$IMAGE" "$NAME" sh -c \
		'until [ -e /tmp/go ]; do sleep 0.1; done; exec dd if=/dev/zero of=/dev/null bs=64M count=1'
	rampart_runs "$NAME"
	pid=$(task_pid "$NAME")
	mem="/sys/fs/cgroup/memory$(cgroup_of "$pid" memory)"
	[ "$(cat "$mem/memory.limit_in_bytes")" -eq "$limit" ]
	grep -qx 'oom_kill 0' "$mem/memory.oom_control"
	ct tasks exec --exec-id go "$NAME" touch /tmp/go
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	# The kernel's view, before delete removes the cgroup.
	grep -qE '^oom_kill [1-9]' "$mem/memory.oom_control"
	[ "$(cat "$mem/memory.failcnt")" -gt 0 ]
	[ "$(cat "$mem/memory.max_usage_in_bytes")" -le "$limit" ]
	# containerd's view: the shim's OOM event and the exit status.
	wait_for grep -q "/tasks/oom {\"container_id\":\"$NAME\"}" "$ev"
	grep -q "/tasks/exit {\"container_id\":\"$NAME\",.*\"exit_status\":137" "$ev"
	kill "$evpid"; wait "$evpid" 2>/dev/null || true
	run ct tasks delete "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit code 137"* ]]
	[ ! -d "$mem" ]
	ct containers delete "$NAME"
}

@test "containerd: run --read-only: the container's root is mounted read-only" {
	need_image
	# Control: the same image without --read-only is writable.
	run ctrun --rm $USERNS "$IMAGE" "$NAME-rw" touch /probe
	[ "$status" -eq 0 ]
	ctrun -d --read-only $USERNS "$IMAGE" "$NAME" sleep 300
	rampart_runs "$NAME"
	[ "$(ct containers info "$NAME" | jq .Spec.root.readonly)" = true ]
	local pid opts; pid=$(task_pid "$NAME")
	# The kernel's view: the mount at the container's / is ro.
	opts=$(awk '$5 == "/" {print $6}' "/proc/$pid/mountinfo")
	[[ ",$opts," == *,ro,* ]]
	run ct tasks exec --exec-id w1 "$NAME" touch /probe
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	run ct tasks exec --exec-id w2 "$NAME" sh -c 'echo x >>/etc/passwd'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Read-only file system"* ]]
	[ ! -e "/proc/$pid/root/probe" ]
	ct tasks kill -s KILL "$NAME"
	wait_for eval '[ "$(task_status "$NAME")" = STOPPED ]'
	ct tasks delete "$NAME" 2>/dev/null
	ct containers delete "$NAME"
}

@test "containerd: ctr run -t gives the container a terminal (console socket)" {
	need_image
	command -v script >/dev/null || skip "script(1) is missing (bsdutils)"
	run script -qec "nsenter -t $NS_PID -m -- ctr --address $CTR_SOCK --namespace rampart-test run --rm -t --runc-binary $RUNC_BINARY $USERNS $IMAGE $NAME sh -c 'tty; exit 4'" /dev/null
	[ "$status" -eq 4 ]
	[[ "$output" == *"/dev/pts/0"* ]]
}
