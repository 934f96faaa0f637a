#!/bin/bash
# make check-vm: prove rampart's cgroup v2 limits for real, in a small VM.
#
# The development machines have hybrid cgroups, so the pure-v2 paths with
# every controller can only be exercised in a guest kernel of our own:
# Debian's cloud kernel under qemu (software emulation: there is no KVM),
# booted with cgroup_no_v1=all from an initramfs that holds busybox,
# ./rampart with its shared libraries, the test bundles and the guest test
# scripts.  The guest prints "RPVM ok|not ok|skip NAME" lines on the serial
# console; this script relays them and closes with "N passed, N failed".
#
# Guest suites are tests/vm/guest-*.sh; each is sourced by the guest's init
# (tests/vm/init) with the helpers of tests/vm/guest-lib.sh.  A new suite (for
# example SELinux enforcing) adds a file and, if it needs them, kernel
# arguments in VM_APPEND.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
: "${RAMPART:=$top/rampart}"
RAMPART="$(readlink -f "$RAMPART")"
cache="${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}/vm"
timeout_s="${VM_TIMEOUT:-280}"

need() { command -v "$1" >/dev/null || { echo "check-vm: $1 missing: apt-get install $2"; exit 1; }; }
need qemu-system-x86_64 qemu-system-x86
need cpio cpio
need jq jq
[ -x /bin/busybox ] || { echo "check-vm: apt-get install busybox-static"; exit 1; }

# --- the guest kernel: Debian's cloud flavour, unpacked, never installed ---
kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$kernel_pkg" ] || { echo "check-vm: cannot resolve linux-image-cloud-amd64 (run apt-get update)"; exit 1; }
kdir="$cache/$kernel_pkg"
if [ ! -f "$kdir/vmlinuz" ]; then
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
	(cd "$kdir.tmp" && apt-get download "$kernel_pkg" >/dev/null 2>&1 && dpkg-deb -x ./*.deb x)
	cp "$kdir.tmp"/x/boot/vmlinuz-* "$kdir.tmp/vmlinuz"
	rm -rf "$kdir.tmp/x" "$kdir.tmp"/*.deb
	rm -rf "$kdir" && mv "$kdir.tmp" "$kdir"
fi

# --- the initramfs ---
work="$(mktemp -d /tmp/rampart-vm.XXXXXX)"
trap 'rm -rf "$work"' EXIT
img="$work/root"
mkdir -p "$img"/{bin,sbin,etc,proc,sys,dev,tmp,run,lib,lib64,usr/lib,bundles,tests}
cp /bin/busybox "$img/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$img/bin/$a"; done
cp "$RAMPART" "$img/bin/rampart"
# the runtime's shared libraries, at the paths the dynamic loader expects
ldd "$RAMPART" | grep -oE '/[^ ]+' | while read -r lib; do
	mkdir -p "$img$(dirname "$lib")"
	cp -L "$lib" "$img$lib"
done
cp "$here/init" "$img/init"
cp "$here"/guest-*.sh "$img/tests/"
chmod +x "$img/init"
# one busybox rootfs shared read-only by every test bundle
mkdir -p "$img/rootfs"/{bin,proc,sys,dev,tmp,etc,root}
cp /bin/busybox "$img/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$img/rootfs/bin/$a"; done
RAMPART_BASE_CONFIG="$top/tests/integration/base-config.json" bash "$here/bundles.sh" "$img/bundles"
(cd "$img" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

# a scratch disk for the io.max test (NVMe is built into the cloud kernel)
truncate -s 64M "$work/disk.img"

echo "check-vm: booting $kernel_pkg ($(du -h "$work/initrd.gz" | cut -f1) initramfs)"
start=$(date +%s)
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -smp 2 -m 2048 -nographic -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
	-drive file="$work/disk.img",if=none,id=d0,format=raw -device nvme,drive=d0,serial=rampart \
	-append "console=ttyS0 panic=-1 cgroup_no_v1=all rdinit=/init quiet ${VM_ONLY:+rpvm_only=$VM_ONLY} ${VM_APPEND:-}" \
	</dev/null >"$work/console.log" 2>&1
qrc=$?
set -e
tr -d '\r' <"$work/console.log" | grep '^RPVM' | sed 's/^RPVM //'
echo "check-vm: guest ran $(( $(date +%s) - start )) s (qemu exit $qrc)"
passed=$(tr -d '\r' <"$work/console.log" | grep -c '^RPVM ok ' || true)
failed=$(tr -d '\r' <"$work/console.log" | grep -c '^RPVM not ok ' || true)
skipped=$(tr -d '\r' <"$work/console.log" | grep -c '^RPVM skip ' || true)
if ! tr -d '\r' <"$work/console.log" | grep -q '^RPVM done'; then
	echo "check-vm: the guest did not finish; last console lines:"
	tr -d '\r' <"$work/console.log" | tail -30
	failed=$((failed + 1))
fi
echo "check-vm: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
