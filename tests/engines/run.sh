#!/bin/bash
# Run the engine suite: real container engines (podman/conmon, containerd)
# from Debian packages driving $RAMPART, every tests/engines/*.bats (or the
# files given), printing each result with its time and a closing
# "N passed, N failed, N skipped".
# Needs: apt-get install podman conmon uidmap containerd umoci bats jq
# (contrib/install-deps.sh installs them)
set -u
here="$(cd "$(dirname "$0")" && pwd)"
: "${RAMPART:?set RAMPART to the rampart binary}"
export RAMPART="$(readlink -f "$RAMPART")"

if [ "$(id -u)" != 0 ]; then
	echo "engines: skipped: real engines run real containers and need root"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
command -v bats >/dev/null || { echo "engines: bats is not installed (apt-get install bats)"; exit 1; }

if [ $# -gt 0 ]; then files=("$@"); else files=("$here"/*.bats); fi

out=$(mktemp); trap 'rm -f "$out"' EXIT
bats --tap --timing "${files[@]}" 2>&1 | tee "$out"
passed=$(grep -cE '^ok [0-9]+' "$out")
skipped=$(grep -cE '^ok [0-9]+ .*# skip' "$out")
failed=$(grep -cE '^not ok [0-9]+' "$out")
passed=$((passed - skipped))
echo "engines: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ $((passed + skipped)) -gt 0 ]
