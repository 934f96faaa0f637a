#!/usr/bin/env bats
# Bad input: a clear error, a non-zero exit, and nothing left behind (the
# leak check in helpers.bash verifies the last part after every test).

load helpers
load lifecycle-helpers

# create must fail; $output holds rampart's message.
create_fails() {
	run_file rp create --bundle "$BUNDLE" "$@" </dev/null
	echo "$output"
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "invalid container ids are refused before touching the filesystem" {
	long=$(printf 'x%.0s' $(seq 1025))
	for bad in '../x' 'a/b' '..' '.' '.hidden' "$long" 'sp ace' 'new
line' 'star*'; do
		run_file rp create --bundle "$BUNDLE" "$bad" </dev/null
		[ "$status" -ne 0 ]
		[[ "$output" == *"invalid container id"* ]]
		for cmd in state kill delete start; do
			run rp $cmd "$bad"
			[ "$status" -ne 0 ]
			[[ "$output" == *"invalid container id"* ]]
		done
	done
	run_file rp create --bundle "$BUNDLE" "" </dev/null
	[ "$status" -ne 0 ]
	[ ! -e "$BATS_TEST_TMPDIR/x" ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
	# 1024 characters is still a valid id
	ok=$(printf 'y%.0s' $(seq 1024))
	run rp state "$ok"
	[[ "$output" == *"does not exist"* ]]
}

@test "missing rootfs" {
	rm -rf "$BUNDLE/rootfs"
	create_fails "$ID"
	[[ "$output" == *root* ]]
}

@test "rootfs that is a file, not a directory" {
	rm -rf "$BUNDLE/rootfs"
	touch "$BUNDLE/rootfs"
	create_fails "$ID"
}

@test "missing config.json" {
	rm -f "$BUNDLE/config.json"
	create_fails "$ID"
	[[ "$output" == *config.json* ]]
}

@test "malformed config.json names the problem" {
	echo '{"ociVersion": "1.2.0", "process": ' >"$BUNDLE/config.json"
	create_fails "$ID"
	[[ "$output" == *config* ]]
}

@test "config with a wrongly typed field names the field" {
	update_config '.process.user.uid = "zero"'
	create_fails "$ID"
	[[ "$output" == *process.user.uid* ]]
}

@test "process.args empty" {
	update_config '.process.args = []'
	create_fails "$ID"
	[[ "$output" == *args* ]]
}

@test "process.args[0] without an execute bit fails at create, not at start" {
	# What podman maps to 126 ("permission denied") when create says so.
	update_config '.process.args = ["/etc/passwd"]'
	create_fails "$ID"
	[[ "$output" == *"process.args[0]: /etc/passwd: not an executable file"* ]]
	[[ "$output" == *"ermission denied"* ]]
}

@test "bundle that does not exist" {
	run_file rp create --bundle "$BATS_TEST_TMPDIR/nope" "$ID"
	[ "$status" -ne 0 ]
	[ -z "$(ls -A "$ROOT" 2>/dev/null)" ]
}

@test "console socket that does not exist" {
	update_config '.process.terminal = true'
	create_fails "$ID" --console-socket "$BATS_TEST_TMPDIR/no-such.sock"
	[[ "$output" == *console* || "$output" == *no-such.sock* ]]
}

@test "console socket path that is a regular file" {
	update_config '.process.terminal = true'
	touch "$BATS_TEST_TMPDIR/file.sock"
	create_fails "$ID" --console-socket "$BATS_TEST_TMPDIR/file.sock"
}

@test "terminal: true without --console-socket fails for create" {
	update_config '.process.terminal = true'
	create_fails "$ID"
}

@test "mount destination through a symlink cannot escape the rootfs" {
	mkdir -p "$BATS_TEST_TMPDIR/host-target"
	# absolute and relative symlinks that point outside the rootfs
	ln -s "$BATS_TEST_TMPDIR/host-target" "$BUNDLE/rootfs/abs-escape"
	ln -s ../../../../../../../../.."$BATS_TEST_TMPDIR/host-target" "$BUNDLE/rootfs/rel-escape"
	for link in abs-escape rel-escape; do
		update_config ".mounts += [{\"destination\": \"/$link/sub\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]
			| .process.args = [\"sh\", \"-c\", \"grep -q ' /$link/sub ' /proc/self/mountinfo || grep -q '/sub ' /proc/self/mountinfo\"]"
		run rp run --bundle "$BUNDLE" "$ID-$link" </dev/null
		echo "$link: $status $output"
		# whatever rampart decided (refuse, or mount inside the rootfs),
		# the host directory got nothing
		[ -z "$(ls -A "$BATS_TEST_TMPDIR/host-target")" ]
		! grep -F "$BATS_TEST_TMPDIR/host-target" /proc/self/mountinfo
		update_config 'del(.mounts[-1])'
	done
}

@test "mount destination with .. cannot escape the rootfs" {
	mkdir -p "$BATS_TEST_TMPDIR/host-dotdot"
	update_config ".mounts += [{\"destination\": \"/../../../../../../..$BATS_TEST_TMPDIR/host-dotdot/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]
		| .process.args = [\"true\"]"
	run_file rp run --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/host-dotdot")" ]
	! grep -F "$BATS_TEST_TMPDIR/host-dotdot" /proc/self/mountinfo
}

@test "relative mount destination is taken relative to / (config.md: deprecated, MAY)" {
	update_config '.mounts += [{"destination": "tmp/rel", "type": "tmpfs", "source": "tmpfs"}]'
	run_sh 'grep -c " /tmp/rel " /proc/self/mountinfo'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "a failing create leaves nothing behind (bad hook path)" {
	update_config '.hooks = {"createRuntime": [{"path": "/nonexistent/hook"}]}'
	use_sleeper
	create_fails "$ID"
	[[ "$output" == *createRuntime* ]]
}

@test "unknown command option is an error naming it" {
	run rp kill --bogus "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *--bogus* ]]
	run rp delete --bogus "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *--bogus* ]]
}

@test "--log json: the last error line carries the message callers match" {
	run "$RAMPART" --root "$ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json delete nosuch
	[ "$status" -ne 0 ]
	last=$(grep '"level":"error"' "$BATS_TEST_TMPDIR/log.json" | tail -1)
	[[ "$(echo "$last" | jq -r .msg)" == *"does not exist"* ]]
	run "$RAMPART" --root "$ROOT" --log "$BATS_TEST_TMPDIR/log.json" --log-format json kill nosuch 9
	last=$(grep '"level":"error"' "$BATS_TEST_TMPDIR/log.json" | tail -1)
	[[ "$(echo "$last" | jq -r .msg)" == *"does not exist"* ]]
}
