#!/usr/bin/env bats
# podman 4.3 + conmon (Debian packages) driving rampart, registered through
# contrib/podman/rampart.conf.  Everything podman keeps (storage, runroot,
# tmpdir, network config, events) is under a temp dir; see helpers.bash for
# the private mount namespace that gives rampart a private default --root.

load helpers

IMAGE=localhost/rampart-busybox:test

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v podman >/dev/null && command -v conmon >/dev/null || return 0
	export ENG_DIR="$BATS_FILE_TMPDIR/podman"
	# A container root mapped to an unprivileged uid must reach its rootfs.
	local d="$BATS_FILE_TMPDIR"
	while [ "$d" != / ] && [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	mkdir -p "$ENG_DIR"/{root,runroot,tmp,netconf,volumes}
	chmod o+x "$ENG_DIR"

	# CONTAINERS_CONF names ONE file, and with it set podman 4.3 reads no
	# other (not /etc/containers/containers.conf, not containers.conf.d).
	# So the test's file is the contrib snippet as shipped plus a
	# [containers] table of test-only settings.  Everything else private
	# is passed as podman global flags, which podman also hands on to its
	# cleanup process (conmon's exit command).
	local contrib="$SRCDIR/contrib/podman/rampart.conf"
	if grep -q '^\[containers\]' "$contrib"; then
		echo "contrib/podman/rampart.conf now has a [containers] table: merge the test settings" >&2
		return 1
	fi
	{
		cat "$contrib"
		echo
		echo "# test-only settings"
		echo "[containers]"
		# podman asks root containers for NOFILE=1048576 and NPROC=4194304
		# by default; without CAP_SYS_RESOURCE stay under the hard limits.
		echo 'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]'
		# No network backend: the test must not touch the host's network.
		echo 'netns = "none"'
	} >"$ENG_DIR/containers.conf"

	ns_start "$ENG_DIR"
	echo "$NS_PID" >"$ENG_DIR/ns.pid"

	local rootfs; rootfs=$(busybox_rootfs)
	tar -C "$rootfs" -cf "$ENG_DIR/rootfs.tar" .
	pm import "$ENG_DIR/rootfs.tar" "$IMAGE" >/dev/null
}

teardown_file() {
	[ -n "${ENG_DIR:-}" ] && [ -f "$ENG_DIR/ns.pid" ] || return 0
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	pm rm -af -t 0 >/dev/null 2>&1
	# vfs layers of --userns=auto containers hold files of mapped uids;
	# let podman remove its own storage.
	pm system reset -f >/dev/null 2>&1 || true
	ns_stop
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v podman >/dev/null || skip "podman is not installed (apt-get install podman)"
	command -v conmon >/dev/null || skip "conmon is not installed (apt-get install conmon)"
	command -v nsenter >/dev/null || skip "nsenter is missing"
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	STATE="$ENG_DIR/ns/state"
	NAME="rpt-pm-$BATS_TEST_NUMBER-$$"
}

# The leak check: no container, no rampart state, no container process.
teardown() {
	[ -n "${NS_PID:-}" ] || return 0
	local ids leaks="" id
	ids=$(pm ps -aq --no-trunc 2>/dev/null)
	[ -n "$ids" ] && leaks+="podman containers left: $ids"$'\n'
	pm rm -af -t 0 >/dev/null 2>&1
	wait_for state_empty || leaks+="rampart state left: $(ls "$STATE")"$'\n'
	for id in $ids; do
		wait_for no_procs "$id" || leaks+="processes left for $id: $(procs_of "$id")"$'\n'
	done
	if [ -n "$leaks" ]; then
		for id in $(ls "$STATE"); do in_ns "$RAMPART" delete --force "$id" >/dev/null 2>&1; done
		echo "LEAK after test: $leaks" >&3
		return 1
	fi
}
state_empty() { [ -z "$(ls "$STATE")" ]; }

# podman 4.3 races its own cleanup: after `podman wait`, conmon's exit
# command (`podman container cleanup ID`) may have marked the storage
# unmounted while userdata/shm is still mounted, and `podman rm` then fails
# with "unlinkat .../userdata/shm: device or resource busy" (podman --log-level
# debug: "storage is already unmounted, skipping").  runc 1.1.5 as the
# runtime shows the same in 3 of 12 runs: not rampart's.  podman has dropped
# the container from its database by then; accept exactly that failure.
# The same race hits `podman rm -f` of a running container now and then.
# rm_exited NAME [RM_OPTION...]
rm_exited() {
	local out name="$1"; shift
	out=$(pm rm "$@" "$name" 2>&1) && return 0
	if [[ "$out" == *"userdata/shm: device or resource busy"* ]] && ! pm container exists "$name"; then
		echo "# note: podman 4.3 shm cleanup race on rm (known, runc too)" >&3
		return 0
	fi
	echo "$out" >&2
	return 1
}

# podman with the test's private configuration and the runtime picked by
# NAME, so the path list of contrib/podman/rampart.conf is what finds it.
pm() {
	in_ns env CONTAINERS_CONF="$ENG_DIR/containers.conf" podman \
		--root "$ENG_DIR/root" --runroot "$ENG_DIR/runroot" --storage-driver vfs \
		--tmpdir "$ENG_DIR/tmp" --network-config-dir "$ENG_DIR/netconf" \
		--volumepath "$ENG_DIR/volumes" --events-backend file --cgroup-manager cgroupfs \
		--runtime rampart "$@"
}

# The hardened policy wants root mapped: every flow uses --userns=auto.
pmrun() { pm run --userns=auto "$@"; }

@test "podman: the contrib snippet registers rampart (runtime name and path list)" {
	run pm info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}'
	[ "$status" -eq 0 ]
	[ "$output" = "rampart /usr/local/bin/rampart" ]
}

@test "podman: run --rm --userns=auto true exits 0 in a mapped user namespace" {
	run pmrun --rm "$IMAGE" cat /proc/self/uid_map
	[ "$status" -eq 0 ]
	read -r inside outside count <<<"$output"
	[ "$inside" -eq 0 ] && [ "$outside" -ge 200000 ] && [ "$count" -gt 0 ]
	run pmrun --rm "$IMAGE" true
	[ "$status" -eq 0 ]
}

@test "podman: the container's exit code reaches podman's caller" {
	run pmrun --rm "$IMAGE" sh -c 'exit 3'
	[ "$status" -eq 3 ]
}

@test "podman: a root container without a user namespace is refused, the reason reaches the user" {
	run pm run --rm "$IMAGE" true
	[ "$status" -eq 126 ]
	[[ "$output" == *refusing* ]]
	[[ "$output" == *"[root-user]"* ]]
	# runtime_supports_json: podman shows rampart's own message from the
	# --log file, not a generic "executable file not found".
	[[ "$output" == *"OCI runtime error"* ]]
	[ "$(grep -c refusing <<<"$output")" -eq 1 ]
}

@test "podman: --runtime-flag policy=compat runs the root container" {
	run pm --runtime-flag policy=compat run --rm "$IMAGE" sh -c 'id -u; cat /proc/self/uid_map'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[[ "${lines[1]}" =~ ^\ *0\ +0\ +4294967295$ ]]
}

@test "podman: RAMPART_POLICY in podman's environment does not reach the runtime" {
	# conmon starts the runtime with a scrubbed environment (PATH, HOME,
	# XDG_RUNTIME_DIR, CONTAINERS_CONF): the policy must go by --runtime-flag.
	RAMPART_POLICY=compat run pm run --rm "$IMAGE" true
	[ "$status" -eq 126 ]
	[[ "$output" == *"[root-user]"* ]]
}

@test "podman: run -d, exec (output and exit code), ps" {
	run pmrun -d --name "$NAME" "$IMAGE" sleep 300
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run pm exec "$NAME" sh -c 'echo hello from exec; exit 5'
	[ "$status" -eq 5 ]
	[ "$output" = "hello from exec" ]
	run pm top "$NAME" args
	[ "$status" -eq 0 ]
	[[ "$output" == *"sleep 300"* ]]
	run rm_exited "$NAME" -f -t 0
	[ "$status" -eq 0 ]
}

@test "podman: pause freezes the cgroup, unpause thaws it" {
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local pid cg
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg=$(cgroup_of "$pid" freezer)
	run pm pause "$NAME"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = FROZEN ]
	[ "$(pm inspect -f '{{.State.Status}}' "$NAME")" = paused ]
	run pm unpause "$NAME"
	[ "$status" -eq 0 ]
	[ "$(cat "/sys/fs/cgroup/freezer$cg/freezer.state")" = THAWED ]
	[ "$(pm inspect -f '{{.State.Status}}' "$NAME")" = running ]
	rm_exited "$NAME" -f -t 0
}

@test "podman: kill delivers the signal; the exit status is 128+signal" {
	pmrun -d --name "$NAME" "$IMAGE" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	run pm kill -s USR1 "$NAME"
	[ "$status" -eq 0 ]
	run pm wait "$NAME"
	[ "$output" = 42 ]
	rm_exited "$NAME"
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	pm kill -s KILL "$NAME"
	run pm wait "$NAME"
	[ "$output" = 137 ]
	rm_exited "$NAME"
}

@test "podman: stop sends the stop signal, then KILL after the timeout" {
	pmrun -d --name "$NAME" "$IMAGE" sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
	run pm stop -t 5 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.ExitCode}}' "$NAME")" = 7 ]
	rm_exited "$NAME"
	# busybox sleep as pid 1 ignores TERM: podman must fall back to KILL.
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	run pm stop -t 1 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.ExitCode}}' "$NAME")" = 137 ]
	rm_exited "$NAME"
}

@test "podman: rm -f removes a running container and its processes" {
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local id pid
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	[ -d "$STATE/$id" ]
	run rm_exited "$NAME" -f -t 0
	[ "$status" -eq 0 ]
	wait_for eval '! kill -0 '"$pid"' 2>/dev/null'
	wait_for eval '[ ! -e "$STATE/$id" ]'
	run pm inspect "$NAME"
	[ "$status" -ne 0 ]
}

@test "podman: --memory sets the v1 limit; the kernel OOM-kills inside it" {
	# tail keeps an endless line of /dev/zero in memory; the shell survives
	# to report tail's status while the host reads the cgroup's counters.
	pmrun -d --name "$NAME" --memory 32m --memory-swap 32m "$IMAGE" \
		sh -c 'tail /dev/zero; echo "tail=$?"; sleep 300'
	local pid cg
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg=$(cgroup_of "$pid" memory)
	[ "$(cat "/sys/fs/cgroup/memory$cg/memory.limit_in_bytes")" -eq $((32 * 1024 * 1024)) ]
	wait_for eval 'pm logs "$NAME" | grep -q "^tail=137$"'
	grep -q '^oom_kill [1-9]' "/sys/fs/cgroup/memory$cg/memory.oom_control"
	rm_exited "$NAME" -f -t 0
}

@test "podman: an OOM-killed container is reported OOMKilled" {
	# conmon 2.1.6 on this hybrid v1 host never reports the OOM (runc 1.1.5
	# shows OOMKilled=false as well): a conmon/host limit, not rampart's.
	run pmrun --name "$NAME" --memory 32m --memory-swap 32m "$IMAGE" tail /dev/zero
	[ "$status" -eq 137 ]
	local oom; oom=$(pm inspect -f '{{.State.OOMKilled}}' "$NAME")
	rm_exited "$NAME"
	[ "$oom" = true ] || skip "conmon did not report the OOM kill (conmon 2.1.6 + cgroup v1 hybrid; runc the same)"
}

@test "podman: --pids-limit sets pids.max and stops a fork loop" {
	pmrun -d --name "$NAME" --pids-limit 16 "$IMAGE" sleep 300
	local pid cg
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg=$(cgroup_of "$pid" pids)
	[ "$(cat "/sys/fs/cgroup/pids$cg/pids.max")" = 16 ]
	run pm exec "$NAME" sh -c 'for i in $(seq 30); do sleep 30 & done 2>/dev/null; wait' 
	[ "$(cat "/sys/fs/cgroup/pids$cg/pids.current")" -le 16 ]
	rm_exited "$NAME" -f -t 0
}

@test "podman: --read-only (podman's default read-only tmpfs /run /tmp /var/tmp, tmpcopyup)" {
	# podman adds tmpfs mounts with the "tmpcopyup" option (copy the image's
	# directory into the new tmpfs), a runc/crun extension.
	run pmrun --rm --read-only "$IMAGE" sh -c 'touch /x'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Read-only file system"* ]]
	run pmrun --rm --read-only "$IMAGE" sh -c 'touch /tmp/x && echo ok'
	[ "$status" -eq 0 ]
	[ "$output" = ok ]
}

@test "podman: --read-only --read-only-tmpfs=false makes the rootfs read-only" {
	run pmrun --rm --read-only --read-only-tmpfs=false "$IMAGE" sh -c 'touch /x'
	[ "$status" -eq 1 ]
	[[ "$output" == *"Read-only file system"* ]]
	run pmrun --rm --read-only --read-only-tmpfs=false "$IMAGE" awk '$5 == "/" {print $6}' /proc/self/mountinfo
	[ "$status" -eq 0 ]
	[[ "$output" == ro,* ]]
}

@test "podman: --tmpfs mounts a tmpfs (podman adds tmpcopyup)" {
	run pmrun --rm --tmpfs /data "$IMAGE" sh -c 'grep " /data " /proc/self/mountinfo && touch /data/x'
	[ "$status" -eq 0 ]
	[[ "$output" == *" /data "*tmpfs* ]]
}

@test "podman: --cap-drop all leaves no capability" {
	run pmrun --rm --cap-drop all "$IMAGE" grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status
	[ "$status" -eq 0 ]
	[ "$(grep -c ':[[:space:]]*0000000000000000$' <<<"$output")" -eq 3 ]
}

@test "podman: -t gives the container a terminal (console socket)" {
	command -v script >/dev/null || skip "script(1) is missing (bsdutils)"
	local cmd
	cmd="nsenter -t $NS_PID -m -- env CONTAINERS_CONF=$ENG_DIR/containers.conf podman"
	cmd+=" --root $ENG_DIR/root --runroot $ENG_DIR/runroot --storage-driver vfs --tmpdir $ENG_DIR/tmp"
	cmd+=" --network-config-dir $ENG_DIR/netconf --volumepath $ENG_DIR/volumes --events-backend file"
	cmd+=" --cgroup-manager cgroupfs --runtime rampart run --rm -t --userns=auto $IMAGE sh -c 'tty; exit 4'"
	run script -qec "$cmd" /dev/null
	[ "$status" -eq 4 ]
	[[ "$output" == *"/dev/pts/0"* ]]
}
