#!/bin/bash
# `make install` as a packager runs it, into a scratch DESTDIR: the binary
# runs, every command has its installed man page and every page is lint
# clean where it landed, the engine snippets and the seccomp profile are
# the files of the tree, bash completion is where bash-completion looks;
# then `make uninstall` takes every file away again.
# Usage: tests/install.sh BUILDDIR
set -uo pipefail
build="$(cd "${1:?usage: tests/install.sh BUILDDIR}" && pwd)"
src="$(cd "$(dirname "$0")/.." && pwd)"
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fails=0
fail() { echo "install: FAIL: $*"; fails=$((fails + 1)); }

make -s -C "$build" install DESTDIR="$dest" >/dev/null || { echo "install: make install failed"; exit 1; }

bin=$(find "$dest" -path '*/bin/rampart' -type f)
[ -n "$bin" ] && [ -x "$bin" ] || fail "no executable bin/rampart"
[ -n "$bin" ] && "$bin" --version | head -1 | grep -q '^rampart version ' || fail "the installed binary does not run"
mandir=$(dirname "$(find "$dest" -name rampart.8 -path '*/man8/*')")
[ -d "$mandir" ] || fail "no man8 directory"

# One page per command (src/ has a file per command besides main and cli).
for f in "$src"/src/*.c; do
	cmd=$(basename "$f" .c)
	case "$cmd" in main | cli) continue ;; esac
	[ -f "$mandir/rampart-$cmd.8" ] || fail "no installed man page for '$cmd'"
done
[ -f "$mandir/../man5/rampart-policy.5" ] || fail "rampart-policy.5 is not installed"
pages=$(find "$dest" -path '*/man/man[58]/rampart*' -type f | sort)
[ -n "$pages" ] || fail "no man pages installed"
# shellcheck disable=SC2086
mandoc -T lint -W warning $pages || fail "installed pages are not lint clean"

for f in podman/rampart.conf containerd/config.toml cri-o/10-rampart.conf kubernetes/runtimeclass.yaml; do
	got=$(find "$dest" -path "*/contrib/$f" -type f)
	[ -n "$got" ] && cmp -s "$got" "$src/contrib/$f" || fail "contrib/$f is not installed as it is in the tree"
done
got=$(find "$dest" -path '*/seccomp/default.json' -type f)
[ -n "$got" ] && cmp -s "$got" "$src/seccomp-profiles/default.json" || fail "the seccomp profile is not installed"
got=$(find "$dest" -path '*/bash-completion/completions/rampart' -type f)
[ -n "$got" ] && bash -n "$got" || fail "bash completion is not installed where bash-completion loads it"

n=$(find "$dest" -type f | wc -l)
make -s -C "$build" uninstall DESTDIR="$dest" >/dev/null || fail "make uninstall failed"
left=$(find "$dest" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"

if [ "$fails" -eq 0 ]; then
	echo "install: $n files installed ($(echo "$pages" | wc -l) man pages, lint clean), uninstall left none"
else
	echo "install: $fails failures"
	exit 1
fi
