#!/usr/bin/env bats
# linux.namespaces: new ones are new, joined ones are the very namespace the
# path names, and absent ones are the host's.  Compared by the inode of
# /proc/<pid>/ns/<type> as the host sees it.

load helpers
load lifecycle-helpers

local_teardown() {
	[ -n "${holder:-}" ] && kill -9 "$holder" 2>/dev/null
	true
}

# ns link names by config type
declare -A NSLINK=([pid]=pid [network]=net [ipc]=ipc [uts]=uts [mount]=mnt [cgroup]=cgroup [user]=user [time]=time)

@test "every configured namespace is new" {
	use_sleeper
	create_ctr
	pid=$(state_of "$ID" pid)
	for t in pid network ipc uts mount cgroup user; do
		l=${NSLINK[$t]}
		[ "$(ns_inode "$pid" "$l")" != "$(ns_inode $$ "$l")" ] || die "$t namespace is the host's"
	done
	rp delete --force "$ID"
}

@test "a namespace absent from the config is the host's" {
	export RAMPART_POLICY=compat
	use_sleeper
	# mqueue needs an ipc namespace of the container's own user namespace
	update_config '.linux.namespaces |= map(select(.type != "ipc" and .type != "uts"))
		| .mounts |= map(select(.type != "mqueue")) | del(.hostname)'
	create_ctr
	pid=$(state_of "$ID" pid)
	[ "$(ns_inode "$pid" ipc)" = "$(ns_inode $$ ipc)" ]
	[ "$(ns_inode "$pid" uts)" = "$(ns_inode $$ uts)" ]
	[ "$(ns_inode "$pid" net)" != "$(ns_inode $$ net)" ]
	rp delete --force "$ID"
}

@test "namespaces joined by path are exactly those namespaces" {
	# ipc and uts of a holder process; the holder's namespaces belong to
	# the host user namespace, so no hostname and no mqueue mount here
	unshare --ipc --uts sleep 1000 &
	holder=$!
	wait_for bash -c "[ \"\$(stat -L -c %i /proc/$holder/ns/uts)\" != \"$(ns_inode $$ uts)\" ]"
	use_sleeper
	update_config ".linux.namespaces |= map(if .type == \"uts\" then .path = \"/proc/$holder/ns/uts\"
		elif .type == \"ipc\" then .path = \"/proc/$holder/ns/ipc\" else . end)
		| .mounts |= map(select(.type != \"mqueue\")) | del(.hostname)"
	create_ctr
	pid=$(state_of "$ID" pid)
	[ "$(ns_inode "$pid" uts)" = "$(ns_inode "$holder" uts)" ]
	[ "$(ns_inode "$pid" ipc)" = "$(ns_inode "$holder" ipc)" ]
	# net was not joined: new, neither the holder's nor the host's
	[ "$(ns_inode "$pid" net)" != "$(ns_inode "$holder" net)" ]
	[ "$(ns_inode "$pid" net)" != "$(ns_inode $$ net)" ]
	rp delete --force "$ID"
	# deleting the container must not have touched the holder
	kill -0 "$holder"
}

@test "joining a namespace path that is not a namespace fails cleanly" {
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"$BUNDLE/config.json\" else . end)"
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "joining a namespace of the wrong type fails cleanly" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
	run_file rp create --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "time namespace with offsets" {
	[ -e /proc/self/ns/time ] || skip "kernel without time namespaces"
	update_config '.linux.namespaces += [{"type": "time"}]
		| .linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 3600, "nanosecs": 500}}'
	run_sh 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -E '^monotonic +86400 +0$'
	echo "$output" | grep -E '^boottime +3600 +500$'
	host_up=$(cut -d. -f1 /proc/uptime)
	[ "${lines[2]}" -ge $((host_up + 3600 - 5)) ]
}

@test "hostname without a new uts namespace is refused" {
	export RAMPART_POLICY=compat
	update_config '.linux.namespaces |= map(select(.type != "uts")) | .hostname = "nope"'
	run_file rp run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$(hostname)" != nope ]
}
