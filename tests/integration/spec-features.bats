#!/usr/bin/env bats
# `rampart spec` and `rampart features` against the runtime-spec JSON
# schemas (a copy lives in tests/schema/), and the spec config against
# rampart itself: the hardened default must be one rampart runs.

load helpers

validate() { # SCHEMA FILE
	run /usr/bin/python3 "$TESTS_DIR/schema/validate.py" "$1" "$2"
	[ "$status" -eq 77 ] && skip "python3-jsonschema is not installed"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

# A run that failed half-way must not leave the container behind.
local_teardown() {
	"$RAMPART" --root "$ROOT" delete --force "$ID" >/dev/null 2>&1 || true
}

local_setup() {
	SPEC_DIR="$BATS_TEST_TMPDIR/spec"
	mkdir -p "$SPEC_DIR"
}

@test "spec: the config validates against config-schema.json" {
	"$RAMPART" spec --bundle "$SPEC_DIR"
	validate config-schema.json "$SPEC_DIR/config.json"
}

@test "spec: hardened defaults (user namespace, minimal caps, read-only, no new privs)" {
	"$RAMPART" spec --bundle "$SPEC_DIR"
	local c="$SPEC_DIR/config.json"
	[ "$(jq -r .ociVersion "$c")" = "$("$RAMPART" --version | sed -n 's/^spec: //p')" ]
	[ "$(jq -c '.linux.uidMappings' "$c")" = '[{"containerID":0,"hostID":100000,"size":65536}]' ]
	[ "$(jq -c '.linux.gidMappings' "$c")" = '[{"containerID":0,"hostID":100000,"size":65536}]' ]
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$c")" = '["cgroup","ipc","mount","network","pid","user","uts"]' ]
	[ "$(jq -c '.process.capabilities.bounding | sort' "$c")" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	[ "$(jq -c '.process.capabilities | keys' "$c")" = '["bounding","effective","permitted"]' ]
	[ "$(jq .process.noNewPrivileges "$c")" = true ]
	[ "$(jq .root.readonly "$c")" = true ]
	[ "$(jq -r '.mounts[] | select(.destination == "/sys") | .options | index("ro") != null' "$c")" = true ]
	[ "$(jq '.linux.maskedPaths | index("/proc/kcore") != null' "$c")" = true ]
	[ "$(jq '.linux.readonlyPaths | index("/proc/sys") != null' "$c")" = true ]
	[ "$(jq -c '.linux.resources.devices' "$c")" = '[{"allow":false,"access":"rwm"}]' ] ||
		[ "$(jq -c '.linux.resources.devices' "$c")" = '[{"allow":false,"type":"a","access":"rwm"}]' ]
	[ "$(jq '.linux.seccomp' "$c")" = null ]   # rampart's built-in profile applies
}

@test "spec --rootless: maps the caller's own ids, validates" {
	"$RAMPART" spec --rootless --bundle "$SPEC_DIR"
	validate config-schema.json "$SPEC_DIR/config.json"
	[ "$(jq -c '.linux.uidMappings' "$SPEC_DIR/config.json")" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	[ "$(jq -c '.linux.gidMappings' "$SPEC_DIR/config.json")" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
	[ "$(jq '[.mounts[].options[]?] | index("gid=5")' "$SPEC_DIR/config.json")" = null ]
}

@test "features: validates against features-schema.json" {
	"$RAMPART" features >"$BATS_TEST_TMPDIR/features.json"
	validate features-schema.json "$BATS_TEST_TMPDIR/features.json"
}

@test "features: versions, capabilities, namespaces and seccomp match this build and host" {
	local f="$BATS_TEST_TMPDIR/features.json"
	"$RAMPART" features >"$f"
	[ "$(jq -r .ociVersionMin "$f")" = 1.0.0 ]
	[ "$(jq -r .ociVersionMax "$f")" = "$("$RAMPART" --version | sed -n 's/^spec: //p')" ]
	# every capability this kernel has is recognised
	local last n
	last=$(cat /proc/sys/kernel/cap_last_cap)
	n=$(jq '.linux.capabilities | length' "$f")
	[ "$n" -ge $((last + 1)) ]
	[ "$(jq '.linux.capabilities | unique | length' "$f")" -eq "$n" ]
	for cap in CAP_CHOWN CAP_SYS_ADMIN CAP_AUDIT_READ; do
		[ "$(jq --arg c $cap '.linux.capabilities | index($c) != null' "$f")" = true ]
	done
	[ "$(jq -c '.linux.namespaces | sort' "$f")" = '["cgroup","ipc","mount","network","pid","time","user","uts"]' ]
	# the host's own seccomp architecture is there; supported flags are known ones
	case "$(uname -m)" in
	x86_64) [ "$(jq '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null' "$f")" = true ] ;;
	aarch64) [ "$(jq '.linux.seccomp.archs | index("SCMP_ARCH_AARCH64") != null' "$f")" = true ] ;;
	esac
	[ "$(jq '.linux.seccomp.supportedFlags - .linux.seccomp.knownFlags | length' "$f")" -eq 0 ]
	# this kernel (>= 4.14) supports SECCOMP_FILTER_FLAG_LOG
	[ "$(jq '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_LOG") != null' "$f")" = true ]
	[ "$(jq -c '.linux.seccomp.actions | index("SCMP_ACT_ERRNO") != null' "$f")" = true ]
	# claims rampart does not honour stay off
	[ "$(jq .linux.apparmor.enabled "$f")" = false ]
	[ "$(jq .linux.cgroup.systemd "$f")" = false ]
}

@test "spec: the generated config runs under the hardened policy, as host uid 100000" {
	local b="$BATS_TEST_TMPDIR/run"
	# The container's root is host uid 100000: it must be able to reach the
	# bundle (bats makes its run directory 0700).
	chmod o+x "$BATS_RUN_TMPDIR"
	mkdir -p "$b"
	cp -a "$(busybox_rootfs)" "$b/rootfs"
	"$RAMPART" spec --bundle "$b"
	update_config '.process.args = ["sh", "-c", "cat /proc/self/uid_map; id -u; cat /proc/self/status | grep ^CapEff"]' "$b/config.json"
	run timeout -s KILL 30 "$RAMPART" --root "$ROOT" run --bundle "$b" "$ID" </dev/null
	[[ "$output" == *"not available yet"* ]] && skip "run is not implemented in this build"
	[ "$status" -ne 137 ] || { echo "run did not finish within 30 s"; false; }
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"0     100000      65536"* ]] || [[ "$(echo "$output" | head -1 | tr -s ' ')" == " 0 100000 65536" ]]
	[[ "$output" == *$'\n0\n'* ]]
	# AUDIT_WRITE (29), KILL (5), NET_BIND_SERVICE (10)
	[[ "$output" == *"CapEff:	0000000020000420"* ]]
}
