#!/usr/bin/env bats
# The hardening policy (rampart-policy(5)), seen through `rampart audit`,
# which runs the very evaluation create does and creates nothing: for every
# rule a config that triggers it and one that passes, then modes, waivers,
# presets and policy files.

load helpers

local_setup() {
	# The tests of "no policy given" expect the hardened preset; an
	# operator's file on this machine would change that.
	if [ -e /etc/rampart/policy.json ]; then export RAMPART_POLICY=hardened; fi
	CFG="$BUNDLE/config.json"
	BG_PIDS=()
	BG_MOUNTS=()
}

local_teardown() {
	local m p
	for m in "${BG_MOUNTS[@]}"; do umount "$m" 2>/dev/null; done
	for p in "${BG_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	return 0
}

# audit [ARGS...]: JSON verdict of $BUNDLE as container 'web'.
audit() { run "$RAMPART" audit --format json --id web "$@" "$BUNDLE"; }

# finding RULE OUTCOME [FIELD]: the last audit output has such a finding.
finding() {
	python3 -c '
import json, sys
rule, outcome = sys.argv[1], sys.argv[2]
field = sys.argv[3] if len(sys.argv) > 3 else None
doc = json.load(sys.stdin)
sys.exit(0 if [f for f in doc["findings"] if f["rule"] == rule and f["outcome"] == outcome
               and (field is None or f["field"] == field)] else 1)' "$@" <<<"$output"
}

# no_finding RULE: the rule reported nothing at all.
no_finding() {
	python3 -c '
import json, sys
doc = json.load(sys.stdin)
sys.exit(1 if any(f["rule"] == sys.argv[1] for f in doc["findings"]) else 0)' "$1" <<<"$output"
}

verdict() { python3 -c 'import json,sys; print(json.load(sys.stdin)["verdict"])' <<<"$output"; }

# A user namespace held by a sleeping process, its root mapped to host uid
# $1 (default 100000).  Prints the pid.
userns_process() {
	local host="${1:-100000}" pid
	unshare -U sleep 120 &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for bash -c "[ \"\$(readlink /proc/$pid/ns/user)\" != \"\$(readlink /proc/self/ns/user)\" ]"
	echo "0 $host 65536" >"/proc/$pid/uid_map"
	USERNS_PID=$pid
}

# What podman 4.3 generates for `podman run busybox` as root: uid 0, no
# user namespace, podman's default capabilities, no noNewPrivileges, its
# default-deny seccomp profile.
podman_root_config() {
	cat >"$CFG" <<'EOF'
{
  "ociVersion": "1.0.2-dev",
  "process": {
    "user": {"uid": 0, "gid": 0, "umask": 18, "additionalGids": [0, 1, 2, 3, 4, 6, 10, 11, 20, 26, 27]},
    "args": ["sh"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "container=podman", "HOME=/root", "HOSTNAME=4c2d1a3b9f0e"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"],
      "effective": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"],
      "permitted": ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1048576, "soft": 1048576}, {"type": "RLIMIT_NPROC", "hard": 4194304, "soft": 4194304}],
    "oomScoreAdj": 0
  },
  "root": {"path": "rootfs"},
  "hostname": "4c2d1a3b9f0e",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/etc/hosts", "type": "bind", "source": "/run/containers/storage/overlay-containers/4c2d1a3b9f0e/userdata/hosts", "options": ["bind", "rprivate"]},
    {"destination": "/dev/shm", "type": "bind", "source": "/var/lib/containers/storage/overlay-containers/4c2d1a3b9f0e/userdata/shm", "options": ["bind", "rprivate", "nosuid", "noexec", "nodev"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["rprivate", "nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "annotations": {"io.container.manager": "libpod", "org.opencontainers.image.stopSignal": "15"},
  "linux": {
    "resources": {"devices": [{"allow": false, "access": "rwm"}], "pids": {"limit": 2048}},
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
    "seccomp": {
      "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
      "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
      "syscalls": [
        {"names": ["bdflush", "io_pgetevents", "kexec_file_load", "kexec_load", "migrate_pages", "move_pages", "nfsservctl", "nice", "oldfstat", "oldlstat", "oldolduname", "oldstat", "olduname", "pciconfig_iobase", "pciconfig_read", "pciconfig_write", "sgetmask", "ssetmask", "swapcontext", "swapoff", "swapon", "sysfs", "uselib", "userfaultfd", "ustat", "vm86", "vm86old", "vmsplice"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
        {"names": ["accept", "accept4", "access", "arch_prctl", "bind", "brk", "chdir", "chmod", "chown", "clone", "close", "connect", "dup", "dup2", "dup3", "epoll_create1", "epoll_ctl", "epoll_wait", "execve", "exit", "exit_group", "fchdir", "fcntl", "fstat", "futex", "getcwd", "getdents64", "getpid", "getppid", "getuid", "ioctl", "kill", "lseek", "mmap", "mprotect", "munmap", "nanosleep", "newfstatat", "open", "openat", "pipe", "pipe2", "poll", "read", "readlink", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "set_tid_address", "setpgid", "stat", "uname", "wait4", "write"], "action": "SCMP_ACT_ALLOW"}
      ]
    },
    "maskedPaths": ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/fs/selinux", "/sys/dev/block"],
    "readonlyPaths": ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
}
EOF
}

# The pattern `podman run --privileged` generates.
privileged_config() {
	local all
	all=$(python3 -c 'import json; print(json.dumps(["CAP_" + c for c in "CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE".split()]))')
	update_config ".process.capabilities = {\"bounding\": $all, \"effective\": $all, \"permitted\": $all}
		| del(.linux.maskedPaths, .linux.readonlyPaths, .linux.seccomp)
		| .mounts |= map(if .type == \"sysfs\" then .options = [\"nosuid\", \"noexec\", \"nodev\", \"rw\"] else . end)
		| .linux.resources.devices = [{\"allow\": true, \"access\": \"rwm\"}]"
}

policy_file() { cat >"$BATS_TEST_TMPDIR/policy.json"; echo "$BATS_TEST_TMPDIR/policy.json"; }

# ------------------------------------------------------------ baseline

@test "policy: the hardened base config is allowed; only the default seccomp profile is added" {
	audit
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(verdict)" = allowed ]
	finding seccomp-missing fixed linux.seccomp
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert [f["rule"] for f in d["findings"]] == ["seccomp-missing"], d' <<<"$output"
}

# ------------------------------------------------------------ root-user

@test "root-user: uid 0 without a user namespace is refused" {
	use_rootful_config
	unset RAMPART_POLICY
	audit --policy hardened
	echo "$output"
	[ "$status" -eq 1 ]
	finding root-user refused process.user.uid
}

@test "root-user: a non-root uid without a user namespace passes" {
	use_rootful_config
	update_config '.process.user.uid = 1000 | .process.user.gid = 1000'
	audit --policy hardened
	[ "$status" -eq 0 ]
	no_finding root-user
}

@test "root-user: a user namespace mapping root to host root is refused, to any other uid allowed" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]'
	audit
	[ "$status" -eq 1 ]
	finding root-user refused linux.uidMappings
	# uid 1000 inside, mapped onto host uid 0: still host root
	update_config '.linux.uidMappings = [{"containerID": 1000, "hostID": 0, "size": 1}] | .process.user.uid = 1000'
	audit
	[ "$status" -eq 1 ]
	finding root-user refused linux.uidMappings
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}] | .process.user.uid = 0'
	audit
	[ "$status" -eq 0 ]
	no_finding root-user
}

@test "root-user: joining the host's user namespace by path is refused" {
	# our own namespace is the host's (/proc/1 may be out of reach here)
	update_config "del(.linux.uidMappings, .linux.gidMappings)
		| .linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$$/ns/user\" else . end)"
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding root-user refused "linux.namespaces[6].path"
}

@test "root-user: joining a user namespace by path reads that namespace's mapping" {
	update_config 'del(.linux.uidMappings, .linux.gidMappings)'
	userns_process 100000
	update_config ".linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$USERNS_PID/ns/user\" else . end)"
	audit
	echo "$output"
	[ "$status" -eq 0 ]
	no_finding root-user

	# the same namespace through a bind-mounted nsfs file (read by joining it)
	touch "$BATS_TEST_TMPDIR/userns"
	mount --bind "/proc/$USERNS_PID/ns/user" "$BATS_TEST_TMPDIR/userns"
	BG_MOUNTS+=("$BATS_TEST_TMPDIR/userns")
	update_config ".linux.namespaces |= map(if .type == \"user\" then .path = \"$BATS_TEST_TMPDIR/userns\" else . end)"
	audit
	[ "$status" -eq 0 ]
	no_finding root-user
}

@test "root-user: a joined user namespace that maps root to host root is refused" {
	update_config 'del(.linux.uidMappings, .linux.gidMappings)'
	userns_process 0
	update_config ".linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$USERNS_PID/ns/user\" else . end)"
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding root-user refused "linux.namespaces[6].path"
}

# ------------------------------------------------------------ privileged

@test "privileged: the --privileged pattern is refused as such" {
	privileged_config
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding privileged refused process.capabilities.bounding
	finding dangerous-capabilities refused "process.capabilities.bounding[12]"
	finding devices-allow-all refused "linux.resources.devices[0]"
	finding writable-proc-sys refused "mounts[5].options"
	# the headline is the pattern, then the other rules
	run "$RAMPART" audit --id web "$BUNDLE"
	[[ "${lines[-1]}" == "refusing 'web': container is privileged ("*") [privileged] (+"*" more: dangerous-capabilities, "* ]]
}

@test "privileged: all capabilities alone are not the pattern" {
	privileged_config
	update_config '.linux.maskedPaths = ["/proc/kcore"]'
	audit
	[ "$status" -eq 1 ]
	no_finding privileged
	finding dangerous-capabilities refused
}

# ------------------------------------------------------ dangerous-capabilities

@test "dangerous-capabilities: SYS_ADMIN in any set is refused with the set and index" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"] | .process.capabilities.ambient = ["CAP_BPF"]
		| .process.capabilities.inheritable = ["CAP_KILL", "CAP_SYS_MODULE"]'
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding dangerous-capabilities refused "process.capabilities.bounding[3]"
	finding dangerous-capabilities refused "process.capabilities.ambient[0]"
	finding dangerous-capabilities refused "process.capabilities.inheritable[1]"
}

@test "dangerous-capabilities: NET_RAW and the engines' defaults pass" {
	update_config '.process.capabilities.bounding += ["CAP_NET_RAW", "CAP_CHOWN", "CAP_SETUID", "CAP_SYS_CHROOT"]'
	audit
	[ "$status" -eq 0 ]
	no_finding dangerous-capabilities
}

# ------------------------------------------------------------ host-namespaces

@test "host-namespaces: a namespace left out is shared with the host and refused" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding host-namespaces refused linux.namespaces
	[[ "$output" == *"network namespace not listed"* ]]
}

@test "host-namespaces: joining the host's namespace by path is refused" {
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$$/ns/net\" else . end)"
	audit
	[ "$status" -eq 1 ]
	finding host-namespaces refused "linux.namespaces[1].path"
}

@test "host-namespaces: joining another container's namespace by path passes" {
	unshare -n sleep 120 &
	local pid=$!
	BG_PIDS+=("$pid")
	# re-read on every try: unshare may not have switched namespaces yet
	wait_for bash -c "[ \"\$(readlink /proc/$pid/ns/net)\" != \"\$(readlink /proc/self/ns/net)\" ]"
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$pid/ns/net\" else . end)"
	audit
	echo "$output"
	[ "$status" -eq 0 ]
	no_finding host-namespaces
}

# ------------------------------------------------------------ sensitive-mounts

@test "sensitive-mounts: host system paths and runtime sockets are refused, after normalising" {
	local src
	for src in / /etc /proc/1 /var/run/docker.sock /run/containerd/containerd.sock "//etc/../etc/./" /run /var/lib/kubelet /var; do
		update_config ".mounts = [{\"destination\": \"/host\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"rbind\", \"ro\"]}]"
		audit
		echo "$src: $output"
		[ "$status" -eq 1 ]
		finding sensitive-mounts refused "mounts[0].source"
	done
}

@test "sensitive-mounts: a symlink to / is followed" {
	ln -s / "$BATS_TEST_TMPDIR/sneaky"
	update_config ".mounts += [{\"destination\": \"/host\", \"source\": \"$BATS_TEST_TMPDIR/sneaky\", \"options\": [\"bind\"]}]"
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding sensitive-mounts refused "mounts[7].source"
}

@test "sensitive-mounts: an ordinary volume and engine per-container files pass" {
	mkdir "$BATS_TEST_TMPDIR/data"
	update_config ".mounts += [{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/data\", \"options\": [\"rbind\"]},
		{\"destination\": \"/etc/hosts\", \"type\": \"bind\", \"source\": \"/var/lib/kubelet/pods/0a1b/etc-hosts\", \"options\": [\"bind\"]}]"
	audit
	[ "$status" -eq 0 ]
	no_finding sensitive-mounts
}

# ------------------------------------------------------------ devices-allow-all

@test "devices-allow-all: 'a *:* rwm' allowed is refused" {
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}, {"allow": true, "access": "rwm"}]'
	audit
	[ "$status" -eq 1 ]
	finding devices-allow-all refused "linux.resources.devices[1]"
	update_config '.linux.resources.devices = [{"allow": true, "type": "c", "access": "rw"}]'
	audit
	[ "$status" -eq 1 ]
	finding devices-allow-all refused "linux.resources.devices[0]"
}

@test "devices-allow-all: a later deny, mknod only, or single devices pass" {
	update_config '.linux.resources.devices = [{"allow": true, "access": "rwm"}, {"allow": false, "access": "rwm"}]'
	audit
	[ "$status" -eq 0 ]
	update_config '.linux.resources.devices = [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "access": "m"},
		{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	audit
	[ "$status" -eq 0 ]
	no_finding devices-allow-all
}

# ------------------------------------------------------------ writable-proc-sys

@test "writable-proc-sys: sysfs mounted rw is refused" {
	update_config '.mounts |= map(if .type == "sysfs" then .options = ["nosuid", "ro", "rw"] else . end)'
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding writable-proc-sys refused "mounts[5].options"
}

@test "writable-proc-sys: /proc/sys left writable is fixed, not refused" {
	update_config '.linux.readonlyPaths |= map(select(. != "/proc/sys"))'
	audit
	[ "$status" -eq 0 ]
	finding writable-proc-sys fixed linux.readonlyPaths
	update_config '.linux.maskedPaths += ["/proc/sys/"]'
	audit
	no_finding writable-proc-sys
}

# ------------------------------------------------------------ seccomp

@test "seccomp-unconfined: a profile that allows by default is refused" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["reboot"], "action": "SCMP_ACT_ERRNO"}]}'
	audit
	[ "$status" -eq 1 ]
	finding seccomp-unconfined refused linux.seccomp.defaultAction
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_LOG"'
	audit
	[ "$status" -eq 1 ]
}

@test "seccomp: a default-deny profile passes both seccomp rules" {
	update_config '.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}'
	audit
	[ "$status" -eq 0 ]
	no_finding seccomp-unconfined
	no_finding seccomp-missing
}

@test "seccomp-missing: no profile gets the default one; audit says it would" {
	run "$RAMPART" audit --id web "$BUNDLE"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"fixed    linux.seccomp: no seccomp profile (would apply the default profile) [seccomp-missing]"* ]]
}

# ------------------------------------------------------------ no-new-privileges

@test "no-new-privileges: explicitly false is refused, absent is fixed" {
	update_config '.process.noNewPrivileges = false'
	audit
	[ "$status" -eq 1 ]
	finding no-new-privileges refused process.noNewPrivileges
	update_config 'del(.process.noNewPrivileges)'
	audit
	[ "$status" -eq 0 ]
	finding no-new-privileges fixed process.noNewPrivileges
}

# ------------------------------------------------------------ masked-paths-removed

@test "masked-paths-removed: removed masked and readonly paths are restored" {
	update_config '.linux.maskedPaths = [] | del(.linux.readonlyPaths)'
	audit
	echo "$output"
	[ "$status" -eq 0 ]
	finding masked-paths-removed fixed linux.maskedPaths
	finding masked-paths-removed fixed linux.readonlyPaths
	[[ "$output" == *"/proc/kcore"* ]]
	update_config '.linux.maskedPaths = ["/proc/acpi", "/proc/kcore"]'
	audit
	python3 -c '
import json, sys
d = json.load(sys.stdin)
f = [f for f in d["findings"] if f["field"] == "linux.maskedPaths"][0]
assert "/proc/keys" in f["detail"] and "/proc/kcore" not in f["detail"], f' <<<"$output"
}

# ------------------------------------------------------------ modes, waivers

@test "warn mode: the finding is reported as a warning and the container runs" {
	use_rootful_config
	unset RAMPART_POLICY
	p=$(policy_file <<'EOF'
{"version": 1, "rules": {"root-user": {"mode": "warn"}}}
EOF
)
	audit --policy "$p"
	echo "$output"
	[ "$status" -eq 0 ]
	finding root-user warned process.user.uid
	run "$RAMPART" audit --policy "$p" --format sarif "$BUNDLE"
	python3 -c '
import json, sys
d = json.load(sys.stdin)
r = [r for r in d["runs"][0]["results"] if r["ruleId"] == "root-user"]
assert r and r[0]["level"] == "warning", r' <<<"$output"
}

@test "off mode: the rule is not evaluated" {
	p=$(policy_file <<'EOF'
{"version": 1, "preset": "hardened", "rules": {"seccomp-missing": {"mode": "off"}}}
EOF
)
	audit --policy "$p"
	[ "$status" -eq 0 ]
	no_finding seccomp-missing
}

@test "waiver: a permitted waiver lets the container run and is reported" {
	use_rootful_config
	unset RAMPART_POLICY
	update_config '.annotations["rampart.allow"] = " host-namespaces , root-user"'
	p=$(policy_file <<'EOF'
{"version": 1, "rules": {"root-user": {"waivable": true}, "host-namespaces": {"mode": "enforce", "waivable": true}}}
EOF
)
	audit --policy "$p"
	echo "$output"
	[ "$status" -eq 0 ]
	finding root-user waived process.user.uid
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	[[ "$output" == *"waived   process.user.uid: process runs as host root (uid 0, no user namespace) [root-user]"* ]]
}

@test "waiver: a waiver the policy does not permit is itself a refusal" {
	use_rootful_config
	unset RAMPART_POLICY
	update_config '.annotations["rampart.allow"] = "root-user"'
	p=$(policy_file <<'EOF'
{"version": 1, "rules": {"host-namespaces": {"waivable": true}}}
EOF
)
	run "$RAMPART" audit --policy "$p" --id web "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "${lines[-1]}" == "refusing 'web': waiver not permitted (annotation rampart.allow waives 'root-user' but $p does not permit waiving it) [waiver-not-permitted] (+1 more: root-user); "* ]]
	audit --policy "$p"
	finding waiver-not-permitted refused annotations.rampart.allow
	finding root-user refused
}

@test "waiver: an unknown rule in the annotation is refused" {
	update_config '.annotations["rampart.allow"] = "root-usr"'
	audit
	echo "$output"
	[ "$status" -eq 1 ]
	finding waiver-not-permitted refused annotations.rampart.allow
	[[ "$output" == *"'root-usr', which is not a rule"* ]]
}

# ------------------------------------------------------------ presets, files

@test "compat preset: runc behaviour, nothing refused or added" {
	privileged_config
	audit --policy compat
	echo "$output"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["findings"] == [] and d["policy"] == "compat", d' <<<"$output"
}

@test "policy selection: --policy beats RAMPART_POLICY, which beats the default" {
	use_rootful_config  # exports RAMPART_POLICY=compat
	audit
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert json.load(sys.stdin)["policy"] == "compat"' <<<"$output"
	audit --policy hardened
	[ "$status" -eq 1 ]
	RAMPART_POLICY=hardened "$RAMPART" --policy compat audit "$BUNDLE" >/dev/null
	p=$(policy_file <<'EOF'
{"version": 1, "preset": "compat"}
EOF
)
	RAMPART_POLICY="$p" run "$RAMPART" audit --format json "$BUNDLE"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert json.load(sys.stdin)["policy"] == sys.argv[1]' "$p" <<<"$output"
}

@test "policy file errors name the file and the JSON path" {
	p=$(policy_file <<'EOF'
{"version": 1, "rules": {"root-user": {"mode": "maybe"}}}
EOF
)
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$p: rules.root-user.mode: expected \"enforce\", \"warn\" or \"off\", got \"maybe\""* ]]

	echo '{"version": 1, "rules": {"root-usr": {"mode": "off"}}}' >"$p"
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$p: rules.root-usr: unknown rule"* ]]

	echo '{"version": 1, "rules": {"root-user": {"waivable": "yes"}}}' >"$p"
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$p: rules.root-user.waivable: expected true or false"* ]]

	echo '{"rules": {}}' >"$p"
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$p: version: missing"* ]]

	echo '{"version": 1, "rules": {' >"$p"
	run "$RAMPART" audit --policy "$p" "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"$p"* ]]

	run "$RAMPART" audit --policy no-such-preset "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"not a preset (hardened, compat)"* ]]
}

# ------------------------------------------------------------ podman

@test "podman's default root config is refused with the one-line root-user message" {
	podman_root_config
	run "$RAMPART" audit --id web "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "${lines[-1]}" = "refusing 'web': process runs as host root (uid 0, no user namespace) [root-user]; run as a non-root user, map root with a user namespace (podman --userns=auto), or waive with annotation rampart.allow=root-user where /etc/rampart/policy.json permits" ]
}

@test "podman's root config passes with a user namespace, a permitted waiver, or compat" {
	podman_root_config
	cp "$CFG" "$BATS_TEST_TMPDIR/podman.json"

	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	audit
	echo "$output"
	[ "$status" -eq 0 ]
	finding no-new-privileges fixed process.noNewPrivileges

	cp "$BATS_TEST_TMPDIR/podman.json" "$CFG"
	update_config '.annotations["rampart.allow"] = "root-user"'
	p=$(policy_file <<'EOF'
{"version": 1, "preset": "hardened", "rules": {"root-user": {"mode": "enforce", "waivable": true}}}
EOF
)
	audit --policy "$p"
	[ "$status" -eq 0 ]
	finding root-user waived

	cp "$BATS_TEST_TMPDIR/podman.json" "$CFG"
	audit --policy compat
	[ "$status" -eq 0 ]
}

@test "podman's root config really runs with a user namespace, a permitted waiver, or compat" {
	podman_root_config
	# What this host cannot give any runtime: podman's storage paths, and
	# rlimits above the hard limit (no CAP_SYS_RESOURCE here).  The rest is
	# the config podman generates, including its own seccomp profile.
	# podman's real profile also allows what a runtime calls after loading
	# the filter when no_new_privs is off (the filter must then be loaded
	# while still privileged); the trimmed one above does not.
	update_config '.mounts |= map(select(.destination != "/etc/hosts" and .destination != "/dev/shm"))
		| .process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]
		| .process.args = ["true"]
		| .linux.seccomp.syscalls[1].names += ["setgroups", "setresuid", "setresgid", "setuid", "setgid",
			"capget", "capset", "prctl", "umask", "setsid", "keyctl", "getgid", "geteuid", "getegid",
			"close_range", "sched_setaffinity", "setrlimit", "prlimit64", "personality"]'
	cp "$CFG" "$BATS_TEST_TMPDIR/podman.json"

	run rp run --bundle "$BUNDLE" "$ID" </dev/null
	echo "refused: $output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"[root-user]"* ]]

	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	run rp run --bundle "$BUNDLE" "$ID-userns" </dev/null
	echo "userns: $output"
	[ "$status" -eq 0 ]

	cp "$BATS_TEST_TMPDIR/podman.json" "$CFG"
	update_config '.annotations["rampart.allow"] = "root-user"'
	p=$(policy_file <<'EOF'
{"version": 1, "preset": "hardened", "rules": {"root-user": {"mode": "enforce", "waivable": true}}}
EOF
)
	run rp --policy "$p" run --bundle "$BUNDLE" "$ID-waiver" </dev/null
	echo "waiver: $output"
	[ "$status" -eq 0 ]

	cp "$BATS_TEST_TMPDIR/podman.json" "$CFG"
	run rp --policy compat run --bundle "$BUNDLE" "$ID-compat" </dev/null
	echo "compat: $output"
	[ "$status" -eq 0 ]
}
