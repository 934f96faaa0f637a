#!/bin/bash
# SELinux enforcing, for real, in a small VM: prove that rampart applies
# process.selinuxLabel and that containers with automatic labels cannot read
# each other's files.  The host has SELinux disabled, so this boots Debian's
# cloud kernel under qemu (TCG) with security=selinux, from an initramfs with
# busybox, ./rampart, a static SELinux helper, a policy built by
# build-policy.sh (refpolicy + container module), and the suite.  Same shape
# as tests/vm/run.sh: the guest prints "RPVM ok|not ok|skip NAME" lines.
#
#   RAMPART=path/to/rampart tests/vm/selinux/run.sh
#   VM_PERMISSIVE=1   stay permissive (collect every AVC at once)
#   VM_AVCDUMP=1      print the kernel's AVC lines at the end
#   VM_ONLY=a,b       run only those tests
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
vmdir="$(cd "$here/.." && pwd)"
top="$(cd "$here/../../.." && pwd)"
: "${RAMPART:=$top/rampart}"
RAMPART="$(readlink -f "$RAMPART")"
cache="${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}"
timeout_s="${VM_TIMEOUT:-280}"
t0=$(date +%s)

need() { command -v "$1" >/dev/null || { echo "check-vm-selinux: $1 missing: apt-get install $2"; exit 1; }; }
need qemu-system-x86_64 qemu-system-x86
need cpio cpio
need jq jq
need gcc gcc
[ -x /bin/busybox ] || { echo "check-vm-selinux: apt-get install busybox-static"; exit 1; }
[ -x "$RAMPART" ] || { echo "check-vm-selinux: no rampart at $RAMPART (set RAMPART=)"; exit 1; }

# --- the guest kernel (shared with tests/vm/run.sh's cache) ---
kernel_pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
[ -n "$kernel_pkg" ] || { echo "check-vm-selinux: cannot resolve linux-image-cloud-amd64 (run apt-get update)"; exit 1; }
kdir="$cache/vm/$kernel_pkg"
if [ ! -f "$kdir/vmlinuz" ]; then
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
	(cd "$kdir.tmp" && apt-get download "$kernel_pkg" >/dev/null 2>&1 && dpkg-deb -x ./*.deb x)
	cp "$kdir.tmp"/x/boot/vmlinuz-* "$kdir.tmp/vmlinuz"
	rm -rf "$kdir.tmp/x" "$kdir.tmp"/*.deb
	rm -rf "$kdir" && mv "$kdir.tmp" "$kdir"
fi

# --- the policy ---
policy="$("$here/build-policy.sh")"
t1=$(date +%s)

# --- the initramfs ---
work="$(mktemp -d /tmp/rampart-vm-selinux.XXXXXX)"
trap 'rm -rf "$work"' EXIT
img="$work/root"
mkdir -p "$img"/{bin,sbin,etc/selinux/default/policy,etc/selinux/default/contexts,proc,sys,dev,tmp,run,lib,lib64,usr/lib,bundles,tests,engine,shared}
cp /bin/busybox "$img/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$img/bin/$a"; done
# busybox picks the applet from its name: a copy named sh, labelled
# container_engine_exec_t in the guest, is the engine's shell
cp /bin/busybox "$img/engine/sh"
gcc -static -O2 -Wall -o "$img/bin/sehelper" "$here/sehelper.c"
cp "$RAMPART" "$img/bin/rampart"
ldd "$RAMPART" | grep -oE '/[^ ]+' | while read -r lib; do
	mkdir -p "$img$(dirname "$lib")"
	cp -L "$lib" "$img$lib"
done
cp "$policy/policy.33" "$img/etc/selinux/default/policy/"
cp "$policy/lxc_contexts" "$img/etc/selinux/default/contexts/"
printf 'SELINUX=enforcing\nSELINUXTYPE=default\n' >"$img/etc/selinux/config"
cp "$here/init" "$img/init"
chmod +x "$img/init"
cp "$vmdir/guest-lib.sh" "$here/suite.sh" "$img/tests/"
chmod 1777 "$img/shared"
mkdir -p "$img/rootfs"/{bin,proc,sys,dev,tmp,etc,root,shared}
cp /bin/busybox "$img/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$img/rootfs/bin/$a"; done

# --- the bundles (configs only: they share /rootfs) ---
base="$top/tests/integration/base-config.json"
mk() { # mk NAME JQ_FILTER
	mkdir -p "$img/bundles/$1"
	jq '.root.path = "/rootfs" | .root.readonly = true | del(.mounts[] | select(.destination == "/sys"))
		| .mounts += [{"destination": "/shared", "type": "bind", "source": "/shared", "options": ["rbind", "rw"]}]' "$base" \
		| jq "$2" >"$img/bundles/$1/config.json"
}
# Containers report through files in /shared: container_t may not write to
# the engine's pipes.  A writes its file into /shared and sleeps; B reports
# its label and whether it could read A's file.
writer='.process.args = ["sh", "-c", "echo secret >/shared/a-file; exec sleep 600"]'
reader='.process.args = ["sh", "-c", "exec >/shared/b.out 2>&1; echo label=$(tr -d \"\\\\000\" </proc/self/attr/current); if cat /shared/a-file; then echo read=ok; else echo read=denied; fi"]'
mk label '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"
	| .process.args = ["sh", "-c", "tr -d \"\\\\000\" </proc/self/attr/current >/shared/label.out"]'
mk mountlabel '.process.selinuxLabel = "system_u:system_r:container_t:s0:c5,c6"
	| .linux.mountLabel = "system_u:object_r:container_file_t:s0:c5,c6"
	| .process.args = ["sh", "-c", "touch /tmp/x; exec sleep 600"]'
# the same without the mqueue mount: isolates the tmpfs/devpts labelling
mk mountlabel-nomq '.process.selinuxLabel = "system_u:system_r:container_t:s0:c5,c6"
	| .linux.mountLabel = "system_u:object_r:container_file_t:s0:c5,c6"
	| del(.mounts[] | select(.type == "mqueue"))
	| .process.args = ["sh", "-c", "touch /tmp/x; exec sleep 600"]'
mk auto-a "$writer"
mk sleeper '.process.args = ["sleep", "600"]'
mk auto-b "$reader"
mk explicit-a '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2" | '"$writer"
mk explicit-b '.process.selinuxLabel = "system_u:system_r:container_t:s0:c3,c4" | '"$reader"
(cd "$img" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"
t2=$(date +%s)

append="console=ttyS0 panic=-1 cgroup_no_v1=all rdinit=/init quiet security=selinux selinux=1"
append+="${VM_ONLY:+ rpvm_only=$VM_ONLY}"
[ -n "${VM_PERMISSIVE:-}" ] && append+=" rpvm_permissive"
[ -n "${VM_AVCDUMP:-}" ] && append+=" rpvm_avcdump"
append+=" ${VM_APPEND:-}"
echo "check-vm-selinux: booting $kernel_pkg ($(du -h "$work/initrd.gz" | cut -f1) initramfs)"
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -smp 2 -m 2048 -nographic -no-reboot -nic none \
	-kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" -append "$append" \
	</dev/null >"$work/console.log" 2>&1
qrc=$?
set -e
t3=$(date +%s)
log() { tr -d '\r' <"$work/console.log"; }
log | grep '^RPVM' | sed 's/^RPVM //'
[ -n "${VM_CONSOLE:-}" ] && cp "$work/console.log" "$VM_CONSOLE"
echo "check-vm-selinux: policy $((t1 - t0)) s, initramfs $((t2 - t1)) s, guest $((t3 - t2)) s (qemu exit $qrc)"
passed=$(log | grep -c '^RPVM ok ' || true)
failed=$(log | grep -c '^RPVM not ok ' || true)
if ! log | grep -q '^RPVM done'; then
	echo "check-vm-selinux: the guest did not finish; last console lines:"
	log | tail -30
	failed=$((failed + 1))
fi
echo "check-vm-selinux: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
