#!/usr/bin/env bats
# Filesystem and kernel-interface confinement seen from inside: readonly
# rootfs, masked and readonly paths, devices, sysctls, and the runtime
# binary out of the container's reach (CVE-2019-5736).

load helpers
load lifecycle-helpers

@test "root.readonly: the rootfs is read-only, tmpfs mounts are not" {
	update_config '.root.readonly = true'
	run_sh 'touch /x 2>&1; echo rc=$?; touch /tmp/y && echo tmp-ok'
	echo "$output"
	[[ "$output" == *"Read-only file system"* ]]
	[[ "$output" == *tmp-ok* ]]
	[ ! -e "$BUNDLE/rootfs/x" ]
}

@test "root.readonly false: the rootfs is writable by container root" {
	export RAMPART_POLICY=compat
	use_rootful_config
	update_config '.root.readonly = false'
	run_sh 'touch /written && echo ok'
	[ "$status" -eq 0 ]
	[ -e "$BUNDLE/rootfs/written" ]
}

@test "maskedPaths: files read empty, directories are empty" {
	# masked entries this kernel has (kcore, sysrq-trigger... vary by build)
	[ -e /proc/timer_list ] && [ -e /proc/keys ] && [ -d /proc/acpi ] || skip "host lacks the probed /proc entries"
	run_sh 'wc -c </proc/timer_list; cat /proc/keys | wc -c; ls -A /proc/acpi | wc -l; ls -A /sys/firmware | wc -l'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	[ "${lines[2]}" = 0 ]
	[ "${lines[3]}" = 0 ]
	# and the host's are untouched
	[ "$(wc -c </proc/timer_list)" -gt 0 ]
}

@test "readonlyPaths: mounted read-only" {
	run_sh 'awk '"'"'$5 == "/proc/sys" || $5 == "/proc/irq" || $5 == "/proc/bus" {print $5, substr($6, 1, 2)}'"'"' /proc/self/mountinfo | sort; echo 1 >/proc/sys/kernel/domainname 2>/dev/null && echo WROTE'
	echo "$output"
	[[ "$output" == *"/proc/bus ro"* ]]
	[[ "$output" == *"/proc/irq ro"* ]]
	[[ "$output" == *"/proc/sys ro"* ]]
	[[ "$output" != *WROTE* ]]
}

@test "masked and readonly paths that the rootfs lacks are skipped, not created on the host" {
	update_config '.linux.maskedPaths += ["/proc/no-such-entry"] | .linux.readonlyPaths += ["/no/such/dir"]'
	run_sh 'true'
	[ "$status" -eq 0 ]
	[ ! -e "$BUNDLE/rootfs/no" ]
}

@test "default devices exist with the right numbers" {
	run_sh 'for d in null zero full random urandom tty; do echo "$d $(stat -c "%F %t:%T" /dev/$d)"; done'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"null character special file 1:3"* ]]
	[[ "$output" == *"zero character special file 1:5"* ]]
	[[ "$output" == *"full character special file 1:7"* ]]
	[[ "$output" == *"random character special file 1:8"* ]]
	[[ "$output" == *"urandom character special file 1:9"* ]]
	[[ "$output" == *"tty character special file 5:0"* ]]
}

@test "linux.devices: a configured device appears" {
	[ -c /dev/kmsg ] || skip "host has no /dev/kmsg"
	update_config '.linux.devices = [{"path": "/dev/kmsg", "type": "c", "major": 1, "minor": 11, "fileMode": 420, "uid": 0, "gid": 0}]'
	run_sh 'stat -c "%F %t:%T" /dev/kmsg'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "character special file 1:b" ]
}

@test "linux.sysctl: applied in the container's namespaces only" {
	host=$(cat /proc/sys/net/ipv4/ip_forward)
	want=$((1 - host))
	update_config ".linux.sysctl = {\"net.ipv4.ip_forward\": \"$want\"}"
	run_sh 'cat /proc/sys/net/ipv4/ip_forward'
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

@test "linux.sysctl of a host-global key is refused" {
	update_config '.linux.sysctl = {"kernel.panic": "1"}'
	old=$(cat /proc/sys/kernel/panic)
	run_file rp run --bundle "$BUNDLE" "$ID"
	[ "$status" -ne 0 ]
	[ "$(cat /proc/sys/kernel/panic)" = "$old" ]
}

@test "CVE-2019-5736: the init's /proc/PID/exe is not the host binary and cannot be written" {
	use_sleeper
	sum=$(sha256sum "$RAMPART" | cut -d' ' -f1)
	create_ctr
	pid=$(state_of "$ID" pid)
	exe=$(readlink "/proc/$pid/exe")
	echo "created init exe: $exe"
	[ "$exe" != "$(readlink -f "$RAMPART")" ]
	run python3 -c 'import sys; open(sys.argv[1], "ab").write(b"x")' "/proc/$pid/exe"
	echo "$output"
	[ "$status" -ne 0 ]
	rp delete --force "$ID"
	[ "$(sha256sum "$RAMPART" | cut -d' ' -f1)" = "$sum" ]
}

@test "CVE-2019-5736: a container running /proc/self/exe cannot overwrite the runtime" {
	sum=$(sha256sum "$RAMPART" | cut -d' ' -f1)
	update_config '.process.args = ["/proc/self/exe", "--version"]'
	run_file rp run --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$(sha256sum "$RAMPART" | cut -d' ' -f1)" = "$sum" ]
	# and from inside: open every /proc/*/exe for writing while the init runs
	update_config '.process.args = ["sh", "-c", "for e in /proc/[0-9]*/exe; do (echo x >>$e) 2>/dev/null && echo WROTE $e; done; echo done"]'
	run rp run --bundle "$BUNDLE" "$ID-2" </dev/null
	echo "$output"
	[[ "$output" != *WROTE* ]]
	[ "$(sha256sum "$RAMPART" | cut -d' ' -f1)" = "$sum" ]
}
