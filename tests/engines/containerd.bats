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

# ctr's own OCI image: a hand-written OCI layout of the busybox rootfs.
make_oci_image() {
	local rootfs="$1" out="$2" w ld ls cd cs md ms
	w=$(mktemp -d)
	mkdir -p "$w/blobs/sha256"
	tar -C "$rootfs" -cf "$w/layer" .
	ld=$(sha256sum "$w/layer" | cut -d' ' -f1); ls=$(stat -c %s "$w/layer")
	mv "$w/layer" "$w/blobs/sha256/$ld"
	printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin:/usr/bin"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$ld" >"$w/cfg"
	cd=$(sha256sum "$w/cfg" | cut -d' ' -f1); cs=$(stat -c %s "$w/cfg")
	mv "$w/cfg" "$w/blobs/sha256/$cd"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$cd" "$cs" "$ld" "$ls" >"$w/man"
	md=$(sha256sum "$w/man" | cut -d' ' -f1); ms=$(stat -c %s "$w/man")
	mv "$w/man" "$w/blobs/sha256/$md"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s"}}]}' \
		"$md" "$ms" "$IMAGE" >"$w/index.json"
	echo '{"imageLayoutVersion":"1.0.0"}' >"$w/oci-layout"
	tar -C "$w" -cf "$out" oci-layout index.json blobs
	rm -rf "$w"
}

# start_containerd NAME [ENV=VALUE...]: a containerd with its own
# config/root/state/socket under $ENG_DIR/NAME; prints its socket.
start_containerd() {
	local name="$1" dir="$ENG_DIR/$1"; shift
	mkdir -p "$dir"
	cat >"$dir/config.toml" <<-EOF
	version = 2
	root = "$dir/root"
	state = "$dir/state"
	imports = ["$SRCDIR/contrib/containerd/config.toml"]
	[grpc]
	  address = "$dir/containerd.sock"
	[ttrpc]
	  address = "$dir/containerd.sock.ttrpc"
	[debug]
	  address = ""
	[metrics]
	  address = ""
	EOF
	# nsenter and env exec: $! is containerd's pid.
	nsenter -t "$NS_PID" -m -- env "$@" containerd --config "$dir/config.toml" \
		</dev/null >"$dir/containerd.log" 2>&1 3>&- &
	echo $! >"$dir/containerd.pid"
	wait_for test -S "$dir/containerd.sock" || { cat "$dir/containerd.log" >&2; return 1; }
}

# Alive and not a zombie (its parent, a bats shell, may never reap it).
alive() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null; }

stop_containerd() {
	local dir="$ENG_DIR/$1" pid
	[ -f "$dir/containerd.pid" ] || return 0
	pid=$(cat "$dir/containerd.pid")
	kill "$pid" 2>/dev/null
	# containerd 1.6 may take ~10 s to exit on TERM; it has no task left.
	local i
	for i in $(seq 20); do alive "$pid" || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$dir/containerd.pid"
	! alive "$pid"
}

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
	make_oci_image "$(busybox_rootfs)" "$ENG_DIR/image.tar"
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
