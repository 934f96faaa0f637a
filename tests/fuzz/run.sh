#!/bin/bash
# rampart: build (if needed) and run the config fuzzer for N seconds.
#
#   tests/fuzz/run.sh [SECONDS]      (default 60)
#
# Run it from a configured build directory (it calls `make fuzz` there), or
# set FUZZ_BIN to an already built tests/fuzz/fuzz-config.  The seed corpus is
# copied, so runs never grow the checked-in one.  Exits non-zero when the
# fuzzer finds a crash; the reproducer is left in $FUZZ_ARTIFACTS.
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build_dir=${BUILD_DIR:-$PWD}
bin=${FUZZ_BIN:-$build_dir/tests/fuzz/fuzz-config}

if [[ -z ${FUZZ_BIN:-} ]]; then
	if [[ ! -f $build_dir/Makefile ]]; then
		echo "run.sh: $build_dir is not a configured build directory (set BUILD_DIR or FUZZ_BIN)" >&2
		exit 2
	fi
	make -s -C "$build_dir" fuzz
fi
[[ -x $bin ]] || { echo "run.sh: no fuzzer binary at $bin" >&2; exit 2; }

work=$(mktemp -d /tmp/rampart-fuzz.XXXXXX)
artifacts=${FUZZ_ARTIFACTS:-$work/artifacts}
mkdir -p "$work/corpus" "$artifacts"
cp "$here"/corpus/* "$work/corpus/"
trap 'rm -rf "$work/corpus"' EXIT

# ASan's malloc scribbling and deep allocation stacks cost more than half
# the throughput here, and buy nothing for a parser.
export ASAN_OPTIONS=${ASAN_OPTIONS:-max_malloc_fill_size=0:quarantine_size_mb=32:malloc_context_size=8}

set +e
"$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -dict="$here/config.dict" -artifact_prefix="$artifacts/" \
	"$work/corpus" 2>"$work/log"
rc=$?
set -e

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
grep -E "^#[0-9]+[[:space:]]+DONE" "$work/log" | tail -1 || true
echo "fuzz-config: ${execs:-?} executions in ${seconds}s, exit status $rc"
if [[ $rc -ne 0 ]]; then
	tail -40 "$work/log" >&2
	echo "fuzz-config: crash reproducer(s) in $artifacts:" >&2
	ls -1 "$artifacts" >&2
	exit 1
fi
rm -rf "$work"
