#!/usr/bin/env bats
# The container's filesystem view (libcontainer/rootfs.c): mounts and their
# options, symlinks in the rootfs that try to leave it, default and
# configured devices, masked and read-only paths, root.readonly,
# rootfsPropagation and linux.sysctl.  Every check looks at what the kernel
# shows inside the container (/proc/self/mountinfo, failing writes) or on
# the host (nothing created outside the rootfs).

load helpers

local_teardown() {
	"$RAMPART" --root "$ROOT" delete --force "$ID" >/dev/null 2>&1 || true
	if [ -n "${SUBMOUNT:-}" ]; then umount "$SUBMOUNT" 2>/dev/null || true; fi
}

# in_container SCRIPT: run `sh -c SCRIPT` as the container's process.
in_container() {
	update_config "$(printf '.process.args = ["sh", "-c", %s]' "$(jq -Rn --arg s "$1" '$s')")"
	run_container
}

add_mount() { # JSON
	update_config ".mounts += [$1]"
}

@test "rootfs: default mounts, read-only root, devpts and shm as configured" {
	in_container 'cat /proc/self/mountinfo; touch /x && echo ROOT-WRITABLE; echo ok > /tmp/t && cat /tmp/t'
	[ "$status" -eq 0 ]
	echo "$output" | grep -E '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ro[, ]'
	echo "$output" | grep -E ' /proc rw,.* - proc '
	echo "$output" | grep -E ' /dev/pts rw,nosuid,noexec.* - devpts .*ptmxmode=666'
	echo "$output" | grep -E ' /dev/shm rw,nosuid,nodev,noexec.* - tmpfs shm .*size=65536k'
	echo "$output" | grep -E ' /sys ro,nosuid,nodev,noexec.* - sysfs '
	! echo "$output" | grep -q ROOT-WRITABLE
	[ "${lines[-1]}" = ok ]
}

@test "rootfs: root.readonly false leaves / writable" {
	update_config '.root.readonly = false'
	# Container root is host uid 100000: give it the rootfs so it may write.
	chown 100000:100000 "$BUNDLE/rootfs"
	in_container 'touch /x && echo WROTE'
	[ "$status" -eq 0 ]
	[ "$output" = WROTE ]
	[ -f "$BUNDLE/rootfs/x" ]
}

@test "rootfs: default devices exist and work, ptmx and fd links" {
	in_container 'echo x >/dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 8 /dev/urandom | wc -c &&
		! echo x 2>/dev/null >/dev/full && readlink /dev/ptmx && readlink /dev/fd && readlink /dev/stdin && test -c /dev/tty && test -c /dev/random && test -d /dev/shm'
	[ "$status" -eq 0 ]
	[ "$(echo "${lines[0]}" | tr -d ' ')" = 00000000 ]
	[ "${lines[1]}" = 8 ]
	[ "${lines[2]}" = pts/ptmx ]
	[ "${lines[3]}" = /proc/self/fd ]
	[ "${lines[4]}" = /proc/self/fd/0 ]
}

@test "rootfs: default devices without a user namespace are container-owned nodes" {
	use_rootful_config
	in_container 'stat -c "%t:%T %a" /dev/null; chmod 600 /dev/null; grep -c " /dev/null " /proc/self/mountinfo || true'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1:3 666" ]
	[ "${lines[1]}" = 0 ]
	# chmod inside changed the container's node, not the host's.
	[ "$(stat -c %a /dev/null)" = 666 ]
}

@test "rootfs: masked paths read empty, missing ones are skipped" {
	[ -e /proc/keys ] || skip "/proc/keys does not exist on this kernel"
	update_config '.linux.maskedPaths += ["/proc/does-not-exist", "/etc/passwd"]'
	in_container 'wc -c </proc/keys; wc -c </etc/passwd; ls -A /sys/firmware | wc -l; echo x >/sys/firmware/y || echo RO'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
	echo "$output" | grep -q RO
}

@test "rootfs: readonly paths are read-only, also in /proc/sys" {
	in_container 'echo 1 >/proc/sys/kernel/domainname && echo WROTE; echo t >/proc/sysrq-trigger && echo WROTE2; grep " /proc/sys " /proc/self/mountinfo'
	! echo "$output" | grep -q WROTE
	echo "$output" | grep -E ' /proc/sys ro[, ]'
}

@test "rootfs: a symlink in the rootfs cannot send a mount destination to the host" {
	mkdir -p "$BATS_TEST_TMPDIR/src" && echo inside >"$BATS_TEST_TMPDIR/src/marker"
	name="rp-escape-$$"
	ln -s /etc "$BUNDLE/rootfs/etclink"
	ln -s ../../../../../../../../tmp "$BUNDLE/rootfs/uplink"
	mkdir -p "$BUNDLE/rootfs/etc/$name" "$BUNDLE/rootfs/tmp/$name"  # user ns root cannot mkdir in the rootfs
	add_mount "{\"destination\": \"/etclink/$name\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"ro\"]}"
	add_mount "{\"destination\": \"/uplink/../../$name\", \"type\": \"none\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	# /tmp in the base config is a tmpfs; the second bind lands in /<name> at the root.
	mkdir -p "$BUNDLE/rootfs/$name"
	in_container "cat /etc/$name/marker /$name/marker"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = inside ]
	[ "${lines[1]}" = inside ]
	[ ! -e "/etc/$name" ]
	! grep -q " /etc/$name " /proc/self/mountinfo
}

@test "rootfs: missing destinations are created inside the rootfs, never on the host" {
	use_rootful_config
	update_config '.root.readonly = false'
	name="rp-created-$$"
	ln -s /etc "$BUNDLE/rootfs/etclink"
	add_mount "{\"destination\": \"/etclink/$name/deep\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=1m\", \"mode=700\"]}"
	add_mount "{\"destination\": \"/etclink/$name/file\", \"type\": \"bind\", \"source\": \"/etc/hostname\", \"options\": [\"bind\", \"ro\"]}"
	in_container "grep ' /etc/$name/deep ' /proc/self/mountinfo; stat -c %a /etc/$name/deep; cat /etc/$name/file"
	[ "$status" -eq 0 ]
	echo "${lines[0]}" | grep -E ' - tmpfs tmpfs .*size=1024k,mode=700'
	[ "${lines[1]}" = 700 ]
	[ "${lines[2]}" = "$(cat /etc/hostname)" ]
	[ -d "$BUNDLE/rootfs/etc/$name/deep" ]
	[ -f "$BUNDLE/rootfs/etc/$name/file" ]
	[ ! -e "/etc/$name" ]
}

@test "rootfs: /proc that is a symlink in the rootfs is refused" {
	rmdir "$BUNDLE/rootfs/proc"
	ln -s /tmp "$BUNDLE/rootfs/proc"
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'mounts[0] (/proc, proc)'
	echo "$output" | grep -q symlink
}

@test "rootfs: read-only bind and rbind: ro holds on the mount and its submounts" {
	src="$BATS_TEST_TMPDIR/src"
	mkdir -p "$src/sub" "$BATS_TEST_TMPDIR/plain" "$BUNDLE/rootfs/data" "$BUNDLE/rootfs/rdata"
	SUBMOUNT="$src/sub"
	mount -t tmpfs rp-sub "$SUBMOUNT"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/plain\", \"options\": [\"bind\", \"ro\"]}"
	add_mount "{\"destination\": \"/rdata\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"ro\", \"nosuid\"]}"
	in_container 'touch /data/x || echo RO1; touch /rdata/x || echo RO2; touch /rdata/sub/x || echo RO3; grep -E " /(r?data)(/sub)? " /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx RO1
	echo "$output" | grep -qx RO2
	echo "$output" | grep -qx RO3
	echo "$output" | grep -E ' /rdata/sub ro,nosuid'
	[ ! -e "$src/x" ]
}

@test "rootfs: in a user namespace, a plain bind of a tree with submounts is refused clearly" {
	src="$BATS_TEST_TMPDIR/src"
	mkdir -p "$src/sub" "$BUNDLE/rootfs/data"
	SUBMOUNT="$src/sub"
	mount -t tmpfs rp-sub "$SUBMOUNT"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"bind\"]}"
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'mounts[7] (/data, bind)'
	echo "$output" | grep -F 'rbind'
}

@test "rootfs: recursive options rro/rnoexec via mount_setattr" {
	src="$BATS_TEST_TMPDIR/src"
	mkdir -p "$src/sub" "$BUNDLE/rootfs/data"
	SUBMOUNT="$src/sub"
	mount -t tmpfs rp-sub "$SUBMOUNT"
	add_mount "{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"rro\", \"rnoexec\"]}"
	in_container 'grep -E " /data(/sub)? " /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | grep -cE ' ro,.*noexec')" -eq 2 ]
}

@test "rootfs: errors name the mount and the reason" {
	update_config '.mounts[2].options += ["mode=bogus"]'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'mounts[2] (/dev/pts, devpts)'
	echo "$output" | grep -F 'Invalid argument'
}

# A host directory for idmapped mounts: owned by host root, holding a file
# of host root and one of host uid 1000.
idmap_source() {
	IDSRC="$BATS_TEST_TMPDIR/idsrc"
	mkdir -p "$IDSRC" "$BUNDLE/rootfs/data"
	chmod 755 "$BATS_TEST_TMPDIR" "$IDSRC"
	echo root >"$IDSRC/of-root"
	echo user >"$IDSRC/of-1000"
	chown 1000:1000 "$IDSRC/of-1000"
}

@test "rootfs: idmap with the container's mapping: host root's files are the container root's" {
	idmap_source
	# The control: without idmap, host root's files are nobody's in the
	# container's user namespace (0 -> 100000).
	add_mount '{"destination": "/data", "type": "bind", "source": "'"$IDSRC"'", "options": ["bind"]}'
	in_container 'stat -c "%u %n" /data/of-root; touch /data/new 2>&1 || echo denied'
	[ "$status" -eq 0 ]
	[[ "$output" == *"65534 /data/of-root"* ]]
	[[ "$output" == *denied* ]]
	update_config '.mounts[-1].options = ["bind", "idmap"]'
	in_container 'stat -c "%u %n" /data/of-root /data/of-1000; grep " /data " /proc/self/mountinfo; echo x >/data/new'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 /data/of-root"* ]]
	[[ "$output" == *"1000 /data/of-1000"* ]]
	[[ "$output" == *idmapped* ]]
	# What the container's root wrote is host root's on disk.
	[ "$(stat -c %u:%g "$IDSRC/new")" = 0:0 ]
}

@test "rootfs: idmap with the mount's own uidMappings/gidMappings" {
	idmap_source
	# Host uid 1000 becomes the container's root (host 100000); host root,
	# outside the mapping, is nobody.
	add_mount '{"destination": "/data", "type": "bind", "source": "'"$IDSRC"'", "options": ["rbind", "ridmap"],
		"uidMappings": [{"containerID": 1000, "hostID": 100000, "size": 1}],
		"gidMappings": [{"containerID": 1000, "hostID": 100000, "size": 1}]}'
	in_container 'stat -c "%u:%g %n" /data/of-root /data/of-1000'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"65534:65534 /data/of-root"* ]]
	[[ "$output" == *"0:0 /data/of-1000"* ]]
}

@test "rootfs: idmap that cannot be honoured is an error naming the mount, nothing left" {
	idmap_source
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["idmap"]}'
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"idmap applies to bind mounts only"* ]]
	update_config '.mounts[-1] = {"destination": "/data", "type": "bind", "source": "'"$IDSRC"'",
		"options": ["bind"], "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 1}]}'
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"uidMappings: must be given with gidMappings"* ]]
	# No mapping of its own and no user namespace to borrow one from.
	use_rootful_config
	update_config '.mounts[-1] = {"destination": "/data", "type": "bind", "source": "'"$IDSRC"'", "options": ["bind", "idmap"]}'
	run_container
	[ "$status" -ne 0 ]
	[[ "$output" == *"(/data, idmapped): no uidMappings/gidMappings, and the container has no user namespace"* ]]
}

@test "rootfs: tmpcopyup fills a writable tmpfs with what it covers; links stay links" {
	mkdir -p "$BUNDLE/rootfs/data/sub"
	echo hello >"$BUNDLE/rootfs/data/sub/greeting"
	chmod 640 "$BUNDLE/rootfs/data/sub/greeting"
	ln -s /etc/passwd "$BUNDLE/rootfs/data/link"
	# owned by the container's root (host uid 100000), as an engine's
	# --userns=auto rootfs is: the copy runs with the container's rights
	chown -hR 100000:100000 "$BUNDLE/rootfs/data"
	add_mount '{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "mode=755"]}'
	update_config '.process.args = ["sh", "-c", "cat /data/sub/greeting; stat -c %a /data/sub/greeting; readlink /data/link; touch /data/new && echo writable; grep -c \" /data tmpfs\" /proc/self/mounts"]'
	run_container
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = 640 ]
	[ "${lines[2]}" = /etc/passwd ]
	[ "${lines[3]}" = writable ]
	[ "${lines[4]}" = 1 ]
	# the container wrote into the tmpfs, not into the rootfs
	[ ! -e "$BUNDLE/rootfs/data/new" ]
	# tmpcopyup on anything but tmpfs is an error
	update_config '.mounts[-1].type = "proc" | .mounts[-1].source = "proc"'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'tmpcopyup is only for tmpfs'
}

@test "rootfs: an unknown filesystem type is an error" {
	mkdir -p "$BUNDLE/rootfs/data"
	add_mount '{"destination": "/data", "type": "no-such-fs", "source": "x"}'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F "unknown filesystem type 'no-such-fs'"
}

@test "rootfs: sysfs without its own network namespace is the host's, read-only" {
	export RAMPART_POLICY=compat  # the hardened policy refuses the host's netns
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	in_container 'grep " /sys " /proc/self/mountinfo; touch /sys/x || echo RO'
	[ "$status" -eq 0 ]
	echo "${lines[0]}" | grep -E ' /sys ro,'
	echo "$output" | grep -qx RO
}

@test "rootfs: cgroup mount gives the cgroup2 view read-only" {
	add_mount '{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}'
	in_container 'grep " /sys/fs/cgroup " /proc/self/mountinfo; test -f /sys/fs/cgroup/cgroup.controllers && echo V2'
	[ "$status" -eq 0 ]
	echo "${lines[0]}" | grep -E ' ro,nosuid,nodev,noexec'
	echo "$output" | grep -qx V2
}

@test "rootfs: linux.devices: char device with mode, fifo" {
	use_rootful_config
	update_config '.linux.devices = [
		{"type": "c", "path": "/dev/mynull", "major": 1, "minor": 3, "fileMode": 384, "uid": 0, "gid": 0},
		{"type": "p", "path": "/dev/myfifo"}]
		| .linux.resources.devices = [{"allow": true, "access": "rwm"}]'
	in_container 'stat -c "%F %t:%T %a" /dev/mynull; stat -c %F /dev/myfifo; echo x >/dev/mynull && echo OK'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "character special file 1:3 600" ]
	[ "${lines[1]}" = "fifo" ]
	[ "${lines[2]}" = OK ]
}

@test "rootfs: linux.devices in a user namespace are bound from the host" {
	update_config '.linux.devices = [{"type": "c", "path": "/dev/kmsg", "major": 1, "minor": 11, "fileMode": 420}]'
	in_container 'stat -c "%t:%T" /dev/kmsg; grep -c " /dev/kmsg " /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "1:b" ]
	[ "${lines[1]}" = 1 ]
}

@test "rootfs: a device path holding a different file is an error" {
	use_rootful_config
	update_config '.root.readonly = false | .linux.devices = [{"type": "c", "path": "/etc/passwd", "major": 1, "minor": 3}]'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'linux.devices[0] (/etc/passwd)'
	echo "$output" | grep -F 'not the requested device'
}

@test "rootfs: rootfsPropagation shared and unbindable show in mountinfo" {
	update_config '.linux.rootfsPropagation = "shared"'
	in_container 'head -1 /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	echo "$output" | grep -E ' / ro,[^ ]* shared:[0-9]+ '
	update_config '.linux.rootfsPropagation = "unbindable"'
	in_container 'head -1 /proc/self/mountinfo'
	[ "$status" -eq 0 ]
	echo "$output" | grep -E ' / ro,[^ ]* unbindable '
}

@test "rootfs: nothing the container mounts propagates to the host" {
	update_config '.linux.rootfsPropagation = "shared"'
	in_container 'true'
	[ "$status" -eq 0 ]
	! grep -F "$BUNDLE/rootfs" /proc/self/mountinfo
}

@test "sysctl: namespaced sysctls are written in the container" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "123456", "kernel.domainname": "rp.test"}'
	in_container 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/kernel/domainname'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" = 123456 ]
	[ "${lines[2]}" = rp.test ]
	[ "$(cat /proc/sys/kernel/shmmax)" != 123456 ]
}

@test "sysctl: a host-wide sysctl is refused" {
	update_config '.linux.sysctl = {"kernel.panic": "1"}'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'linux.sysctl["kernel.panic"]'
}

@test "sysctl: net.* without a network namespace is refused" {
	export RAMPART_POLICY=compat  # the hardened policy refuses the host's netns first
	update_config '.linux.namespaces |= map(select(.type != "network")) | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'linux.sysctl["net.ipv4.ip_forward"]'
	echo "$output" | grep -F 'network namespace'
}

@test "sysctl: keys with path tricks are refused" {
	update_config '.linux.sysctl = {"net/../../kernel/panic": "1"}'
	run_container
	[ "$status" -ne 0 ]
	echo "$output" | grep -F 'not a valid sysctl name'
}

@test "rootfs: a relative bind source is relative to the bundle" {
	echo from-bundle >"$BUNDLE/relfile"
	chmod 644 "$BUNDLE/relfile"
	touch "$BUNDLE/rootfs/etc/rel"
	add_mount '{"destination": "/etc/rel", "type": "bind", "source": "relfile", "options": ["bind", "ro"]}'
	cd /
	in_container 'cat /etc/rel'
	[ "$status" -eq 0 ]
	[ "$output" = from-bundle ]
}
