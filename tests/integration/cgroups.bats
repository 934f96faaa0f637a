#!/usr/bin/env bats
# Control groups from the outside: linux.resources land in the kernel's
# control files, update/pause/resume/events/ps act on a live container, the
# device allow-list is enforced, and nothing is left in any hierarchy.
# Works on unified, hybrid and legacy hosts: file locations are looked up.

load helpers
load lifecycle-helpers

V2VIEW="${V2VIEW:-$TESTS_DIR/../../shared/tools/v2view}"
[ -x "$V2VIEW" ] || V2VIEW=/work/shared/tools/v2view

# Where the container's cgroup is for CONTROLLER (v1 name) on this host.
# Hybrid: the v1 hierarchy when it holds the controller, else cgroup2.
cg_dir() {
	local ctrl="$1" path="${2:-/rampart/$ID}"
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		echo "/sys/fs/cgroup$path"
	elif [ -d "/sys/fs/cgroup/$ctrl" ] && [ "$(stat -fc %T "/sys/fs/cgroup/$ctrl")" = cgroupfs ]; then
		echo "/sys/fs/cgroup/$ctrl$path"
	else
		echo "/sys/fs/cgroup/unified$path"
	fi
}
is_v1() { [[ "$(cg_dir "$1")" != /sys/fs/cgroup/unified* ]] && [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; }
has_controller() {
	is_v1 "$1" && return 0
	local v2="$1"; [ "$1" = blkio ] && v2=io
	grep -qw "$v2" "$(dirname "$(cg_dir "$1" /x)")/cgroup.controllers" 2>/dev/null
}

# Every directory named like the container in every hierarchy.
cgroups_of() { find /sys/fs/cgroup -maxdepth 5 -type d -name "$1" 2>/dev/null; }

start_sleeper() {
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	PID=$(state_of "$ID" pid)
}

local_teardown() { rp delete --force "$ID" >/dev/null 2>&1 || true; }

@test "cgroups: linux.resources are written to the control files" {
	update_config '.linux.resources = {
		"memory": {"limit": 67108864, "reservation": 33554432},
		"cpu": {"shares": 512, "quota": 50000, "period": 100000},
		"pids": {"limit": 42}}'
	start_sleeper
	has_controller memory || skip "no memory controller on this host"
	if is_v1 memory; then
		[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes")" = 67108864 ]
		[ "$(cat "$(cg_dir memory)/memory.soft_limit_in_bytes")" = 33554432 ]
		[ "$(cat "$(cg_dir cpu)/cpu.shares")" = 512 ]
		[ "$(cat "$(cg_dir cpu)/cpu.cfs_quota_us")" = 50000 ]
	else
		[ "$(cat "$(cg_dir memory)/memory.max")" = 67108864 ]
		[ "$(cat "$(cg_dir memory)/memory.low")" = 33554432 ]
		# shares 512 -> weight 1 + (510 * 9999) / 262142 = 20
		[ "$(cat "$(cg_dir cpu)/cpu.weight")" = 20 ]
		[ "$(cat "$(cg_dir cpu)/cpu.max")" = "50000 100000" ]
	fi
	[ "$(cat "$(cg_dir pids)/pids.max")" = 42 ]
	# the init is in the container's cgroup in every hierarchy
	grep -q "/rampart/$ID\$" "/proc/$PID/cgroup"
	! grep -v "name=systemd" "/proc/$PID/cgroup" | grep -qv "/rampart/$ID\$"
	rp delete --force "$ID"
	[ -z "$(cgroups_of "$ID")" ]
}

@test "cgroups: update changes limits (runc flags and --resources -)" {
	start_sleeper
	has_controller memory || skip "no memory controller on this host"
	run rp update --memory 128m --pids-limit 20 "$ID"
	[ "$status" -eq 0 ]
	if is_v1 memory; then
		[ "$(cat "$(cg_dir memory)/memory.limit_in_bytes")" = 134217728 ]
	else
		[ "$(cat "$(cg_dir memory)/memory.max")" = 134217728 ]
	fi
	[ "$(cat "$(cg_dir pids)/pids.max")" = 20 ]
	echo '{"pids": {"limit": -1}, "cpu": {"shares": 1024}}' | rp update --resources - "$ID"
	[ "$(cat "$(cg_dir pids)/pids.max")" = max ]
	# A quota of 0 is a Go caller's "not set": the quota stays; -1 lifts it.
	quota() { if is_v1 cpu; then cat "$(cg_dir cpu)/cpu.cfs_quota_us"; else cut -d' ' -f1 "$(cg_dir cpu)/cpu.max"; fi; }
	echo '{"cpu": {"quota": 30000, "period": 100000}}' | rp update --resources - "$ID"
	[ "$(quota)" = 30000 ]
	echo '{"cpu": {"quota": 0, "period": 0, "shares": 512, "realtimePeriod": 0, "realtimeRuntime": 0}}' |
		rp update --resources - "$ID"
	[ "$(quota)" = 30000 ]
	echo '{"cpu": {"quota": -1}}' | rp update --resources - "$ID"
	[[ "$(quota)" =~ ^(-1|max)$ ]]
	# checkBeforeUpdate: a limit below the current usage is refused, the
	# limit stays as it was.
	local mem_file=memory.max; is_v1 memory && mem_file=memory.limit_in_bytes
	run rp update --resources - "$ID" <<<'{"memory": {"limit": 4096, "checkBeforeUpdate": true}}'
	[ "$status" -ne 0 ]
	[[ "$output" == *"memory.limit: 4096 is below the current usage"*"(checkBeforeUpdate)"* ]]
	[ "$(cat "$(cg_dir memory)/$mem_file")" = 134217728 ]
	run rp update --l3-cache-schema "L3:0=f" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *intelRdt* ]]
	run rp update --memory lots "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"--memory"* ]]
}

@test "cgroups: pause and resume freeze the container and show in state" {
	start_sleeper
	run rp pause "$ID"
	[ "$status" -eq 0 ]
	[ "$(state_of "$ID" status)" = paused ]
	rp list --format json | jq -e --arg id "$ID" '.[] | select(.id == $id) | .status == "paused"'
	# a frozen task is not runnable: v1 shows D, v2 S, never R
	! grep -q 'State:.*R' "/proc/$PID/status"
	run rp pause "$ID"
	[ "$status" -ne 0 ]
	run rp resume "$ID"
	[ "$status" -eq 0 ]
	[ "$(state_of "$ID" status)" = running ]
	run rp resume "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not paused"* ]]
	# a paused container can still be deleted by force
	rp pause "$ID"
	rp delete --force "$ID"
	[ -z "$(cgroups_of "$ID")" ]
}

@test "cgroups: events --stats prints one stats object" {
	update_config '.linux.resources = {"pids": {"limit": 42}}'
	start_sleeper
	run rp events --stats "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | wc -l)" -eq 1 ]
	echo "$output" | jq -e --arg id "$ID" '.type == "stats" and .id == $id'
	echo "$output" | jq -e '.data.pids.current >= 1 and .data.pids.limit == 42'
	echo "$output" | jq -e '.data.cpu.usage.total > 0'
	if has_controller memory; then
		echo "$output" | jq -e '.data.memory.usage.usage > 0'
	fi
}

@test "cgroups: events streams stats and ends when the container stops" {
	start_sleeper
	timeout 20 "$RAMPART" --root "$ROOT" events --interval 300ms "$ID" >"$BATS_TEST_TMPDIR/ev" &
	local ev=$!
	wait_for test -s "$BATS_TEST_TMPDIR/ev"
	rp kill "$ID" KILL
	wait "$ev"   # exits 0 by itself (timeout would give 124)
	head -1 "$BATS_TEST_TMPDIR/ev" | jq -e '.type == "stats"'
}

@test "cgroups: events reports an OOM kill" {
	has_controller memory || skip "no memory controller on this host"
	# memory+swap = memory: the hog cannot swap, it is OOM-killed
	update_config '.linux.resources = {"memory": {"limit": 33554432, "swap": 33554432}}'
	update_config '.process.args = ["sh", "-c", "sleep 1; sh -c \"x=\\$(head -c 80000000 /dev/zero | tr \\\"\\\\0\\\" a)\"; sleep 2"]'
	create_ctr
	rp start "$ID"
	run timeout 30 "$RAMPART" --root "$ROOT" events --interval 60s "$ID"
	[ "$status" -eq 0 ]
	echo "$output" | grep -F '"type":"oom"' | head -1 | jq -e --arg id "$ID" '.id == $id'
}

@test "cgroups: ps lists the container's processes" {
	start_sleeper
	run rp ps --format json "$ID"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -c .)" = "[$PID]" ]
	run rp ps "$ID"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID* ]]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == *sleep* ]]
	run rp ps "$ID" -- -eo pid,comm
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" =~ ^\ *$PID\ +sleep ]]
}

@test "cgroups: the device allow-list is enforced, last rule wins" {
	[ -e /dev/fuse ] && [ -e /dev/loop-control ] || skip "needs /dev/fuse and /dev/loop-control"
	use_rootful_config
	update_config '.linux.devices = [
			{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
			{"path": "/dev/loop-control", "type": "c", "major": 10, "minor": 237}]
		| .linux.resources.devices = [
			{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 10, "access": "rw"},
			{"allow": false, "type": "c", "major": 10, "minor": 237, "access": "rwm"}]'
	run_sh '(exec 3<>/dev/fuse) && echo fuse-ok; (exec 3<>/dev/loop-control) && echo loop-ok; head -c1 /dev/zero | wc -c'
	[ "$status" -eq 0 ]
	[[ "$output" == *fuse-ok* ]]
	[[ "$output" != *loop-ok* ]]
	[[ "$output" == *"Operation not permitted"* ]]
	[ -z "$(cgroups_of "$ID")" ]
}

@test "cgroups: update edits the v1 device list in place; no device is denied meanwhile" {
	[ -e /dev/fuse ] && [ -e /dev/loop-control ] || skip "needs /dev/fuse and /dev/loop-control"
	is_v1 devices || skip "no v1 devices controller on this host"
	use_rootful_config
	local rules='[{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]'
	update_config '.linux.devices = [
			{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
			{"path": "/dev/loop-control", "type": "c", "major": 10, "minor": 237}]
		| .linux.resources.devices = '"$rules"'
		| .process.args = ["sh", "-c", "while :; do (exec 3<>/dev/fuse) 2>/dev/null || echo fuse >>/tmp/denied; (exec 3</dev/null) 2>/dev/null || echo null >>/tmp/denied; done"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
	local pid list
	pid=$(state_of "$ID" pid)
	list="$(cg_dir devices)/devices.list"
	sort "$list" >"$BATS_TEST_TMPDIR/before"
	grep -qx 'c 10:229 rw' "$BATS_TEST_TMPDIR/before"
	# What containerd's CRI does on every resource update: the same devices
	# again.  A rewrite from "deny a" would make the loop's opens fail.
	for i in $(seq 100); do
		echo '{"devices": '"$rules"', "pids": {"limit": 100}}' | rp update --resources - "$ID"
	done
	diff <(sort "$list") "$BATS_TEST_TMPDIR/before"
	[ ! -e "/proc/$pid/root/tmp/denied" ] || { cat "/proc/$pid/root/tmp/denied" | sort | uniq -c; false; }
	# A real change: loop-control in, fuse read-only.
	echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "r"},
		{"allow": true, "type": "c", "major": 10, "minor": 237, "access": "rw"}]}' | rp update --resources - "$ID"
	grep -qx 'c 10:229 r' "$list"
	grep -qx 'c 10:237 rw' "$list"
	run rp exec "$ID" sh -c '(exec 3<>/dev/loop-control) && echo loop-ok; (exec 3>/dev/fuse) && echo fuse-write-ok; true'
	[[ "$output" == *loop-ok* ]]
	[[ "$output" != *fuse-write-ok* ]]
	rp delete --force "$ID"
}

@test "cgroups: the eBPF device filter alone enforces on pure cgroup v2" {
	[ -x "$V2VIEW" ] || skip "v2view is not available"
	[ -e /dev/fuse ] && [ -e /dev/loop-control ] || skip "needs /dev/fuse and /dev/loop-control"
	use_rootful_config
	update_config '.linux.devices = [
			{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229},
			{"path": "/dev/loop-control", "type": "c", "major": 10, "minor": 237}]
		| .linux.resources.devices = [
			{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]
		| .process.args = ["sh", "-c", "(exec 3<>/dev/fuse) && echo fuse-ok; (exec 3<>/dev/loop-control) && echo loop-ok; true"]'
	run "$V2VIEW" "$RAMPART" --root "$ROOT" run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" == *fuse-ok* ]]
	[[ "$output" != *loop-ok* ]]
	[ -z "$(cgroups_of "$ID")" ]
}

@test "cgroups: a resource whose controller is missing is an error, nothing left" {
	[ -x "$V2VIEW" ] || skip "v2view is not available"
	"$V2VIEW" sh -c '! grep -qw memory /sys/fs/cgroup/cgroup.controllers' ||
		skip "the memory controller is available in the cgroup2 view"
	update_config '.linux.resources = {"memory": {"limit": 67108864}}'
	use_sleeper
	run "$V2VIEW" "$RAMPART" --root "$ROOT" create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources.memory.limit: the memory controller is not available"* ]]
	[ -z "$(cgroups_of "$ID")" ]
	[ ! -d "$ROOT/$ID" ]
}

@test "cgroups: hostile cgroupsPath and unified keys are refused" {
	update_config '.linux.cgroupsPath = "/../../etc"'
	use_sleeper
	run rp create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *cgroupsPath* ]]
	update_config '.linux.cgroupsPath = "/rampart/'"$ID"'" | .linux.resources.unified = {"../cgroup.procs": "1"}'
	run rp create --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"linux.resources.unified"* ]]
	[ -z "$(cgroups_of "$ID")" ]
}

@test "cgroups: delete leaves no cgroup in any hierarchy" {
	update_config '.linux.cgroupsPath = "/rampart-test/'"$ID"'"'
	start_sleeper
	[ -n "$(cgroups_of "$ID")" ]
	rp kill "$ID" KILL
	wait_for status_is "$ID" stopped
	rp delete "$ID"
	[ -z "$(cgroups_of "$ID")" ]
	for d in /sys/fs/cgroup/*/rampart-test /sys/fs/cgroup/rampart-test; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null || true
	done
}
