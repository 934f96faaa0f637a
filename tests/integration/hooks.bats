#!/usr/bin/env bats
# Lifecycle hooks (config.md "POSIX-platform Hooks", runtime.md "Lifecycle"):
# order, the state on stdin, the namespace each kind runs in, exact env and
# argv, timeouts and failures.

load helpers
load lifecycle-helpers

local_setup() {
	MARK="$BATS_TEST_TMPDIR/marks"
	mkdir -p "$MARK"
	# createContainer hooks run as the container's root (a mapped uid):
	# give it files it may write, and a directory it may create in
	chmod 0777 "$MARK"
	touch "$MARK/order" "$MARK/createContainer.json" "$MARK/createContainer.mntns"
	chmod 0666 "$MARK/order" "$MARK/createContainer.json" "$MARK/createContainer.mntns"
	chmod 0755 "$BATS_TEST_TMPDIR"
}

# hook KIND: a hook entry that records its stdin, its mount namespace and
# its place in the order.  Runs /bin/sh of the runtime namespace.
hook() {
	local k=$1
	local script="cat >$MARK/$k.json; readlink /proc/self/ns/mnt >$MARK/$k.mntns; echo $k >>$MARK/order"
	jq -nc --arg s "$script" '{path: "/bin/sh", args: ["sh", "-c", $s]}'
}

@test "every hook kind runs, in lifecycle order, with the state on stdin" {
	update_config ".hooks = {
		prestart: [$(hook prestart)],
		createRuntime: [$(hook createRuntime)],
		createContainer: [$(hook createContainer)],
		startContainer: [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"cat >/tmp/startContainer.json; echo startContainer >>/tmp/order\"]}],
		poststart: [$(hook poststart)],
		poststop: [$(hook poststop)]}
		| .process.args = [\"sh\", \"-c\", \"cat /tmp/order; cat /tmp/startContainer.json; echo; sleep 1000\"]"
	create_ctr
	[ "$(cat "$MARK/order")" = "$(printf 'prestart\ncreateRuntime\ncreateContainer')" ]
	pid=$(state_of "$ID" pid)
	for k in prestart createRuntime createContainer; do
		jq -e . "$MARK/$k.json"
		[ "$(jq -r .id "$MARK/$k.json")" = "$ID" ]
		[ "$(jq -r .bundle "$MARK/$k.json")" = "$BUNDLE" ]
		[ -n "$(jq -r .ociVersion "$MARK/$k.json")" ]
		[ "$(jq -r .pid "$MARK/$k.json")" = "$pid" ]
	done
	# runtime namespace vs container namespace
	host_mnt=$(readlink /proc/$$/ns/mnt)
	[ "$(cat "$MARK/prestart.mntns")" = "$host_mnt" ]
	[ "$(cat "$MARK/createRuntime.mntns")" = "$host_mnt" ]
	[ "$(cat "$MARK/createContainer.mntns")" != "$host_mnt" ]
	[ "$(cat "$MARK/createContainer.mntns")" = "$(readlink /proc/$pid/ns/mnt)" ]

	rp start "$ID"
	wait_for test -e "$MARK/poststart.json"
	[ "$(jq -r .status "$MARK/poststart.json")" = running ]
	[ "$(cat "$MARK/poststart.mntns")" = "$host_mnt" ]
	wait_for grep -q startContainer "$(CTR_OUT)"
	cat "$(CTR_OUT)"
	[ "$(head -1 "$(CTR_OUT)")" = startContainer ]
	[ "$(sed -n 2p "$(CTR_OUT)" | jq -r .id)" = "$ID" ]

	[ ! -e "$MARK/poststop.json" ]
	rp kill "$ID" KILL
	wait_for status_is "$ID" stopped
	rp delete "$ID"
	[ "$(jq -r .id "$MARK/poststop.json")" = "$ID" ]
	[ "$(jq -r .status "$MARK/poststop.json")" = stopped ]
	[ "$(cat "$MARK/poststop.mntns")" = "$host_mnt" ]
	[ "$(cat "$MARK/order")" = "$(printf 'prestart\ncreateRuntime\ncreateContainer\npoststart\npoststop')" ]
}

@test "several hooks of one kind run in the listed order" {
	update_config ".hooks.createRuntime = [
		{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo one >>$MARK/order\"]},
		{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo two >>$MARK/order\"]},
		{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo three >>$MARK/order\"]}]"
	update_config '.process.args = ["true"]'
	run rp run --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -eq 0 ]
	[ "$(cat "$MARK/order")" = "$(printf 'one\ntwo\nthree')" ]
}

@test "hook env and argv are exactly the configured ones; no runtime fds leak" {
	script='env >'"$MARK"'/env; echo $0 >'"$MARK"'/argv0; for n in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$n ] && echo $n; done >'"$MARK"'/fds; true'
	h=$(jq -nc --arg s "$script" '{path: "/bin/sh", args: ["custom-argv0", "-c", $s], env: ["ONLY=this"]}')
	update_config ".hooks.poststop = [$h] | .process.args = [\"true\"]"
	export RP_HOST_SECRET=leak
	run bash -c 'exec 5</dev/null 6</dev/null 9</dev/null; exec "$0" --root "$1" run --bundle "$2" "$3" </dev/null' "$RAMPART" "$ROOT" "$BUNDLE" "$ID"
	unset RP_HOST_SECRET
	[ "$status" -eq 0 ]
	cat "$MARK/env"
	grep -qx 'ONLY=this' "$MARK/env"
	! grep -q RP_HOST_SECRET "$MARK/env"
	! grep -q '^PATH=' "$MARK/env"
	[ "$(cat "$MARK/argv0")" = custom-argv0 ]
	[ -z "$(cat "$MARK/fds")" ]
}

@test "a failing createRuntime hook fails create and leaves nothing" {
	update_config '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "exit 3"]}]'
	use_sleeper
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *createRuntime* ]]
	[[ "$output" == *"exit status 3"* ]]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "a failing prestart hook still runs poststop (lifecycle step 12-13)" {
	update_config ".hooks.prestart = [{path: \"/bin/false\"}]
		| .hooks.poststop = [{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo ran >$MARK/poststop\"]}]"
	use_sleeper
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == *prestart* ]]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	[ "$(cat "$MARK/poststop" 2>/dev/null)" = ran ] || skip "poststop after a failed create: not run (spec step 13)"
}

@test "a hook that outlives its timeout is killed and fails the operation" {
	update_config '.hooks.createRuntime = [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]'
	use_sleeper
	start=$(date +%s)
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"timed out"* ]]
	[ $(( $(date +%s) - start )) -lt 10 ]
	! pgrep -f '^sleep 30$'
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "a failing poststop hook is a warning: delete still succeeds" {
	update_config ".hooks.poststop = [{path: \"/bin/false\"},
		{path: \"/bin/sh\", args: [\"sh\", \"-c\", \"echo second >$MARK/second\"]}]
		| .process.args = [\"true\"]"
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" stopped
	run rp delete "$ID"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *poststop* ]]
	[ "$(cat "$MARK/second")" = second ]
	[ ! -d "$ROOT/$ID" ]
}

@test "poststop runs on delete --force of a running container" {
	update_config ".hooks.poststop = [$(hook poststop)]"
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	rp delete --force "$ID"
	[ "$(jq -r .status "$MARK/poststop.json")" = stopped ]
}

@test "a hook reading no stdin and a huge state do not wedge the runtime" {
	big=$(head -c 200000 /dev/zero | tr '\0' a)
	jq --rawfile b <(printf %s "$big") '.annotations = {"big": $b}' "$BUNDLE/config.json" >"$BUNDLE/c.new" && mv "$BUNDLE/c.new" "$BUNDLE/config.json"
	update_config ".hooks.poststop = [{path: \"/bin/true\"}, {path: \"/bin/sh\", args: [\"sh\", \"-c\", \"wc -c >$MARK/size\"]}]
		| .process.args = [\"true\"]"
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" stopped
	timeout 20 "$RAMPART" --root "$ROOT" delete "$ID"
	[ "$(cat "$MARK/size")" -gt 200000 ]
}
