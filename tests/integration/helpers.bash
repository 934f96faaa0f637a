# Shared helpers for rampart's integration tests (bats).
#
# Every test gets:
#   $RAMPART   the binary under test (set by tests/integration/run.sh)
#   $ROOT      a private --root for state
#   $ID        a container id unique to this test run
#   $BUNDLE    a bundle dir with a busybox-static rootfs and a config.json
#   rp ...     = $RAMPART --root $ROOT ...
#   update_config JQ_FILTER [FILE]   edit $BUNDLE/config.json with jq
# and, after every test, a leak check: no state directory, cgroup, mount or
# process of the test may survive it.  A leak fails the test that leaked.

: "${RAMPART:?RAMPART must point at the rampart binary (run through tests/integration/run.sh)}"
TESTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}"

# A busybox-static rootfs, built once per machine and copied per bundle
# (the recipe is tests/lib/busybox-rootfs.sh, shared with tests/engines).
busybox_rootfs() { bash "$TESTS_DIR/lib/busybox-rootfs.sh" "$CACHE_DIR"; }

# The base config: what a hardened deployment runs.  Root inside a user
# namespace mapped to unprivileged host ids, every namespace new, minimal
# capabilities, no_new_privs, masked and read-only kernel paths, a
# read-only rootfs.  Tests change what they test with update_config.
base_config() { cat "$TESTS_DIR/integration/base-config.json"; }

# make_bundle [DIR]: a fresh bundle (rootfs copy + base config).
make_bundle() {
	local dir="${1:-$BATS_TEST_TMPDIR/bundle}"
	mkdir -p "$dir"
	cp -a "$(busybox_rootfs)" "$dir/rootfs"
	base_config >"$dir/config.json"
	echo "$dir"
}

# update_config FILTER [FILE]: jq edit in place.
update_config() {
	local file="${2:-$BUNDLE/config.json}"
	jq "$1" "$file" >"$file.new" && mv "$file.new" "$file"
}

# The base config without a user namespace, running as root: for tests of
# what only host root can do.  The hardened policy refuses it, so it runs
# under the compat preset (RAMPART_POLICY=compat).
use_rootful_config() {
	update_config 'del(.linux.uidMappings, .linux.gidMappings)
		| .linux.namespaces |= map(select(.type != "user"))'
	export RAMPART_POLICY=compat
}

rp() { "$RAMPART" --root "$ROOT" "$@"; }

# Run a container to completion and capture output/status like bats' run.
run_container() { run rp run --bundle "$BUNDLE" "$ID" "$@"; }

# wait_for COND_CMD...: retry for up to 10 s.
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

setup() {
	require_root
	# bats makes its temp dirs 0700; a container whose root is mapped to an
	# unprivileged host uid must still be able to reach its bundle.
	local d="$BATS_TEST_TMPDIR"
	while [ "$d" != / ] && [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	ROOT="$BATS_TEST_TMPDIR/state"
	ID="rpt-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER-$$"
	BUNDLE="$(make_bundle)"
	unset RAMPART_POLICY
	if declare -F local_setup >/dev/null; then local_setup; fi
}

# --- the leak check ---

leaked_state() { [ -d "$ROOT" ] && find "$ROOT" -mindepth 1 -maxdepth 1 | head -5; }
leaked_mounts() { grep -F "$BATS_TEST_TMPDIR" /proc/self/mountinfo | head -5; }
leaked_cgroups() {
	find /sys/fs/cgroup -maxdepth 4 -type d -name "rpt-$(basename "$BATS_TEST_FILENAME" .bats)-$BATS_TEST_NUMBER-$$*" 2>/dev/null | head -5
}
# A container's processes: those whose cgroup names this test's id (after
# pivot_root, /proc/PID/root of a container process reads "/" from the
# host), and those not yet pivoted, whose root is inside this test's bundle.
# One grep and one find: a bash loop over /proc costs seconds on a busy host.
leaked_processes() {
	{
		grep -l -F -- "$ID" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3
		find /proc -mindepth 2 -maxdepth 2 -name root -lname "$BATS_TEST_TMPDIR*" 2>/dev/null | cut -d/ -f3
	} | sort -u | head -5
}

teardown() {
	if declare -F local_teardown >/dev/null; then local_teardown; fi
	local leaks="" l
	# Give a just-killed container a moment to be reaped before judging.
	for _ in $(seq 20); do
		[ -z "$(leaked_state)$(leaked_processes)" ] && break
		sleep 0.1
	done
	l=$(leaked_state); [ -n "$l" ] && leaks+="state dirs left: $l"$'\n'
	l=$(leaked_processes); [ -n "$l" ] && leaks+="processes left: $l"$'\n'
	l=$(leaked_mounts); [ -n "$l" ] && leaks+="mounts left: $l"$'\n'
	l=$(leaked_cgroups); [ -n "$l" ] && leaks+="cgroups left: $l"$'\n'
	if [ -n "$leaks" ]; then
		# Clean up so one leak does not cascade, then fail this test.
		local c
		for c in $(ls "$ROOT" 2>/dev/null); do "$RAMPART" --root "$ROOT" delete --force "$c" >/dev/null 2>&1; done
		for l in $(leaked_processes); do kill -9 "$l" 2>/dev/null; done
		grep -F "$BATS_TEST_TMPDIR" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
		for l in $(leaked_cgroups); do rmdir "$l" 2>/dev/null; done
		echo "LEAK after test: $leaks" >&3
		return 1
	fi
}
