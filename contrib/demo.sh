#!/bin/bash
# The demo: build rampart, make a busybox bundle with `rampart spec`, and run
# a hardened container that shows what it is allowed to be: its uid, its
# capabilities, its namespaces and its seccomp mode.  Run as root on Debian 12.
set -euo pipefail
top="$(cd "$(dirname "$0")/.." && pwd)"
cd "$top"
./contrib/install-deps.sh
[ -x ./configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure -q
echo "== building rampart"
make -s -j"$(nproc)" >/dev/null

demo="$(mktemp -d /tmp/rampart-demo.XXXXXX)"
chmod 755 "$demo"   # the container's root is mapped to an unprivileged host uid: it must reach the rootfs
trap 'umount -R "$demo" 2>/dev/null || true; rm -rf "$demo"' EXIT
mkdir -p "$demo/bundle/rootfs/bin" "$demo/bundle/rootfs"/{proc,sys,dev,tmp,etc}
cp /bin/busybox "$demo/bundle/rootfs/bin/"
for a in sh cat id grep ls readlink echo tr; do ln -s busybox "$demo/bundle/rootfs/bin/$a"; done
./rampart spec --bundle "$demo/bundle"
jq '.process.terminal = false | .process.args = ["sh", "-c",
  "echo \"uid/gid:      $(id)\"; echo \"uid_map:      $(cat /proc/self/uid_map | tr -s \" \")  (container root is host uid 100000)\"; grep -E \"^(Cap(Eff|Bnd)|NoNewPrivs|Seccomp):\" /proc/self/status;
   echo namespaces:; for n in pid net mnt ipc uts user cgroup; do echo \"  $n -> $(readlink /proc/self/ns/$n)\"; done"]' \
  "$demo/bundle/config.json" >"$demo/config.json" && mv "$demo/config.json" "$demo/bundle/config.json"

echo "== rampart audit (what the policy says about this bundle)"
./rampart audit --bundle "$demo/bundle" || true
echo "== rampart run"
./rampart --root "$demo/state" run --bundle "$demo/bundle" "demo-$$"
echo "== the host, for comparison: its pid namespace is $(readlink /proc/self/ns/pid)"
