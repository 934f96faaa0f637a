#!/usr/bin/env bats
# `rampart audit`: inputs, the three output formats, exit statuses, and
# that create refuses exactly what audit reports (one code path).

load helpers
load lifecycle-helpers

local_setup() {
	if [ -e /etc/rampart/policy.json ]; then export RAMPART_POLICY=hardened; fi
	CFG="$BUNDLE/config.json"
}

# A config refused by two rules and fixed by one.
two_refusals() {
	update_config '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]
		| .linux.namespaces |= map(select(.type != "pid"))'
}

# ------------------------------------------------------------ inputs

@test "audit: reads ./config.json by default, or --bundle / -b / a directory / a file" {
	cd "$BUNDLE"
	run "$RAMPART" audit
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"allowed 'bundle' (policy hardened)"* ]]
	cd /
	run "$RAMPART" audit --bundle "$BUNDLE"
	[ "$status" -eq 0 ]
	run "$RAMPART" audit -b "$BUNDLE"
	[ "$status" -eq 0 ]
	run "$RAMPART" audit "$BUNDLE"
	[ "$status" -eq 0 ]
	cp "$CFG" "$BATS_TEST_TMPDIR/other.json"
	run "$RAMPART" audit --id web "$BATS_TEST_TMPDIR/other.json"
	[ "$status" -eq 0 ]
	[[ "$output" == *"allowed 'web'"* ]]
}

@test "audit: creates nothing" {
	two_refusals
	run rp audit "$BUNDLE"
	[ "$status" -eq 1 ]
	use_rootful_config
	run rp audit "$BUNDLE"
	[ "$status" -eq 0 ]
	[ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ]
}

@test "audit: exit 2 when the input is unusable" {
	run "$RAMPART" audit "$BATS_TEST_TMPDIR/nope.json"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"nope.json"* ]]

	echo '{"ociVersion": "1.0.0", "process": ' >"$CFG"
	run "$RAMPART" audit "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"config.json"* ]]

	base_config >"$CFG"
	update_config '.process.user.uid = "root"'
	run "$RAMPART" audit "$BUNDLE"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"process.user.uid"* ]]

	base_config >"$CFG"
	run "$RAMPART" audit --format yaml "$BUNDLE"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--format"* ]]
	run "$RAMPART" audit "$BUNDLE" "$BUNDLE"
	[ "$status" -eq 2 ]
}

# ------------------------------------------------------------ formats

@test "audit text: one line per finding with its outcome, a summary, the refusal line" {
	two_refusals
	run "$RAMPART" audit --id web "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused  process.capabilities.bounding[3]: process holds a dangerous capability (CAP_SYS_ADMIN) [dangerous-capabilities]"* ]]
	[[ "$output" == *"refused  linux.namespaces: container shares a host namespace (pid namespace not listed: shared with the host) [host-namespaces]"* ]]
	[[ "$output" == *"fixed    linux.seccomp: no seccomp profile (would apply the default profile) [seccomp-missing]"* ]]
	[[ "$output" == *"refused 'web' (policy hardened): 2 refused, 0 warned, 0 waived, 1 fixed"* ]]
	[[ "${lines[-1]}" == "refusing 'web': container shares a host namespace (pid namespace not listed: shared with the host) [host-namespaces] (+1 more: dangerous-capabilities); list the namespace in linux.namespaces"* ]]
}

@test "audit json: verdict, policy and every finding with rule, outcome, field, fix and PSS control" {
	two_refusals
	run "$RAMPART" audit --format json --id web "$BUNDLE"
	echo "$output"
	[ "$status" -eq 1 ]
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["id"] == "web" and d["policy"] == "hardened" and d["verdict"] == "refused", d
got = {(f["rule"], f["outcome"], f["field"]) for f in d["findings"]}
assert got == {("host-namespaces", "refused", "linux.namespaces"),
               ("dangerous-capabilities", "refused", "process.capabilities.bounding[3]"),
               ("seccomp-missing", "fixed", "linux.seccomp")}, got
for f in d["findings"]:
    assert set(f) == {"rule", "outcome", "field", "reason", "detail", "fix", "pss"}, f
    assert f["fix"] and f["reason"], f
pss = {f["rule"]: f["pss"] for f in d["findings"]}
assert pss["dangerous-capabilities"] == "Capabilities" and pss["host-namespaces"] == "Host Namespaces", pss
' <<<"$output"
	base_config >"$CFG"
	run "$RAMPART" audit --format json "$BUNDLE"
	[ "$status" -eq 0 ]
	python3 -c 'import json,sys; assert json.load(sys.stdin)["verdict"] == "allowed"' <<<"$output"
}

@test "audit sarif: SARIF 2.1.0 with the rule table and one result per violation" {
	two_refusals
	update_config '.process.noNewPrivileges = false'
	p="$BATS_TEST_TMPDIR/policy.json"
	echo '{"version": 1, "rules": {"no-new-privileges": {"mode": "warn"}}}' >"$p"
	run "$RAMPART" audit --format sarif --policy "$p" "$CFG"
	echo "$output"
	[ "$status" -eq 1 ]
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == "2.1.0" and "sarif" in d["$schema"], d
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "rampart" and drv["version"], drv
ids = [r["id"] for r in drv["rules"]]
for rid in ["root-user", "privileged", "dangerous-capabilities", "host-namespaces", "sensitive-mounts",
            "no-new-privileges", "seccomp-unconfined", "seccomp-missing", "masked-paths-removed",
            "writable-proc-sys", "devices-allow-all"]:
    assert rid in ids, rid
for r in drv["rules"]:
    assert r["shortDescription"]["text"] and r["help"]["text"] and "pss" in r["properties"], r
res = {(r["ruleId"], r["level"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]) for r in run["results"]}
assert res == {("host-namespaces", "error", "linux.namespaces"),
               ("dangerous-capabilities", "error", "process.capabilities.bounding[3]"),
               ("no-new-privileges", "warning", "process.noNewPrivileges"),
               ("seccomp-missing", "note", "linux.seccomp")}, res
for r in run["results"]:
    loc = r["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == sys.argv[1], loc
    assert loc["logicalLocations"][0]["kind"] == "member"
    assert r["message"]["text"]
' "$CFG" <<<"$output"
}

@test "audit sarif: valid against the SARIF 2.1.0 schema when one is installed" {
	local schema
	schema=$(find /usr/share /usr/lib/python3 -name 'sarif-schema-2.1.0.json' 2>/dev/null | head -1)
	[ -n "$schema" ] || skip "no SARIF 2.1.0 JSON schema on this machine (offline)"
	run "$RAMPART" audit --format sarif "$BUNDLE"
	echo "$output" >"$BATS_TEST_TMPDIR/out.sarif"
	/usr/bin/python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$BATS_TEST_TMPDIR/out.sarif" "$schema"
}

# ------------------------------------------------------------ create agrees

@test "create refuses what audit refuses, with the one-line message, and creates nothing" {
	use_rootful_config
	unset RAMPART_POLICY
	run rp --policy hardened create --bundle "$BUNDLE" web-$ID
	echo "$output"
	[ "$status" -ne 0 ]
	[ "${#lines[@]}" -ge 1 ]
	[[ "$output" == *"refusing 'web-$ID': process runs as host root (uid 0, no user namespace) [root-user]; run as a non-root user"* ]]
	[ "$(grep -c refusing <<<"$output")" -eq 1 ]
	run rp list -q
	[ -z "$output" ]
	[ ! -e "$ROOT/web-$ID" ]
}

@test "create --dry-run prints what audit prints and creates nothing" {
	two_refusals
	run rp create --dry-run --bundle "$BUNDLE" "$ID"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"refused  process.capabilities.bounding[3]: process holds a dangerous capability (CAP_SYS_ADMIN) [dangerous-capabilities]"* ]]
	[[ "$output" == *"refusing '$ID': container shares a host namespace"* ]]
	[ ! -e "$ROOT/$ID" ]

	base_config >"$CFG"
	run rp create --dry-run --bundle "$BUNDLE" "$ID"
	dry="$output"
	[ "$status" -eq 0 ]
	run "$RAMPART" audit --id "$ID" "$BUNDLE"
	[ "$status" -eq 0 ]
	[ "$dry" = "$output" ]
	[ ! -e "$ROOT/$ID" ]
}

@test "create applies the fixes audit reports: default seccomp filter, no_new_privs, masked paths" {
	update_config 'del(.process.noNewPrivileges, .linux.seccomp) | .linux.maskedPaths = []'
	run "$RAMPART" audit --format json "$BUNDLE"
	[ "$status" -eq 0 ]
	run_sh 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; echo firmware=$(ls -A /sys/firmware | wc -l)'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"Seccomp:	2"* ]]
	[[ "$output" == *"NoNewPrivs:	1"* ]]
	[[ "$output" == *"firmware=0"* ]]
}

@test "create with a permitted waiver runs and logs the waiver with the container id" {
	use_rootful_config
	unset RAMPART_POLICY
	update_config '.annotations["rampart.allow"] = "root-user"'
	p="$BATS_TEST_TMPDIR/policy.json"
	echo '{"version": 1, "rules": {"root-user": {"waivable": true}}}' >"$p"
	run rp --policy "$p" --log "$BATS_TEST_TMPDIR/log.json" --log-format json run --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	# With a JSON log (an engine's call) the warning goes there only: the
	# engine hands rampart the container's own stderr.
	[[ "$output" != *"waiver used"* ]]
	grep -F "waiver used: process runs as host root (uid 0, no user namespace) at process.user.uid [root-user]" \
		"$BATS_TEST_TMPDIR/log.json" | python3 -c '
import json, sys
rec = json.loads(sys.stdin.readline())
assert rec["level"] == "warning" and sys.argv[1] in rec["msg"], rec' "$ID"
}

@test "create with a permitted waiver, at a terminal: the waiver is said on stderr" {
	use_rootful_config
	unset RAMPART_POLICY
	update_config '.annotations["rampart.allow"] = "root-user"'
	p="$BATS_TEST_TMPDIR/policy.json"
	echo '{"version": 1, "rules": {"root-user": {"waivable": true}}}' >"$p"
	run rp --policy "$p" run --bundle "$BUNDLE" "$ID" </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"policy: container '$ID': waiver used: process runs as host root (uid 0, no user namespace) at process.user.uid [root-user]"* ]]
}

@test "create in warn mode runs and logs a warning" {
	update_config '.process.capabilities.bounding += ["CAP_SYS_PTRACE"]'
	p="$BATS_TEST_TMPDIR/policy.json"
	echo '{"version": 1, "rules": {"dangerous-capabilities": {"mode": "warn"}}}' >"$p"
	run rp --policy "$p" run --bundle "$BUNDLE" "$ID" </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"policy: container '$ID': process holds a dangerous capability (CAP_SYS_PTRACE) at process.capabilities.bounding[3] [dangerous-capabilities] (warn mode: allowed)"* ]]
}

@test "exec: the process rules apply to the exec'd process" {
	use_sleeper
	create_ctr
	rp start "$ID"
	cat >"$BATS_TEST_TMPDIR/proc.json" <<'EOF'
{"args": ["true"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true,
 "capabilities": {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"], "permitted": ["CAP_SYS_ADMIN"]}}
EOF
	run rp exec --process "$BATS_TEST_TMPDIR/proc.json" "$ID"
	echo "$output"
	rp delete --force "$ID"
	[ "$status" -ne 0 ]
	[[ "$output" == *"[dangerous-capabilities]"* ]]
}
