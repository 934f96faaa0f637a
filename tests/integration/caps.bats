#!/usr/bin/env bats
# Capabilities as the kernel reports them inside the container: every set
# (CapBnd/CapPrm/CapEff/CapInh/CapAmb in /proc/self/status) is exactly what
# the config asks, and nothing else — above all, an inheritable set the config
# did not ask for stays empty (CVE-2022-29162).

load helpers
load lifecycle-helpers

# capmask NAME...: the /proc/<pid>/status hex mask of those capabilities.
capmask() {
	python3 - "$@" <<'EOF'
import sys
bits = {"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_FOWNER": 3, "CAP_KILL": 5, "CAP_SETGID": 6,
        "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_NET_BIND_SERVICE": 10, "CAP_NET_RAW": 13,
        "CAP_SYS_CHROOT": 18, "CAP_SYS_ADMIN": 21, "CAP_MKNOD": 27, "CAP_AUDIT_WRITE": 29,
        "CAP_SETFCAP": 31}
m = 0
for name in sys.argv[1:]:
    m |= 1 << bits[name]
print("%016x" % m)
EOF
}

# caps_status: run the container printing its Cap* lines into $lines
caps_status() {
	run_sh 'grep ^Cap /proc/self/status'
	echo "$output"
	[ "$status" -eq 0 ]
}
cap_of() { printf '%s\n' "${lines[@]}" | awk -v k="$1:" '$1 == k {print $2}'; }

setcaps() { # setcaps SET NAME...: process.capabilities.SET = [NAME...]
	local set="$1"; shift
	update_config ".process.capabilities.$set = $(printf '%s\n' "$@" | jq -R . | jq -sc .)"
}

@test "caps: the sets match the config exactly; inheritable and ambient stay empty" {
	caps_status
	local want
	want=$(capmask CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE)
	[ "$(cap_of CapBnd)" = "$want" ]
	[ "$(cap_of CapPrm)" = "$want" ]
	[ "$(cap_of CapEff)" = "$want" ]
	[ "$(cap_of CapInh)" = 0000000000000000 ]
	[ "$(cap_of CapAmb)" = 0000000000000000 ]
}

@test "caps: different sets land in different masks" {
	setcaps bounding CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_AUDIT_WRITE
	setcaps permitted CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE
	setcaps effective CAP_KILL
	setcaps inheritable CAP_NET_BIND_SERVICE
	setcaps ambient CAP_NET_BIND_SERVICE
	caps_status
	[ "$(cap_of CapBnd)" = "$(capmask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE CAP_AUDIT_WRITE)" ]
	# no_new_privs (the base config) keeps execve from widening permitted;
	# for uid 0 execve then makes effective = permitted (capabilities(7))
	[ "$(cap_of CapPrm)" = "$(capmask CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE)" ]
	[ "$(cap_of CapEff)" = "$(cap_of CapPrm)" ]
	[ "$(cap_of CapInh)" = "$(capmask CAP_NET_BIND_SERVICE)" ]
	[ "$(cap_of CapAmb)" = "$(capmask CAP_NET_BIND_SERVICE)" ]
}

@test "caps: ambient capabilities reach a non-root process" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	setcaps inheritable CAP_NET_BIND_SERVICE
	setcaps ambient CAP_NET_BIND_SERVICE
	caps_status
	local nbs
	nbs=$(capmask CAP_NET_BIND_SERVICE)
	[ "$(cap_of CapAmb)" = "$nbs" ]
	[ "$(cap_of CapInh)" = "$nbs" ]
	[ "$(cap_of CapEff)" = "$nbs" ]
	[ "$(cap_of CapPrm)" = "$nbs" ]
}

@test "caps: a non-root process without ambient caps has none" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	caps_status
	[ "$(cap_of CapEff)" = 0000000000000000 ]
	[ "$(cap_of CapPrm)" = 0000000000000000 ]
	[ "$(cap_of CapInh)" = 0000000000000000 ]
	[ "$(cap_of CapAmb)" = 0000000000000000 ]
}

@test "caps: an absent capabilities object means every set empty" {
	update_config 'del(.process.capabilities)'
	caps_status
	for k in CapBnd CapPrm CapEff CapInh CapAmb; do
		[ "$(cap_of $k)" = 0000000000000000 ] || die "$k is $(cap_of $k)"
	done
}

@test "caps: the kernel enforces the result (kill needs CAP_KILL, chown needs CAP_CHOWN)" {
	# the container's root owns its files through the user namespace, so
	# chown to another id needs CAP_CHOWN; the base config does not grant it
	run_sh 'touch /tmp/f; chown 1234 /tmp/f; echo rc=$?'
	echo "$output"
	[[ "$output" == *"Operation not permitted"* ]]
	setcaps bounding CAP_CHOWN
	setcaps permitted CAP_CHOWN
	setcaps effective CAP_CHOWN
	run_sh 'touch /tmp/f; chown 1234 /tmp/f && stat -c %u /tmp/f'
	echo "$output"
	[ "${lines[-1]}" = 1234 ]
}

@test "caps: matches runc for the same config" {
	require_runc
	use_rootful_config
	setcaps bounding CAP_CHOWN CAP_KILL CAP_NET_BIND_SERVICE
	setcaps permitted CAP_CHOWN CAP_KILL
	setcaps effective CAP_KILL
	setcaps inheritable CAP_KILL
	setcaps ambient CAP_KILL
	update_config '.process.args = ["sh", "-c", "grep ^Cap /proc/self/status"]'
	run rp run --bundle "$BUNDLE" "$ID" </dev/null
	local ours="$output"
	run runc_run
	local theirs="$output"
	echo "rampart: $ours"
	echo "runc: $theirs"
	[ -n "$ours" ]
	[ "$ours" = "$theirs" ]
}
