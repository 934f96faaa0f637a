#!/usr/bin/env bats
# exec: a new process in a running container.  Every check looks at what the
# kernel reports (/proc of the exec'd process and of the init), never at
# rampart's own account of it.

load helpers
load lifecycle-helpers

# a running sleeper container
start_sleeper() {
	use_sleeper
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" running
}

@test "exec: runs in the container's namespaces and returns the exit status" {
	start_sleeper
	init=$(state_of "$ID" pid)
	run rp exec "$ID" sh -c 'for n in pid net ipc uts mnt user cgroup; do readlink /proc/self/ns/$n; done; exit 7'
	echo "$output"
	[ "$status" -eq 7 ]
	i=0
	for n in pid net ipc uts mnt user cgroup; do
		[ "${lines[$i]}" = "$(readlink /proc/$init/ns/$n)" ]
		i=$((i + 1))
	done
	rp delete --force "$ID"
}

@test "exec: joins every namespace at once, through a pidfd of the init" {
	command -v strace >/dev/null || skip "strace is not installed"
	start_sleeper
	init=$(state_of "$ID" pid)
	run strace -f -e trace=pidfd_open,setns "$RAMPART" --root "$ROOT" exec "$ID" true
	echo "$output"
	[ "$status" -eq 0 ]
	# pidfd_open(INIT, 0) = FD, then a single setns(FD, every namespace)
	fd=$(sed -n "s/^pidfd_open($init, 0) *= \([0-9]*\)$/\1/p" <<<"$output")
	[ -n "$fd" ]
	[ "$(grep -c 'setns(' <<<"$output")" -eq 1 ]
	grep -E "setns\($fd, .*CLONE_NEWUSER" <<<"$output" | grep -q CLONE_NEWPID
	rp delete --force "$ID"
}

@test "exec: sees the container's root, pid 1 is the init" {
	start_sleeper
	run rp exec "$ID" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; hostname'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "sleep 1000 " ]
	[ "${lines[1]}" = rampart-test ]
	rp delete --force "$ID"
}

@test "exec: --env, --cwd, --user and --additional-gids" {
	start_sleeper
	run rp exec --env FOO=bar -e PATH=/bin --cwd /tmp --user 1000:1000 -g 10 "$ID" \
		sh -c 'echo $FOO $PATH; pwd; grep -E "^(Uid|Gid|Groups):" /proc/self/status | tr -s "\t " " "'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "bar /bin" ]
	[ "${lines[1]}" = /tmp ]
	[ "${lines[2]}" = "Uid: 1000 1000 1000 1000" ]
	[ "${lines[3]}" = "Gid: 1000 1000 1000 1000" ]
	[ "${lines[4]}" = "Groups: 10 " ] || [ "${lines[4]}" = "Groups: 10" ]
	rp delete --force "$ID"
}

@test "exec: the container's seccomp filter, no_new_privs and bounding set hold" {
	start_sleeper
	init=$(state_of "$ID" pid)
	run rp exec "$ID" grep -E '^(CapBnd|NoNewPrivs|Seccomp):' /proc/self/status
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx "$(grep '^CapBnd:' /proc/$init/status)"
	echo "$output" | grep -qE '^NoNewPrivs:\s+1$'
	echo "$output" | grep -qE '^Seccomp:\s+2$'
	rp delete --force "$ID"
}

@test "exec: a capability outside the container's bounding set is refused" {
	start_sleeper
	run rp exec --cap CAP_SYS_TIME "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *CAP_SYS_TIME* ]]
	rp delete --force "$ID"
}

@test "exec: --process FILE (the containerd/conmon form), --detach and --pid-file" {
	start_sleeper
	cat >"$BATS_TEST_TMPDIR/proc.json" <<'EOF'
{"args": ["sleep", "300"], "cwd": "/", "user": {"uid": 1000, "gid": 1000}, "noNewPrivileges": true,
 "env": ["PATH=/bin"]}
EOF
	rp exec --process "$BATS_TEST_TMPDIR/proc.json" --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" \
		</dev/null >/dev/null 2>&1
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[ "$(tr '\0' ' ' </proc/$pid/cmdline)" = "sleep 300 " ]
	init=$(state_of "$ID" pid)
	[ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$init/ns/pid)" ]
	# in the container's cgroup, on every hierarchy
	diff <(sort /proc/$pid/cgroup) <(sort /proc/$init/cgroup)
	rp delete --force "$ID"
	wait_for bash -c "! kill -0 $pid 2>/dev/null"
}

@test "exec: execCPUAffinity: initial alone is kept, final replaces it" {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	start_sleeper
	# Without "final" the process keeps "initial" (the spec: no change
	# after the move); with it, "final" is what the program runs on.
	for aff in '{"initial": "0"}:0' '{"initial": "0", "final": "1"}:1'; do
		printf '{"args": ["sleep", "300"], "cwd": "/", "user": {"uid": 1000, "gid": 1000}, "env": ["PATH=/bin"], "execCPUAffinity": %s}' \
			"${aff%:*}" >"$BATS_TEST_TMPDIR/proc.json"
		rp exec --process "$BATS_TEST_TMPDIR/proc.json" --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$ID" \
			</dev/null >/dev/null 2>&1
		pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
		[ "$(awk '$1 == "Cpus_allowed_list:" {print $2}' /proc/$pid/status)" = "${aff##*:}" ]
		kill -9 "$pid"
	done
	rp delete --force "$ID"
}

@test "exec: a missing program fails with a clear error" {
	start_sleeper
	run rp exec "$ID" /no/such/program
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"/no/such/program"* ]]
	rp delete --force "$ID"
}

@test "exec: a cwd through /proc/self/fd is refused (CVE-2024-21626)" {
	start_sleeper
	for fd in 3 4 5 6 7 8; do
		run rp exec --cwd "/proc/self/fd/$fd" "$ID" pwd
		echo "$output"
		[ "$status" -ne 0 ]
	done
	rp delete --force "$ID"
}

@test "exec: a stopped container says 'container not running'" {
	update_config '.process.args = ["true"]'
	create_ctr
	rp start "$ID"
	wait_for status_is "$ID" stopped
	run rp exec "$ID" true
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"not running"* ]]
	rp delete "$ID"
}

@test "exec: the container cannot open the runtime binary through /proc/<pid>/exe" {
	# CVE-2019-5736: the created init is still the runtime (a sealed memfd
	# copy, non-dumpable); from inside, its exe must be out of reach.
	use_sleeper
	create_ctr
	init=$(state_of "$ID" pid)
	[[ "$(readlink /proc/$init/exe)" == /memfd:* ]]
	run rp exec "$ID" sh -c 'cat /proc/1/exe >/dev/null && echo READ; echo x >>/proc/1/exe && echo WROTE; true'
	echo "$output"
	[[ "$output" != *READ* ]]
	[[ "$output" != *WROTE* ]]
	rp delete --force "$ID"
}
