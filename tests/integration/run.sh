#!/bin/bash
# Run the integration suite: every tests/integration/*.bats (or the files
# given), printing each result and a closing "N passed, N failed, N skipped".
set -u
here="$(cd "$(dirname "$0")" && pwd)"
: "${RAMPART:?set RAMPART to the rampart binary}"
export RAMPART="$(readlink -f "$RAMPART")"

if [ "$(id -u)" != 0 ]; then
	echo "integration: skipped: the suite runs real containers and needs root"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
command -v bats >/dev/null || { echo "integration: bats is not installed (apt-get install bats)"; exit 1; }
command -v jq >/dev/null || { echo "integration: jq is not installed (apt-get install jq)"; exit 1; }

if [ $# -gt 0 ]; then files=("$@"); else files=("$here"/*.bats); fi

out=$(mktemp); trap 'rm -f "$out"' EXIT
bats --tap "${files[@]}" 2>&1 | tee "$out"
passed=$(grep -cE '^ok [0-9]+' "$out" | head -1)
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$out")
failed=$(grep -cE '^not ok [0-9]+' "$out")
passed=$((passed - skipped))
echo "integration: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
