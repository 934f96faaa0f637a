#!/bin/bash
# busybox-rootfs.sh [CACHE_DIR]: print the path of a busybox-static rootfs,
# CACHE_DIR/busybox-rootfs, building it first if it is not there yet.
# The one recipe behind busybox_rootfs() of tests/integration/helpers.bash
# and tests/engines/helpers.bash (they share the cache, so they must agree
# on what is in it).  CACHE_DIR defaults to $RAMPART_TEST_CACHE, then
# /var/tmp/rampart-test-cache.  Needs busybox-static (/bin/busybox).
set -eu
cache="${1:-${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}}"
dir="$cache/busybox-rootfs"

if [ ! -x "$dir/bin/busybox" ]; then
	tmp="$dir.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$tmp"/{bin,dev,proc,sys,tmp,etc,root,run,var,home}
	cp /bin/busybox "$tmp/bin/busybox"
	"$tmp/bin/busybox" --list | while read -r applet; do
		[ "$applet" = busybox ] || ln -sf busybox "$tmp/bin/$applet"
	done
	ln -s bin "$tmp/sbin"
	mkdir -p "$tmp/usr"
	ln -s ../bin "$tmp/usr/bin"
	ln -s ../bin "$tmp/usr/sbin"
	cat >"$tmp/etc/passwd" <<-EOF
	root:x:0:0:root:/root:/bin/sh
	nobody:x:65534:65534:nobody:/:/bin/sh
	user:x:1000:1000:user:/home:/bin/sh
	EOF
	printf 'root:x:0:\nnobody:x:65534:\nuser:x:1000:\n' >"$tmp/etc/group"
	chmod 1777 "$tmp/tmp"
	# A half-built leftover goes; if a concurrent run finished first, its
	# rootfs stays (renaming onto a non-empty directory fails) and ours goes.
	[ -x "$dir/bin/busybox" ] || rm -rf "$dir"
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
fi
echo "$dir"
