#!/bin/bash
# Every test rampart has, from a fresh Debian 12 machine, as root:
# dependencies, a -Werror build with gcc and with clang, the unit tests, the
# integration suite (real containers), the cgroup v2 suite in a qemu guest,
# and a short fuzzing run.
set -uo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
fail=0
step() { echo; echo "=== $*"; }

step "dependencies"
./contrib/install-deps.sh || exit 1

step "build (gcc, -Werror)"
./autogen.sh >/dev/null 2>&1 || { echo "autogen failed"; exit 1; }
./configure -q --enable-werror CC=gcc || exit 1
make -s -j"$(nproc)" >/dev/null || exit 1   # warnings and errors still reach stderr

# Other builds work on a copy of the tree: autotools refuses a second,
# out-of-tree build of a source directory that is configured in place.
copy_tree() {
	rm -rf "$1" && mkdir -p "$1"
	git ls-files -co --exclude-standard | grep -v '^_build/' | tar -cf - -T - | tar -xf - -C "$1"
	(cd "$1" && ./autogen.sh >/dev/null 2>&1)
}

step "build (clang, -Werror) in _build/clang"
copy_tree _build/clang
(cd _build/clang && ./configure -q --enable-werror CC=clang && make -s -j"$(nproc)" >/dev/null) || fail=1

step "unit tests under AddressSanitizer and UBSan in _build/asan"
# The parser's malformed-config tests above all: none may crash or leak.
copy_tree _build/asan
(cd _build/asan && ./configure -q CC=gcc CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -g -O1" \
	&& make -s -j"$(nproc)" tests/unit/test-config tests/unit/test-seccomp tests/unit/test-state tests/unit/test-policy >/dev/null \
	&& for t in config seccomp state policy; do CK_FORK=no ./tests/unit/test-$t || exit 1; done) || fail=1

step "unit and integration tests (make check)"
make -s check || fail=1
for log in tests/unit/*.log; do [ -f "$log" ] && grep -E '^[0-9]+%: Checks' "$log"; done

step "real engines: podman, containerd, the CRI plugin (make check-engines)"
make -s check-engines || fail=1

step "cgroup v2 limits in a VM (make check-vm)"
make -s check-vm || fail=1

step "SELinux enforcing in a VM (make check-vm-selinux)"
make -s check-vm-selinux || fail=1

step "man pages lint clean (mandoc -T lint), make install and uninstall"
mandoc -T lint -W warning man/* && echo "man: every page lint clean" || fail=1
make -s check-install || fail=1

step "fuzzing (short run; make fuzz for longer)"
if [ -x tests/fuzz/run.sh ]; then bash tests/fuzz/run.sh 30 || fail=1; fi

echo
if [ "$fail" -eq 0 ]; then echo "run-all: every step passed"; else echo "run-all: FAILED (see above)"; fi
exit "$fail"
