# Helpers shared by the lifecycle-level suites (lifecycle, process,
# namespaces, hooks, errors, security).  Load after helpers:
#   load helpers
#   load lifecycle-helpers

# The container's own stdio goes to files: a created container keeps its
# stdout open, and bats' `run` would wait for it forever.
CTR_OUT() { echo "$BATS_TEST_TMPDIR/ctr.out"; }

# create_ctr [ID] [extra create options...]: create, failing the test with
# rampart's stderr when it does not work.
create_ctr() {
	local id="${1:-$ID}"
	shift || true
	if ! rp create --bundle "$BUNDLE" "$@" "$id" </dev/null >"$(CTR_OUT)" 2>"$BATS_TEST_TMPDIR/create.err"; then
		echo "create $id failed:" >&2
		cat "$BATS_TEST_TMPDIR/create.err" >&2
		return 1
	fi
}

# state_of ID FIELD: one field of `rampart state` (jq path without the dot).
state_of() { rp state "$1" | jq -r ".$2"; }

status_is() { [ "$(state_of "$1" status 2>/dev/null)" = "$2" ]; }

# A long-running process for tests that need a live container.
use_sleeper() { update_config '.process.args = ["sleep", "1000"]'; }

# Run the container with a shell command; output in $output, status in $status.
run_sh() {
	update_config ".process.args = [\"sh\", \"-c\", $(jq -Rn --arg s "$1" '$s')]"
	run rp run --bundle "$BUNDLE" "$ID" </dev/null
}

# The runc reference peer, on its own state root.
runc_root() { echo "$BATS_TEST_TMPDIR/runc-state"; }
runc_run() { runc --root "$(runc_root)" run --bundle "$BUNDLE" "$ID-runc" </dev/null; }
require_runc() { command -v runc >/dev/null || skip "runc (reference peer) is not installed"; }

# host inode of a namespace of pid ($1) of type ($2)
ns_inode() { stat -L -c %i "/proc/$1/ns/$2"; }

# fail with a message (bats `fail` is not always available)
die() { echo "$*" >&2; return 1; }


# Like bats' run, but with output through a file: a command that leaves a
# container behind (a create that should have failed and did not) must not
# hold bats' capture pipe and hang the suite.
run_file() {
	local f="$BATS_TEST_TMPDIR/run_file.out"
	status=0
	"$@" >"$f" 2>&1 </dev/null || status=$?
	output=$(cat "$f")
	mapfile -t lines <"$f"
}
