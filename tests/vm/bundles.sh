#!/bin/bash
# Write the guest's test bundles (configs only: they share /rootfs) into $1.
# Generated on the host because the guest has no jq.  Bundles whose name
# starts with "root-" drop the user namespace and run under the compat preset
# (they need host root's access to the scratch block device).
set -euo pipefail
out="$1"
base="${RAMPART_BASE_CONFIG:?}"
mk() { # mk NAME JQ_FILTER
	mkdir -p "$out/$1"
	jq '.root.path = "/rootfs" | .root.readonly = true | del(.mounts[] | select(.destination == "/sys"))' "$base" \
		| jq "$2" >"$out/$1/config.json"
}
rootful='del(.linux.uidMappings, .linux.gidMappings) | .linux.namespaces |= map(select(.type != "user"))'
sleeper='.process.args = ["sleep", "600"]'

mk hardened '.process.args = ["sh", "-c", "id -u; grep Seccomp: /proc/self/status"]'
mk memory '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}
	| .process.args = ["sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=100; echo survived"]'
mk pids '.linux.resources.pids = {"limit": 8}
	| .process.args = ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 30 & done; sleep 1; echo forked"]'
# (timeout must not be pid 1: pid 1 ignores the SIGTERM it sends from inside)
mk cpu '.linux.resources.cpu = {"quota": 20000, "period": 100000}
	| .process.args = ["sh", "-c", "timeout 3 sh -c \"while :; do :; done\"; echo stopped"]'
mk cpuset '.linux.resources.cpu = {"cpus": "1", "mems": "0"}
	| .process.args = ["sh", "-c", "grep Cpus_allowed_list /proc/self/status"]'
mk resources '.linux.resources = {
		"memory": {"limit": 67108864, "reservation": 16777216, "swap": 100663296},
		"cpu": {"shares": 1024, "quota": 50000, "period": 100000, "burst": 10000},
		"pids": {"limit": 50},
		"blockIO": {"weight": 200},
		"unified": {"memory.high": "50331648"}} | '"$sleeper"
mk idle '.linux.resources.cpu = {"idle": 1} | '"$sleeper"
mk hugetlb '.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 4194304}] | '"$sleeper"
mk update '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 100} | '"$sleeper"
mk pause "$sleeper"
mk "root-io" "$rootful"' | .linux.devices = [{"path": "/dev/disk0", "type": "b", "major": 259, "minor": 0, "fileMode": 432}]
	| .linux.resources.devices = [{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
		{"allow": true, "type": "b", "major": 259, "minor": 0, "access": "rw"}]
	| .linux.resources.blockIO = {"throttleWriteBpsDevice": [{"major": 259, "minor": 0, "rate": 1048576}]}
	| .process.args = ["sh", "-c", "s=$(date +%s); dd if=/dev/zero of=/dev/disk0 bs=1M count=3 oflag=direct 2>&1; e=$(date +%s); echo elapsed=$((e - s))"]'
mk "root-devices" "$rootful"' | .linux.devices = [{"path": "/dev/disk0", "type": "b", "major": 259, "minor": 0, "fileMode": 432}]
	| .linux.resources.devices = [{"allow": false, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"}]
	| .process.args = ["sh", "-c", "head -c 4 /dev/zero | wc -c; head -c 512 /dev/disk0 | wc -c"]'
