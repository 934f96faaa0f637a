#!/usr/bin/env bats
# podman 4.3 + conmon (Debian packages) driving rampart, registered through
# contrib/podman/rampart.conf.  Everything podman keeps (storage, runroot,
# tmpdir, network config, events) is under a temp dir; see helpers.bash for
# the private mount namespace that gives rampart a private default --root,
# and setup_file for the shared propagation podman needs inside it.

load helpers
# `run -127`: expected "command not found" statuses without BW01 warnings.
bats_require_minimum_version 1.5.0

IMAGE=localhost/rampart-busybox:test

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v podman >/dev/null && command -v conmon >/dev/null || return 0
	export ENG_DIR="$BATS_FILE_TMPDIR/podman"
	# A container root mapped to an unprivileged uid must reach its rootfs.
	local d="$BATS_FILE_TMPDIR"
	while [ "$d" != / ] && [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	mkdir -p "$ENG_DIR"/{root,runroot,tmp,netconf,volumes,cwd}
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
	# podman runs conmon (and so its exit command, `podman container
	# cleanup`) of a container whose root is not host root (--userns=auto)
	# in a mount namespace of its own, and relies on shared propagation, as
	# on a systemd host, to carry that cleanup's unmount of userdata/shm
	# back to the namespace `podman rm` runs in.  ns_start's namespace is
	# private, and so is this machine's root: without this, every rm after
	# conmon's cleanup won the race failed with "unlinkat .../userdata/shm:
	# device or resource busy".  The peer groups are new ones, inside the
	# private namespace: nothing reaches the host's mounts.
	in_ns mount --make-rshared /

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

# The leak check: no container, no rampart state, no container process, no
# mount of podman's per-container directories (userdata/shm) left in the
# namespace podman runs in.
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
	wait_for no_ctr_mounts || leaks+="mounts left: $(grep /vfs-containers/ "/proc/$NS_PID/mountinfo")"$'\n'
	if [ -n "$leaks" ]; then
		for id in $(ls "$STATE"); do in_ns "$RAMPART" delete --force "$id" >/dev/null 2>&1; done
		echo "LEAK after test: $leaks" >&3
		return 1
	fi
}
state_empty() { [ -z "$(ls "$STATE")" ]; }
no_procs() { [ -z "$(procs_of "$1")" ]; }
no_ctr_mounts() { ! grep -q /vfs-containers/ "/proc/$NS_PID/mountinfo"; }

# pm_rm [RM_OPTION...] NAME: podman rm, with podman's message on failure.
pm_rm() {
	local out
	out=$(pm rm "$@" 2>&1) && return 0
	echo "podman rm $*: $out" >&2
	return 1
}

# podman with the test's private configuration and the runtime picked by
# NAME, so the path list of contrib/podman/rampart.conf is what finds it.
pm_argv() {
	PM_ARGV=(env CONTAINERS_CONF="$ENG_DIR/containers.conf" podman
		--root "$ENG_DIR/root" --runroot "$ENG_DIR/runroot" --storage-driver vfs
		--tmpdir "$ENG_DIR/tmp" --network-config-dir "$ENG_DIR/netconf"
		--volumepath "$ENG_DIR/volumes" --events-backend file --cgroup-manager cgroupfs
		--runtime rampart)
}
# podman runs in $ENG_DIR/cwd, not in the namespace's / where nsenter -m
# leaves it: conmon inherits podman's working directory and creates its
# "oom" file there (see the OOMKilled test), on the host's root otherwise.
pm() { pm_argv; nsenter -t "$NS_PID" -m --wd="$ENG_DIR/cwd" -- "${PM_ARGV[@]}" "$@"; }

# pm_tty PODMAN_ARG...: pm as run from a user's terminal (script(1) gives
# it a pty of its own), the way -t is used: podman then puts that terminal
# in raw mode and relays it.  The output has CRLF line ends; the status is
# podman's.
pm_tty() {
	local cmd
	pm_argv
	cmd=$(printf '%q ' nsenter -t "$NS_PID" -m --wd="$ENG_DIR/cwd" -- "${PM_ARGV[@]}" "$@")
	script -qec "$cmd" /dev/null
}

# The state rampart keeps for a container: "STATUS PID".
rampart_state() { in_ns "$RAMPART" state "$1" | jq -r '"\(.status) \(.pid)"'; }

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

@test "podman: a program that cannot run: 127 when missing, 126 when not executable (run, exec)" {
	# podman maps the runtime's "not found" and "permission denied" to
	# the shell's codes; the reason is rampart's, from create or exec.
	run -127 pmrun --rm "$IMAGE" /nonexistent
	[ "$status" -eq 127 ]
	[[ "$output" == *"process.args[0]: /nonexistent: No such file or directory"* ]]
	run -127 pmrun --rm "$IMAGE" nonexistent
	[ "$status" -eq 127 ]
	[[ "$output" == *"nonexistent: executable file not found in \$PATH"* ]]
	# A regular file without an x bit: create must refuse it (runc does),
	# not leave it to fail in the container after start.
	run pmrun --rm "$IMAGE" /etc/passwd
	[ "$status" -eq 126 ] || { echo "status $status: $output"; false; }
	[[ "$output" == *"process.args[0]: /etc/passwd: not an executable file: Permission denied"* ]]
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	run -127 pm exec "$NAME" /nonexistent
	[ "$status" -eq 127 ]
	run pm exec "$NAME" /etc/passwd
	[ "$status" -eq 126 ]
	[[ "$output" == *"/etc/passwd: not an executable file: Permission denied"* ]]
	pm_rm -f -t 0 "$NAME"
}

@test "podman: a root container without a user namespace is refused, the reason reaches the user as one line" {
	# runtime_supports_json: podman passes --log-format=json --log FILE and
	# shows the file's message behind its own prefix naming the runtime,
	# instead of a generic "executable file not found".  rampart's stderr
	# carries the bare message then, so a fallback to it cannot double the
	# prefix either.  (podman --log-level debug passes no --log, and then
	# shows "rampart: rampart: refusing ..."; runc's reads "runc: time=...
	# level=error msg=...".)
	local re id
	re="^Error: OCI runtime error: rampart: refusing '([0-9a-f]{64})': process runs as host root"
	re+=" \(uid 0, no user namespace\) \[root-user\]; [^']+ rampart\.allow=root-user [^']+$"
	run pm run --rm --cidfile "$BATS_TEST_TMPDIR/cid" "$IMAGE" true
	[ "$status" -eq 126 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" =~ $re ]]
	id=${BASH_REMATCH[1]}
	[ "$id" = "$(cat "$BATS_TEST_TMPDIR/cid")" ]
	[ "$(grep -o refusing <<<"$output" | wc -l)" -eq 1 ]
	[[ "$output" != *"rampart: rampart:"* ]]
	[ ! -e "$STATE/$id" ]

	# The same through `podman start` of a created container: podman's
	# own context, then rampart's line, once.
	pm create --name "$NAME" "$IMAGE" true >/dev/null
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	run pm start "$NAME"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "Error: OCI runtime error: unable to start container \"$id\": rampart: refusing '$id': "* ]]
	[[ "$output" == *"[root-user]"* ]]
	[ "$(grep -o refusing <<<"$output" | wc -l)" -eq 1 ]
	[[ "$output" != *"rampart: rampart:"* ]]
	pm_rm "$NAME"
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
	pm_rm -f -t 0 "$NAME"
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
	pm_rm -f -t 0 "$NAME"
}

@test "podman: kill delivers the signal; the exit status is 128+signal" {
	pmrun -d --name "$NAME" "$IMAGE" sh -c 'trap "exit 42" USR1; while :; do sleep 0.1; done'
	run pm kill -s USR1 "$NAME"
	[ "$status" -eq 0 ]
	run pm wait "$NAME"
	[ "$output" = 42 ]
	pm_rm "$NAME"
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	pm kill -s KILL "$NAME"
	run pm wait "$NAME"
	[ "$output" = 137 ]
	pm_rm "$NAME"
}

@test "podman: stop sends the stop signal, then KILL after the timeout" {
	pmrun -d --name "$NAME" "$IMAGE" sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
	run pm stop -t 5 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.ExitCode}}' "$NAME")" = 7 ]
	pm_rm "$NAME"
	# busybox sleep as pid 1 ignores TERM: podman must fall back to KILL.
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	run pm stop -t 1 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(pm inspect -f '{{.State.ExitCode}}' "$NAME")" = 137 ]
	pm_rm "$NAME"
}

@test "podman: rm -f removes a running container and its processes" {
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local id pid
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	[ -d "$STATE/$id" ]
	pm_rm -f -t 0 "$NAME"
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
	pm_rm -f -t 0 "$NAME"
}

@test "podman: an OOM-killed container is reported OOMKilled" {
	# conmon 2.1.6 learns of the OOM kill through the v1 memory cgroup
	# rampart made (an eventfd on memory.oom_control) and then creates
	# "oom" in its working directory, which is podman's; podman 4.3 looks
	# for it in the bundle directory and so reports OOMKilled=false with
	# any runtime (runc 1.1.5 the same).  What rampart is responsible for
	# can be checked: that conmon saw the OOM kill.
	rm -f "$ENG_DIR/cwd/oom"
	run pmrun --name "$NAME" --memory 32m --memory-swap 32m "$IMAGE" tail /dev/zero
	[ "$status" -eq 137 ]
	local oom; oom=$(pm inspect -f '{{.State.OOMKilled}}' "$NAME")
	pm_rm "$NAME"
	[ "$oom" = true ] && return 0
	[ -e "$ENG_DIR/cwd/oom" ]
	skip "conmon saw the OOM kill, but podman 4.3 looks for conmon 2.1.6's oom file in the bundle, not in conmon's working directory"
}

@test "podman: --pids-limit sets pids.max and stops a fork loop" {
	pmrun -d --name "$NAME" --pids-limit 16 "$IMAGE" sleep 300
	local pid cg
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg=$(cgroup_of "$pid" pids)
	[ "$(cat "/sys/fs/cgroup/pids$cg/pids.max")" = 16 ]
	run pm exec "$NAME" sh -c 'for i in $(seq 30); do sleep 30 & done 2>/dev/null; wait' 
	[ "$(cat "/sys/fs/cgroup/pids$cg/pids.current")" -le 16 ]
	pm_rm -f -t 0 "$NAME"
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
	run pm_tty run --rm -t --userns=auto "$IMAGE" sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-tty; exit 4'
	[ "$status" -eq 4 ]
	[[ "$output" == *"/dev/pts/0"* ]]
	[[ "$output" == *both-tty* ]]
}

@test "podman: -i pipes podman's stdin into the container; without -i it gets none" {
	local out
	out=$(printf 'one\ntwo\nthree\n' | pmrun -i --rm "$IMAGE" wc -l)
	[ "$out" -eq 3 ]
	# The input reaches the process whole, and its EOF ends it.
	out=$(seq 1000 | pmrun -i --rm "$IMAGE" md5sum)
	[ "${out%% *}" = "$(seq 1000 | md5sum | cut -d' ' -f1)" ]
	local rc=0
	echo 7 | pmrun -i --rm "$IMAGE" sh -c 'read x; exit "$x"' || rc=$?
	[ "$rc" -eq 7 ]
	out=$(echo data | pmrun --rm "$IMAGE" sh -c 'cat; echo "end"')
	[ "$out" = end ]
}

@test "podman: exec -i and exec -t into a running container" {
	command -v script >/dev/null || skip "script(1) is missing (bsdutils)"
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local out pid
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	out=$(printf 'a\nb\n' | pm exec -i "$NAME" sh -c 'wc -l; [ -t 0 ] || echo no-tty')
	[ "$out" = $'2\nno-tty' ]
	# exec -t: a terminal of the container's own devpts, the exit code
	# through conmon; the container's init has no terminal.
	run pm_tty exec -t "$NAME" sh -c 'tty; [ -t 0 ] && [ -t 1 ] && echo both-tty; exit 6'
	[ "$status" -eq 6 ]
	[[ "$output" =~ /dev/pts/[0-9]+ ]]
	[[ "$output" == *both-tty* ]]
	run pm exec "$NAME" tty
	[ "$status" -eq 1 ]
	[ "$output" = "not a tty" ]
	# The exec'd processes ran in the container's cgroup and are gone.
	local id; id=$(pm inspect -f '{{.Id}}' "$NAME")
	wait_for eval '[ "$(procs_of "$id")" = "$pid" ]'
	pm_rm -f -t 0 "$NAME"
}

@test "podman: restart replaces the init process, the container runs again" {
	command -v jq >/dev/null || skip "jq is missing (apt-get install jq)"
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local id pid1 pid2 cg1 cg2 inside outside count
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	pid1=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg1=$(cgroup_of "$pid1" memory)
	[ "$(rampart_state "$id")" = "running $pid1" ]
	run pm restart -t 0 "$NAME"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	pid2=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	[ "$pid2" -ne "$pid1" ]
	wait_for eval '! kill -0 '"$pid1"' 2>/dev/null'
	[ "$(pm inspect -f '{{.State.Status}}' "$NAME")" = running ]
	[ "$(rampart_state "$id")" = "running $pid2" ]
	[ "$(tr '\0' ' ' <"/proc/$pid2/cmdline")" = "sleep 300 " ]
	# The same cgroup, the user namespace mapping again.
	cg2=$(cgroup_of "$pid2" memory)
	[ "$cg2" = "$cg1" ]
	[[ "$cg2" == *"$id"* ]]
	read -r inside outside count <"/proc/$pid2/uid_map"
	[ "$inside" -eq 0 ] && [ "$outside" -ge 200000 ]
	run pm exec "$NAME" echo alive
	[ "$output" = alive ]
	pm_rm -f -t 0 "$NAME"
}

@test "podman: restart of an exited container runs it again under the same id" {
	command -v jq >/dev/null || skip "jq is missing (apt-get install jq)"
	pmrun -d --name "$NAME" "$IMAGE" sh -c 'echo started; exit 3'
	local id
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	run pm wait "$NAME"
	[ "$output" = 3 ]
	# conmon's cleanup process deletes rampart's state of the exited
	# container; restart creates it again.
	wait_for eval '[ ! -e "$STATE/$id" ]'
	run pm restart "$NAME"
	[ "$status" -eq 0 ]
	run pm wait "$NAME"
	[ "$output" = 3 ]
	[ "$(pm logs "$NAME" | grep -c '^started$')" -eq 2 ]
	pm_rm "$NAME"
}

@test "podman: update --memory changes the v1 limits of the running container" {
	pmrun -d --name "$NAME" --memory 32m --memory-swap 32m "$IMAGE" sleep 300
	local pid cg
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cg=/sys/fs/cgroup/memory$(cgroup_of "$pid" memory)
	[ "$(cat "$cg/memory.limit_in_bytes")" -eq $((32 << 20)) ]
	[ "$(cat "$cg/memory.memsw.limit_in_bytes")" -eq $((32 << 20)) ]
	# Raising: podman sends memory.swap = 2 x memory; the runtime must
	# write memsw before the limit it has to stay above.
	run pm update --memory 64m "$NAME"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cat "$cg/memory.limit_in_bytes")" -eq $((64 << 20)) ]
	[ "$(cat "$cg/memory.memsw.limit_in_bytes")" -eq $((128 << 20)) ]
	# Lowering both: the limit first.
	run pm update --memory 8m --memory-swap 8m "$NAME"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(cat "$cg/memory.limit_in_bytes")" -eq $((8 << 20)) ]
	[ "$(cat "$cg/memory.memsw.limit_in_bytes")" -eq $((8 << 20)) ]
	# The kernel enforces the new limit on a process started after it.
	run pm exec "$NAME" tail /dev/zero
	[ "$status" -eq 137 ]
	grep -q '^oom_kill [1-9]' "$cg/memory.oom_control"
	# The container itself is still there.
	kill -0 "$pid"
	[ "$(pm inspect -f '{{.State.Status}}' "$NAME")" = running ]
	pm_rm -f -t 0 "$NAME"
}

@test "podman: update with a value the kernel rejects fails and changes nothing" {
	pmrun -d --name "$NAME" "$IMAGE" sleep 300
	local pid cs before
	pid=$(pm inspect -f '{{.State.Pid}}' "$NAME")
	cs=/sys/fs/cgroup/cpuset$(cgroup_of "$pid" cpuset)
	before=$(cat "$cs/cpuset.cpus")
	run pm update --cpuset-cpus 4095 "$NAME"
	[ "$status" -ne 0 ]
	[[ "$output" == *"cpuset.cpus"* ]]
	[ "$(cat "$cs/cpuset.cpus")" = "$before" ]
	run pm update --cpuset-cpus 0 --cpu-shares 512 "$NAME"
	[ "$status" -eq 0 ]
	[ "$(cat "$cs/cpuset.cpus")" = 0 ]
	grep -q '^Cpus_allowed_list:[[:space:]]*0$' "/proc/$pid/status"
	[ "$(cat "/sys/fs/cgroup/cpu$(cgroup_of "$pid" cpu)/cpu.shares")" -eq 512 ]
	pm_rm -f -t 0 "$NAME"
}

@test "podman: rm after conmon's cleanup of an exited container (shm unmounted, nothing left)" {
	# Regression for the shm "device or resource busy" on rm: conmon's
	# cleanup process unmounts userdata/shm in conmon's mount namespace;
	# setup_file's shared propagation must carry that to podman's.
	pmrun -d --name "$NAME" "$IMAGE" true
	local id
	id=$(pm inspect -f '{{.Id}}' "$NAME")
	run pm wait "$NAME"
	[ "$output" = 0 ]
	wait_for eval '[ ! -e "$STATE/$id" ]'
	wait_for eval '! grep -q "$id/userdata/shm" /proc/$NS_PID/mountinfo'
	pm_rm "$NAME"
	! grep -q "$id" "/proc/$NS_PID/mountinfo"
}
