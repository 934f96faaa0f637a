#!/usr/bin/env bats
# The container lifecycle from the outside (runtime.md "Lifecycle" and
# "Operations"): create, start, state, kill, delete, run and list, their
# output shapes (client-contract.md) and their failures.

load helpers
load lifecycle-helpers

RFC3339_NS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+(Z|[+-][0-9]{2}:[0-9]{2})$'

@test "create/start/kill/delete walks created -> running -> stopped -> gone" {
	use_sleeper
	create_ctr

	run rp state "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e . >/dev/null
	[ "$(echo "$output" | jq -r .status)" = created ]
	[ "$(echo "$output" | jq -r .id)" = "$ID" ]
	[ "$(echo "$output" | jq -r .bundle)" = "$BUNDLE" ]
	[ -n "$(echo "$output" | jq -r .ociVersion)" ]
	[[ "$(echo "$output" | jq -r .created)" =~ $RFC3339_NS ]]
	[ "$(echo "$output" | jq -r '.annotations | type')" = object ]
	[ "$(echo "$output" | jq -r '.owner | type')" = string ]
	pid=$(echo "$output" | jq -r .pid)
	[ "$pid" -gt 1 ]
	[ -d "/proc/$pid" ]
	# created: the user's program has not run yet
	[ "$(tr '\0' ' ' </proc/$pid/cmdline)" != "sleep 1000 " ]

	run rp start "$ID"
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" running
	[ "$(state_of "$ID" pid)" = "$pid" ]
	wait_for grep -q '^sleep' "/proc/$pid/comm"

	run rp kill "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	[ "$(state_of "$ID" pid)" = 0 ]

	run rp delete "$ID"
	[ "$status" -eq 0 ]
	run rp state "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"does not exist"* ]]
	[ ! -d "$ROOT/$ID" ]
}

@test "state and pid-file agree on the init pid" {
	use_sleeper
	create_ctr "$ID" --pid-file "$BATS_TEST_TMPDIR/pidfile"
	[ -s "$BATS_TEST_TMPDIR/pidfile" ]
	[ "$(cat "$BATS_TEST_TMPDIR/pidfile")" = "$(state_of "$ID" pid)" ]
	rp delete --force "$ID"
}

@test "run returns the exit status of the container process" {
	run_sh 'exit 3'
	[ "$status" -eq 3 ]
	run_sh 'echo hello-from-container'
	[ "$status" -eq 0 ]
	[[ "$output" == *hello-from-container* ]]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "run returns 128+N when the process dies of signal N" {
	use_sleeper
	rp run --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 &
	runpid=$!
	wait_for status_is "$ID" running
	rp kill "$ID" KILL
	rc=0
	wait "$runpid" || rc=$?
	[ "$rc" -eq 137 ]
}

@test "run --detach leaves a running container; kill then delete cleans up" {
	use_sleeper
	# not through bats' run: the container would hold its capture pipe
	rp run --detach --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	wait_for status_is "$ID" running
	rp kill "$ID" SIGKILL
	wait_for status_is "$ID" stopped
	rp delete "$ID"
}

@test "kill accepts signals by number and name, with or without SIG" {
	use_sleeper
	update_config '.process.args = ["sh", "-c", "trap \"echo got-usr1 >>/tmp/sig\" USR1; trap \"\" TERM; while :; do sleep 0.1; done"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	for s in USR1 SIGUSR1 usr1 10; do
		run rp kill "$ID" "$s"
		[ "$status" -eq 0 ]
	done
	run rp kill "$ID" NOSUCHSIG
	[ "$status" -ne 0 ]
	[[ "$output" == *"NOSUCHSIG"* ]]
	run rp kill "$ID" 9
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	rp delete "$ID"
}

@test "kill of a stopped container fails with 'container not running'" {
	update_config '.process.args = ["true"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" stopped
	run rp kill "$ID" TERM
	[ "$status" -ne 0 ]
	[[ "$output" == *"container not running"* ]]
	run rp kill --all "$ID" KILL
	[ "$status" -ne 0 ]
	[[ "$output" == *"container not running"* ]]
	rp delete "$ID"
}

@test "kill --all reaches every process of the container" {
	update_config '.process.args = ["sh", "-c", "sleep 1001 & sleep 1002 & sleep 1003"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	wait_for pgrep -f 'sleep 1002'
	run rp kill --all "$ID" KILL
	[ "$status" -eq 0 ]
	wait_for status_is "$ID" stopped
	wait_for bash -c '! pgrep -f "sleep 100[123]"'
	rp delete "$ID"
}

@test "delete refuses a running container without --force" {
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	pid=$(state_of "$ID" pid)

	run rp delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not stopped"* ]]
	[[ "$output" == *running* ]]
	# no effect on the container
	status_is "$ID" running
	[ -d "/proc/$pid" ]

	run rp delete --force "$ID"
	[ "$status" -eq 0 ]
	[ ! -d "$ROOT/$ID" ]
	wait_for bash -c "! kill -0 $pid 2>/dev/null"
}

@test "delete of a created container kills its init (as runc)" {
	use_sleeper
	create_ctr
	pid=$(state_of "$ID" pid)
	run rp delete "$ID"
	[ "$status" -eq 0 ]
	wait_for bash -c "! kill -0 $pid 2>/dev/null"
	[ ! -d "$ROOT/$ID" ]
}

@test "unknown ids: state, start, kill, delete say 'does not exist'" {
	for cmd in state start kill delete; do
		run rp $cmd nosuch-container
		[ "$status" -ne 0 ]
		[[ "$output" == *'does not exist'* ]]
	done
	# --force makes delete idempotent, as containerd relies on
	run rp delete --force nosuch-container
	[ "$status" -eq 0 ]
}

@test "a second create of the same id fails and leaves the first alone" {
	use_sleeper
	create_ctr
	pid=$(state_of "$ID" pid)
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[[ "$output" == *"already exists"* ]]
	status_is "$ID" created
	[ "$(state_of "$ID" pid)" = "$pid" ]
	rp delete --force "$ID"
}

@test "two concurrent creates of one id end with exactly one container" {
	use_sleeper
	for i in 1 2 3 4; do
		rp create --bundle "$BUNDLE" "$ID" </dev/null >"$BATS_TEST_TMPDIR/c$i.out" 2>&1 &
		pids+=($!)
	done
	ok=0
	for p in "${pids[@]}"; do
		if wait "$p"; then ok=$((ok + 1)); fi
	done
	cat "$BATS_TEST_TMPDIR"/c*.out
	[ "$ok" -eq 1 ]
	[ "$(grep -l 'already exists' "$BATS_TEST_TMPDIR"/c*.out | wc -l)" -eq 3 ]
	[ "$(rp list -q)" = "$ID" ]
	status_is "$ID" created
	# exactly one init: the state's pid is the only process in the
	# container's cgroup (a losing create must not leave its own init)
	pid=$(state_of "$ID" pid)
	procs=$(grep -l -- "/$ID\$" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3 | sort -u)
	[ "$procs" = "$pid" ]
	rp delete --force "$ID"
}

@test "list: table, json and quiet forms" {
	run rp list --format json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c .)" = "[]" ]
	run rp list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]

	use_sleeper
	create_ctr "$ID-a"
	create_ctr "$ID-b"
	rp start "$ID-b"
	wait_for status_is "$ID-b" running

	run rp list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^ID\ +PID\ +STATUS\ +BUNDLE\ +CREATED\ +OWNER$ ]]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[1]}" =~ ^$ID-a\ +[0-9]+\ +created\ +$BUNDLE\ +[0-9T:.Z+-]+\ +root$ ]]
	[[ "${lines[2]}" =~ ^$ID-b\ +[0-9]+\ +running\ +$BUNDLE ]]

	run rp list --format=json
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq length)" -eq 2 ]
	[ "$(echo "$output" | jq -r '.[0].id')" = "$ID-a" ]
	[ "$(echo "$output" | jq -r '.[1].status')" = running ]
	[ "$(echo "$output" | jq -r '.[1].pid')" = "$(state_of "$ID-b" pid)" ]
	[ "$(echo "$output" | jq -r '.[0] | has("ociVersion")')" = false ]
	[ "$(echo "$output" | jq -r '.[0] | [has("id","pid","status","bundle","rootfs","created","owner")] | all')" = true ]

	run rp list -f json -q
	[ "${lines[0]}" = "$ID-a" ]
	[ "${lines[1]}" = "$ID-b" ]

	run rp list --format yaml
	[ "$status" -ne 0 ]

	rp delete --force "$ID-a"
	rp delete --force "$ID-b"
}

@test "state pid is 0 and status stopped once the process has exited" {
	update_config '.process.args = ["true"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" stopped
	[ "$(state_of "$ID" pid)" = 0 ]
	run rp list --format json
	[ "$(echo "$output" | jq -r '.[0].status')" = stopped ]
	rp delete "$ID"
}

@test "start of a running container fails and has no effect" {
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	run rp start "$ID"
	[ "$status" -ne 0 ]
	status_is "$ID" running
	rp delete --force "$ID"
}

@test "delete --force of a paused container" {
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	pid=$(state_of "$ID" pid)
	run rp pause "$ID"
	[ "$status" -eq 0 ] || skip "pause not available: $output"
	wait_for status_is "$ID" paused
	run rp delete "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *paused* ]]
	run rp delete --force "$ID"
	[ "$status" -eq 0 ]
	wait_for bash -c "! kill -0 $pid 2>/dev/null"
}

@test "100 sequential runs of /bin/true leave nothing behind" {
	update_config '.process.args = ["/bin/true"]'
	for i in $(seq 100); do
		rp run --bundle "$BUNDLE" "$ID-$i" </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
			die "run $i failed: $(cat "$BATS_TEST_TMPDIR/err")"
	done
	[ -z "$(ls -A "$ROOT")" ]
	[ -z "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "$ID-*" 2>/dev/null | head -1)" ]
	[ -z "$(grep -F "$BUNDLE" /proc/self/mountinfo)" ]
}
