#!/usr/bin/env bats
# The "process" object (config.md "Process"), checked from inside the
# container through what the kernel reports in /proc.

load helpers
load lifecycle-helpers

# the value of a /proc/self/status line, tabs squeezed to single spaces
status_line() { echo "$output" | grep "^$1:" | cut -d: -f2- | tr -s '\t ' ' ' | sed 's/^ //; s/ $//'; }

@test "user: uid, gid and additionalGids" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20]}'
	run_sh 'cat /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_line Uid)" = "1000 1000 1000 1000" ]
	[ "$(status_line Gid)" = "1000 1000 1000 1000" ]
	[ "$(status_line Groups)" = "10 20" ]
}

@test "user: no additionalGids means no supplementary groups" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	run_sh 'cat /proc/self/status'
	[ "$status" -eq 0 ]
	[ -z "$(status_line Groups)" ]
}

@test "umask" {
	update_config '.process.user.umask = 23'   # 0027
	run_sh 'umask; touch /tmp/f; stat -c %a /tmp/f'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0027 ]
	[ "${lines[1]}" = 640 ]
}

@test "cwd" {
	update_config '.process.cwd = "/tmp"'
	run_sh 'pwd'
	[ "$status" -eq 0 ]
	[ "$output" = /tmp ]
}

@test "env: exactly the configured environment, nothing from the host" {
	update_config '.process.env = ["PATH=/bin", "FOO=bar baz", "EMPTY="]'
	export RP_HOST_SECRET=leaked
	run_sh 'env'
	unset RP_HOST_SECRET
	[ "$status" -eq 0 ]
	[[ "$output" == *"FOO=bar baz"* ]]
	[[ "$output" == *"EMPTY="* ]]
	[[ "$output" == *"PATH=/bin"* ]]
	[[ "$output" != *RP_HOST_SECRET* ]]
}

@test "rlimits" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1000},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
		{"type": "RLIMIT_STACK", "soft": 4194304, "hard": 8388608}]'
	run_sh 'cat /proc/self/limits'
	[ "$status" -eq 0 ]
	echo "$output" | grep -E '^Max open files +512 +1000 +files'
	echo "$output" | grep -E '^Max core file size +0 +0 +bytes'
	echo "$output" | grep -E '^Max stack size +4194304 +8388608 +bytes'
}

@test "rlimit above the hard limit the runtime may grant fails clearly" {
	# the machine's bounding set lacks CAP_SYS_RESOURCE (machine.md)
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 4000000, "hard": 4000000}]'
	run_file rp run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *RLIMIT_NOFILE* || "$output" == *rlimit* ]]
}

@test "oomScoreAdj" {
	update_config '.process.oomScoreAdj = 500'
	run_sh 'cat /proc/self/oom_score_adj'
	[ "$status" -eq 0 ]
	[ "$output" = 500 ]
}

@test "oomScoreAdj absent: inherited unchanged" {
	update_config 'del(.process.oomScoreAdj)'
	mine=$(cat /proc/self/oom_score_adj)
	run_sh 'cat /proc/self/oom_score_adj'
	[ "$status" -eq 0 ]
	[ "$output" = "$mine" ]
}

@test "noNewPrivileges" {
	update_config '.process.noNewPrivileges = true'
	run_sh 'cat /proc/self/status'
	[ "$(status_line NoNewPrivs)" = 1 ]
}

@test "capabilities of a non-root process: all five sets" {
	# CHOWN=0 KILL=5 NET_BIND_SERVICE=10.  As uid 1000 execve grants nothing
	# from file capabilities, so the kernel's rules give exactly:
	# ambient CHOWN -> permitted = effective = CHOWN, inheritable CHOWN.
	update_config '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {
			"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"effective": ["CAP_CHOWN", "CAP_KILL"],
			"permitted": ["CAP_CHOWN", "CAP_KILL"],
			"inheritable": ["CAP_CHOWN"],
			"ambient": ["CAP_CHOWN"]}'
	run_sh 'cat /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_line CapBnd)" = 0000000000000421 ]
	[ "$(status_line CapInh)" = 0000000000000001 ]
	[ "$(status_line CapAmb)" = 0000000000000001 ]
	[ "$(status_line CapPrm)" = 0000000000000001 ]
	[ "$(status_line CapEff)" = 0000000000000001 ]
}

@test "capabilities of root: bounding set caps everything" {
	update_config '.process.capabilities = {
			"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
	run_sh 'cat /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_line CapBnd)" = 0000000000000020 ]
	[ "$(status_line CapEff)" = 0000000000000020 ]
	[ "$(status_line CapPrm)" = 0000000000000020 ]
	[ "$(status_line CapAmb)" = 0000000000000000 ]
}

@test "hostname and domainname" {
	update_config '.hostname = "box-one" | .domainname = "example.org"'
	run_sh 'hostname; cat /proc/sys/kernel/domainname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = box-one ]
	[ "${lines[1]}" = example.org ]
}

@test "personality LINUX32" {
	update_config '.linux.personality = {"domain": "LINUX32"}'
	run_sh 'uname -m'
	[ "$status" -eq 0 ]
	[ "$output" = i686 ]
}

@test "scheduler: SCHED_BATCH with nice" {
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
	# /proc/self/stat after the comm: field 19 nice = $17, field 41 policy = $39
	run_sh 'sed "s/.*) //" /proc/self/stat | cut -d" " -f17,39'
	[ "$status" -eq 0 ]
	[ "$output" = "5 3" ]
}

@test "ioPriority" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	run_sh 'ionice -p $$'
	[ "$status" -eq 0 ]
	[ "$output" = "best-effort: prio 6" ]
}

@test "execCPUAffinity final" {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "0-1", "final": "1"}'
	run_sh 'cat /proc/self/status'
	[ "$status" -eq 0 ]
	[ "$(status_line Cpus_allowed_list)" = 1 ]
}

@test "preserve-fds: the container sees fds 3..3+N-1 and no other" {
	echo first >"$BATS_TEST_TMPDIR/a"
	echo second >"$BATS_TEST_TMPDIR/b"
	update_config '.process.args = ["sh", "-c", "cat <&3; cat <&4; for n in 5 6 7 8 9; do [ -e /proc/self/fd/$n ] && echo leaked-$n; done; echo end"]'
	run bash -c 'exec 5</dev/null 6</dev/null 7</dev/null 8</dev/null 9</dev/null; exec "$0" --root "$1" run --preserve-fds 2 --bundle "$2" "$3" 3<"$4/a" 4<"$4/b" </dev/null' \
		"$RAMPART" "$ROOT" "$BUNDLE" "$ID" "$BATS_TEST_TMPDIR"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = first ]
	[ "${lines[1]}" = second ]
	[[ "$output" != *leaked* ]]
	[[ "$output" == *end* ]]
}

@test "without preserve-fds the container gets only stdio" {
	update_config '.process.args = ["sh", "-c", "for n in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$n ] && echo leaked-$n; done; echo end"]'
	run bash -c 'exec 3</dev/null 4</dev/null 9</dev/null; exec "$0" --root "$1" run --bundle "$2" "$3" </dev/null' \
		"$RAMPART" "$ROOT" "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	[[ "$output" != *leaked* ]]
	[[ "$output" == *end* ]]
}

@test "LISTEN_FDS: socket-activation fds are passed on with LISTEN_FDS/LISTEN_PID" {
	echo activated >"$BATS_TEST_TMPDIR/a"
	update_config '.process.args = ["sh", "-c", "echo fds=$LISTEN_FDS pid=$LISTEN_PID; cat <&3"]'
	run bash -c 'export LISTEN_FDS=1 LISTEN_PID=$$; exec "$0" --root "$1" run --bundle "$2" "$3" 3<"$4/a" </dev/null' \
		"$RAMPART" "$ROOT" "$BUNDLE" "$ID" "$BATS_TEST_TMPDIR"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "fds=1 pid=1" ]
	[ "${lines[1]}" = activated ]
}

@test "console-socket: the pty master arrives over the socket and is the process's tty" {
	update_config '.process.terminal = true | .process.args = ["sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo is-a-tty"]'
	sock="$BATS_TEST_TMPDIR/console.sock"
	timeout 20 /usr/bin/python3 "$TESTS_DIR/lib/recv-fd.py" "$sock" pty "$BATS_TEST_TMPDIR/tty.out" &
	py=$!
	wait_for test -e "$BATS_TEST_TMPDIR/tty.out.ready"
	create_ctr "$ID" --console-socket "$sock"
	rp start "$ID"
	wait "$py"
	cat "$BATS_TEST_TMPDIR/tty.out"
	grep -q '^/dev/pts/[0-9]' "$BATS_TEST_TMPDIR/tty.out"
	grep -q 'is-a-tty' "$BATS_TEST_TMPDIR/tty.out"
	wait_for status_is "$ID" stopped
	rp delete "$ID"
}

@test "differential: runc and rampart agree on ids, groups, capabilities and no_new_privs" {
	require_runc
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [10, 20]}
		| .process.capabilities = {
			"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"effective": ["CAP_CHOWN", "CAP_KILL"],
			"permitted": ["CAP_CHOWN", "CAP_KILL"],
			"inheritable": ["CAP_CHOWN"],
			"ambient": ["CAP_CHOWN"]}
		| .process.args = ["sh", "-c", "grep -E \"^(Uid|Gid|Groups|Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):\" /proc/self/status; umask; pwd; hostname"]'
	run_file runc_run
	[ "$status" -eq 0 ] || skip "runc cannot run this bundle here: $output"
	theirs=$output
	run_file rp run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	diff <(echo "$theirs") <(echo "$output")
}

@test "differential: runc and rampart mount the configured filesystems with the same types" {
	require_runc
	update_config '.process.args = ["sh", "-c", "awk '"'"'{ for (i = 7; $i != \"-\"; i++); print $5, $(i+1) }'"'"' /proc/self/mountinfo | grep -E \"^/(proc|dev|dev/pts|dev/shm|dev/mqueue|sys|tmp) \" | sort -u"]'
	run_file runc_run
	[ "$status" -eq 0 ] || skip "runc cannot run this bundle here: $output"
	theirs=$output
	run_file rp run --bundle "$BUNDLE" "$ID"
	[ "$status" -eq 0 ]
	diff <(echo "$theirs") <(echo "$output")
}
