#!/usr/bin/env bats
# containerd 1.6 and its io.containerd.runc.v2 shim (Debian packages)
# driving rampart, through ctr.  containerd gets its own config, root, state
# and sockets under a temp dir and imports contrib/containerd/config.toml as
# shipped.  It runs in the private mount namespace of helpers.bash, where
# /usr/local/bin/rampart (contrib's BinaryName) is the binary under test and
# /run (the shims' sockets, the shim's default runc root) is private.

load helpers

IMAGE=localhost/rampart-busybox:test
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
	start_containerd main
	make_oci_image "$(busybox_rootfs)" "$ENG_DIR/image.tar" "$IMAGE"
	CTR_SOCK="$ENG_DIR/main/containerd.sock" ct images import "$ENG_DIR/image.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENG_DIR:-}" ] && [ -f "$ENG_DIR/ns.pid" ] || return 0
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	stop_containerd main
	ns_stop
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

@test "containerd: ctr run --rm in a user namespace; exit codes reach ctr" {
	run ctrun --rm $USERNS "$IMAGE" "$NAME" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	read -r inside outside count <<<"$output"
	[ "$inside" -eq 0 ] && [ "$outside" -eq 200000 ] && [ "$count" -eq 65536 ]
	run ctrun --rm $USERNS "$IMAGE" "$NAME" sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "containerd: a root container without a user namespace is refused, the reason reaches ctr" {
	run ctrun --rm "$IMAGE" "$NAME" true
	[ "$status" -ne 0 ]
	[[ "$output" == *"OCI runtime create failed: refusing '$NAME'"* ]]
	[[ "$output" == *"[root-user]"* ]]
}

@test "containerd: RAMPART_POLICY in containerd's environment reaches rampart through the shim" {
	start_containerd compat RAMPART_POLICY=compat
	CTR_SOCK="$ENG_DIR/compat/containerd.sock"
	ct images import "$ENG_DIR/image.tar" >/dev/null
	run ctrun --rm "$IMAGE" "$NAME" sh -c 'id -u; cat /proc/self/uid_map'
	stop_containerd compat
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +0\ +4294967295$ ]]
}

@test "containerd: run -d, tasks exec (output and exit code), tasks ps" {
	run ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	[ "$status" -eq 0 ]
	[ "$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $3}')" = RUNNING ]
	[ -n "$(state_ls)" ]
	run ct tasks exec --exec-id e1 "$NAME" sh -c 'echo hello from exec; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" = "hello from exec" ]
	local pid; pid=$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $2}')
	run ct tasks ps "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"$pid"* ]]
	ct tasks kill -s KILL "$NAME"
	wait_for eval '[ "$(ct tasks ls | awk -v n="$NAME" '"'"'$1 == n {print $3}'"'"')" = STOPPED ]'
	ct tasks delete "$NAME"
	ct containers delete "$NAME"
}

@test "containerd: tasks pause freezes the cgroup, resume thaws it" {
	ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	local pid cg
	pid=$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $2}')
	cg=$(cgroup_of "$pid" freezer)
	ct tasks pause "$NAME"
	[ "$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $3}')" = PAUSED ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = FROZEN ]
	ct tasks resume "$NAME"
	[ "$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $3}')" = RUNNING ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = THAWED ]
	ct tasks kill -s KILL "$NAME"
	ct tasks delete -f "$NAME" >/dev/null 2>&1 || true
	ct containers delete "$NAME"
}

@test "containerd: tasks kill delivers the signal; delete reports the exit status" {
	ctrun -d $USERNS "$IMAGE" "$NAME" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	ct tasks kill -s USR1 "$NAME"
	wait_for eval '[ "$(ct tasks ls | awk -v n="$NAME" '"'"'$1 == n {print $3}'"'"')" = STOPPED ]'
	run ct tasks delete "$NAME"
	[ "$status" -eq 0 ]
	[[ "$output" == *"exit code 42"* ]] || [ -z "$output" ]
	state_empty
	ct containers delete "$NAME"
}

@test "containerd: tasks delete --force removes a running task and its processes" {
	ctrun -d $USERNS "$IMAGE" "$NAME" sleep 300
	local pid; pid=$(ct tasks ls | awk -v n="$NAME" '$1 == n {print $2}')
	kill -0 "$pid"
	run ct tasks delete --force "$NAME"
	[ "$status" -eq 0 ]
	wait_for eval '! kill -0 '"$pid"' 2>/dev/null'
	wait_for state_empty
	ct containers delete "$NAME"
}

@test "containerd: ctr run -t gives the container a terminal (console socket)" {
	command -v script >/dev/null || skip "script(1) is missing (bsdutils)"
	run script -qec "nsenter -t $NS_PID -m -- ctr --address $CTR_SOCK --namespace rampart-test run --rm -t --runc-binary $RUNC_BINARY $USERNS $IMAGE $NAME sh -c 'tty; exit 4'" /dev/null
	[ "$status" -eq 4 ]
	[[ "$output" == *"/dev/pts/0"* ]]
}
