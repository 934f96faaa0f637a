#!/usr/bin/env bats
# containerd 1.6's CRI plugin (the API the kubelet speaks) driving rampart
# through the runtime class "rampart" of contrib/containerd/config.toml:
# RunPodSandbox, CreateContainer, StartContainer, ExecSync,
# UpdateContainerResources, StopContainer, RemoveContainer, StopPodSandbox,
# RemovePodSandbox.  crictl is not packaged for Debian 12, so the test talks
# gRPC itself with tests/engines/cri/cri-client.py and the CRI v1 subset in
# tests/engines/cri/runtime.proto.
#
# containerd runs in the private mount namespace of helpers.bash (rampart's
# /usr/local/bin path is the binary under test, /run is private), with
# root, state, socket, CNI configuration and pod logs under a temp dir.
# The pods get a network namespace of their own and nothing on the host's
# network changes: the CNI network is IPAM only (plugin "static"), so the
# pod has just its loopback and a bookkept address.
#
# Policy: containerd 1.6 runs a pod's processes as root without a user
# namespace, which rampart's hardened default refuses (rule root-user).  The
# test takes the operator's way: /etc/rampart/policy.json (in the private
# namespace) marks root-user waivable and the pods carry the annotation
# rampart.allow=root-user, which the runtime class passes on
# (pod_annotations).  Without the annotation the refusal must reach the CRI
# client as rampart's one-line message.

load helpers

IMAGE=localhost/rampart-cri-busybox:test
CLIENT="$ENGINES_DIR/cri/cri-client.py"
# The shim's --root for the runtime class: its Root plus the namespace.
STATE=/run/containerd/rampart/k8s.io

# contrib_k8s handler|waiver: what a kubelet would send for a pod of
# contrib/kubernetes/runtimeclass.yaml: the RuntimeClass's handler, and the
# rampart.allow annotation of the example pod there.
contrib_k8s() {
	/usr/bin/python3 - "$SRCDIR/contrib/kubernetes/runtimeclass.yaml" "$1" <<-'EOF'
	import sys, yaml
	docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
	rc = next(d for d in docs if d["kind"] == "RuntimeClass")
	pod = next(d for d in docs if d["kind"] == "Pod")
	assert pod["spec"]["runtimeClassName"] == rc["metadata"]["name"], "the example pod uses another class"
	print(rc["handler"] if sys.argv[2] == "handler" else pod["metadata"]["annotations"]["rampart.allow"])
	EOF
}

setup_file() {
	[ "$(id -u)" = 0 ] || return 0
	command -v containerd >/dev/null && command -v ctr >/dev/null || return 0
	command -v protoc >/dev/null && /usr/bin/python3 -c 'import grpc' 2>/dev/null || return 0
	command -v jq >/dev/null || return 0
	export ENG_DIR="$BATS_FILE_TMPDIR/cri"
	export CRI_PB_DIR="$ENG_DIR/pb"
	export CGPARENT="/rampart-cri-test-$$"
	HANDLER=$(contrib_k8s handler) && EXAMPLE_WAIVER=$(contrib_k8s waiver) || return 1
	export HANDLER EXAMPLE_WAIVER
	mkdir -p "$ENG_DIR"/{cni,logs}
	ns_start "$ENG_DIR"
	echo "$NS_PID" >"$ENG_DIR/ns.pid"

	node_policy true

	# containerd's CRI wants an address for the pod's default interface
	# (eth0); "static" is IPAM only: it assigns one and creates nothing.
	cat >"$ENG_DIR/cni/10-rampart-test.conflist" <<-EOF
	{
	  "cniVersion": "1.0.0",
	  "name": "rampart-cri-test",
	  "plugins": [
	    { "type": "loopback" },
	    { "type": "static", "ipam": { "type": "static",
	      "addresses": [ { "address": "10.254.254.2/24" } ] } }
	  ]
	}
	EOF

	start_cri_containerd main
	local rootfs
	rootfs=$(busybox_rootfs) && [ -x "$rootfs/bin/busybox" ] || { echo "no busybox rootfs" >&2; return 1; }
	make_oci_image "$rootfs" "$ENG_DIR/image.tar" "$IMAGE" '["/bin/sleep","2147483647"]'
	in_ns ctr --address "$ENG_DIR/main/containerd.sock" --namespace k8s.io images import "$ENG_DIR/image.tar" >/dev/null
}

teardown_file() {
	[ -n "${ENG_DIR:-}" ] && [ -f "$ENG_DIR/ns.pid" ] || return 0
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	stop_containerd main
	ns_stop
	# The pods' parent cgroup: the kubelet's to remove, here the test's.
	local h
	for h in /sys/fs/cgroup/*/; do
		[ -d "$h$CGPARENT" ] && rmdir "$h$CGPARENT"
	done
	true
}

# start_cri_containerd NAME: start_containerd with a node's CRI settings,
# then wait for the CRI plugin (the socket serves before it is ready).
start_cri_containerd() {
	local dir="$ENG_DIR/$1"
	CONTAINERD_EXTRA_CONFIG=$(cat <<-EOF
		[plugins."io.containerd.grpc.v1.cri"]
		  # No network: the pod image is imported, never pulled.
		  sandbox_image = "$IMAGE"
		  # The sandbox asks for oom_score_adj -998, and lowering it needs
		  # CAP_SYS_RESOURCE, which this machine's bounding set lacks (runc
		  # fails the same way); keep containerd's own value instead.
		  restrict_oom_score_adj = true
		  [plugins."io.containerd.grpc.v1.cri".cni]
		    bin_dir = "/usr/lib/cni"
		    conf_dir = "$ENG_DIR/cni"
		  # The node's default runtime, as containerd's default config has it.
		  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
		    runtime_type = "io.containerd.runc.v2"
		EOF
	) start_containerd "$1" || return 1
	SOCK="$dir/containerd.sock" wait_for cri version >/dev/null 2>&1 ||
		{ grep -F 'grpc.v1.cri' "$dir/containerd.log" >&2; return 1; }
}

setup() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	command -v containerd >/dev/null || skip "containerd is not installed (apt-get install containerd)"
	command -v ctr >/dev/null || skip "ctr is missing (apt-get install containerd)"
	command -v protoc >/dev/null || skip "protoc is missing (apt-get install protobuf-compiler)"
	/usr/bin/python3 -c 'import grpc' 2>/dev/null || skip "python3-grpcio is missing (apt-get install python3-grpcio)"
	command -v jq >/dev/null || skip "jq is missing (apt-get install jq)"
	NS_PID=$(cat "$ENG_DIR/ns.pid")
	SOCK="$ENG_DIR/main/containerd.sock"
	NAME="rpt-cri-$BATS_TEST_NUMBER-$$"
}

# node_policy WAIVABLE: the operator's /etc/rampart/policy.json (in the
# private namespace): hardened, root-user waivable per pod or not.
node_policy() {
	in_ns sh -c 'mkdir -p /etc/rampart && cat >/etc/rampart/policy.json' <<-EOF
	{
	  "version": 1,
	  "preset": "hardened",
	  "description": "rampart engine test (cri.bats): CRI in containerd 1.6 has no user namespaces",
	  "rules": { "root-user": { "mode": "enforce", "waivable": $1 } }
	}
	EOF
}

cri() { /usr/bin/python3 "$CLIENT" --socket "$SOCK" "$@"; }
rp() { in_ns "$RAMPART" --root "$STATE" "$@"; }
state_ls() { in_ns sh -c "ls $STATE 2>/dev/null"; }
state_empty() { [ -z "$(state_ls)" ]; }
# Cgroups below the pods' parent, in every hierarchy (v1 controllers,
# name=systemd and the unified one).
cgroups_left() {
	local h
	for h in /sys/fs/cgroup/*/; do
		find "$h$CGPARENT" -mindepth 1 -type d 2>/dev/null
	done
}
# The pid rampart's state records for a container.
pid_of() { rp state "$1" | jq -r .pid; }
# A field of a container's CRI status.
cstatus() { cri status "$1" | jq -r ".status.$2"; }
# A namespace of a process; "self" is the test's: the host's (but for mnt).
ns_of() { readlink "/proc/$1/ns/$2"; }

# pod_config FILE NAME [WAIVER]: a PodSandboxConfig like the kubelet's
# for a pod with runtimeClassName rampart; WAIVER is the value of its
# annotation rampart.allow ("" for none).
pod_config() {
	local file="$1" name="$2" waiver="${3-$EXAMPLE_WAIVER}" ann='{}'
	[ -n "$waiver" ] && ann=$(jq -n --arg w "$waiver" '{"rampart.allow": $w}')
	mkdir -p "$ENG_DIR/logs/$name"
	jq -n --arg name "$name" --arg logs "$ENG_DIR/logs/$name" --arg cg "$CGPARENT" \
		--argjson ann "$ann" '{
		metadata: {name: $name, uid: ("uid-" + $name), namespace: "rampart-test", attempt: 0},
		hostname: ("host-" + $name),
		log_directory: $logs,
		labels: {test: "cri.bats"},
		annotations: $ann,
		linux: {cgroup_parent: $cg,
			security_context: {namespace_options: {network: "POD", pid: "CONTAINER", ipc: "POD"}}}
	}' >"$file"
}

# container_config FILE NAME RESOURCES_JSON CMD...
container_config() {
	local file="$1" name="$2" res="$3"; shift 3
	jq -n --arg name "$name" --arg image "$IMAGE" --argjson res "$res" '{
		metadata: {name: $name, attempt: 0},
		image: {image: $image},
		command: $ARGS.positional,
		log_path: ($name + ".log"),
		linux: {resources: $res,
			security_context: {namespace_options: {network: "POD", pid: "CONTAINER", ipc: "POD"}}}
	}' --args -- "$@" >"$file"
}

# pod_up [WAIVER]: run a pod sandbox under the runtime class rampart; sets
# POD (its id), POD_PID (its process) and POD_CONFIG.
pod_up() {
	POD_CONFIG="$BATS_TEST_TMPDIR/pod.json"
	pod_config "$POD_CONFIG" "$NAME" "$@"
	POD=$(cri run-pod "$POD_CONFIG" --runtime "$HANDLER")
	POD_PID=$(pid_of "$POD")
	[ "$POD_PID" -gt 0 ]
}

# ctr_up NAME RESOURCES_JSON CMD...: create and start a container in POD;
# sets CID and CPID.
ctr_up() {
	local cfg="$BATS_TEST_TMPDIR/$1.json"
	container_config "$cfg" "$@"
	CID=$(cri create "$POD" "$cfg" "$POD_CONFIG")
	cri start "$CID"
	CPID=$(pid_of "$CID")
	[ "$CPID" -gt 0 ]
}

# exec_split ID -- CMD...: ExecSync, its stderr in $BATS_TEST_TMPDIR/stderr.
exec_split() { cri exec-sync "$@" 2>"$BATS_TEST_TMPDIR/stderr"; }

pod_down() {
	cri stop-pod "$POD" && cri remove-pod "$POD"
}

# The leak check: no pod left, no rampart state, no process in the test's
# cgroups, no cgroup below the pods' parent.
teardown() {
	[ -n "${NS_PID:-}" ] || return 0
	local leaks="" p left
	node_policy true
	left=$(cri pods | jq -r '.items[].id')
	[ -n "$left" ] && leaks+="pods left: $left"$'\n'
	for p in $left; do
		cri stop-pod "$p" >/dev/null 2>&1
		cri remove-pod "$p" >/dev/null 2>&1
	done
	wait_for state_empty || leaks+="rampart state left: $(state_ls)"$'\n'
	wait_for eval '[ -z "$(procs_of "$CGPARENT")" ]' || leaks+="processes left: $(procs_of "$CGPARENT")"$'\n'
	wait_for eval '[ -z "$(cgroups_left)" ]' || leaks+="cgroups left: $(cgroups_left)"$'\n'
	if [ -n "$leaks" ]; then
		echo "LEAK after test: $leaks" >&3
		return 1
	fi
}

@test "cri: the node config carries contrib's runtime class; the CRI API answers" {
	run in_ns containerd --config "$ENG_DIR/main/config.toml" config dump
	[ "$status" -eq 0 ]
	[[ "$output" == *'containerd.runtimes.rampart.options]'* ]]
	[[ "$output" == *'BinaryName = "/usr/local/bin/rampart"'* ]]
	[[ "$output" == *'Root = "/run/containerd/rampart"'* ]]
	[[ "$output" == *'pod_annotations = ["rampart.allow"]'* ]]
	[[ "$output" == *"sandbox_image = \"$IMAGE\""* ]]
	run cri version
	[ "$status" -eq 0 ]
	[ "$(jq -r .runtime_name <<<"$output")" = containerd ]
	[ "$(jq -r .runtime_api_version <<<"$output")" = v1 ]
	run cri image-status "$IMAGE"
	[ "$status" -eq 0 ]
	[[ "$(jq -r '.image.repo_tags[]' <<<"$output")" == *"$IMAGE"* ]]
}

@test "cri: contrib's RuntimeClass, containerd and CRI-O snippets agree on the handler and the binary" {
	# CRI-O is not packaged for Debian 12: its snippet is checked for what
	# the kubelet and CRI-O would read from it, here and nowhere else.
	run /usr/bin/python3 - "$SRCDIR/contrib" "$HANDLER" <<-'EOF'
	import sys, tomllib
	contrib, handler = sys.argv[1:3]
	ctd = tomllib.load(open(contrib + "/containerd/config.toml", "rb"))
	rt = ctd["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]
	assert list(rt) == [handler], rt
	assert rt[handler]["runtime_type"] == "io.containerd.runc.v2", rt
	crio = tomllib.load(open(contrib + "/cri-o/10-rampart.conf", "rb"))["crio"]["runtime"]["runtimes"]
	assert list(crio) == [handler], crio
	assert crio[handler]["runtime_path"] == rt[handler]["options"]["BinaryName"], crio
	assert crio[handler]["runtime_type"] == "oci", crio
	print(crio[handler]["runtime_path"])
	EOF
	echo "$output"
	[ "$status" -eq 0 ]
	# The path the snippets name is where `make install` puts the binary
	# (in this test's namespace: the binary under test).
	[ "$(in_ns readlink -f "$output")" = "$(readlink -f "$RAMPART")" ]
}

@test "cri: RunPodSandbox with handler rampart: rampart runs the sandbox in namespaces of its own" {
	pod_up
	run cri pod-status "$POD"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status.state <<<"$output")" = SANDBOX_READY ]
	[ "$(jq -r .status.runtime_handler <<<"$output")" = rampart ]
	# rampart's own state: the shim ran the binary under test.
	run rp state "$POD"
	[ "$status" -eq 0 ]
	[ "$(jq -r .status <<<"$output")" = running ]
	local bundle; bundle=$(jq -r .bundle <<<"$output")
	alive "$POD_PID"
	[ "$(cat "/proc/$POD_PID/comm")" = sleep ]
	# The waiver came through the runtime class's pod_annotations.
	[ "$(in_ns jq -r '.annotations["rampart.allow"]' "$bundle/config.json")" = root-user ]
	local t
	for t in net ipc uts pid mnt; do
		[ "$(ns_of "$POD_PID" $t)" != "$(ns_of self $t)" ]
	done
	# No user namespace: the host's root, which the waiver allowed.
	[ "$(ns_of "$POD_PID" user)" = "$(ns_of self user)" ]
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$POD_PID/status")" = 0 ]
	# The hostname of the pod, in its own uts namespace; the cgroup below the
	# pod's parent.
	[ "$(nsenter -t "$POD_PID" -u hostname)" = "host-$NAME" ]
	[ "$(cgroup_of "$POD_PID" memory)" = "$CGPARENT/$POD" ]
	pod_down
}

@test "cri: CreateContainer, StartContainer: the container joins the sandbox's net, ipc, uts by path" {
	pod_up
	local cfg="$BATS_TEST_TMPDIR/c1.json"
	container_config "$cfg" c1 '{}' sh -c 'echo started; exec sleep 1000'
	CID=$(cri create "$POD" "$cfg" "$POD_CONFIG")
	[ "$(cstatus "$CID" state)" = CONTAINER_CREATED ]
	cri start "$CID"
	[ "$(cstatus "$CID" state)" = CONTAINER_RUNNING ]
	run rp state "$CID"
	[ "$(jq -r .status <<<"$output")" = running ]
	CPID=$(jq -r .pid <<<"$output")
	local bundle; bundle=$(jq -r .bundle <<<"$output")
	alive "$CPID"
	# The kubelet's layout: net, ipc and uts are the sandbox's, named by
	# path in config.json; mnt and pid (pid: CONTAINER) are the container's.
	local t
	for t in net ipc uts; do
		[ "$(in_ns jq -r --arg t "${t/net/network}" '.linux.namespaces[] | select(.type == $t) | .path' "$bundle/config.json")" = "/proc/$POD_PID/ns/$t" ]
		[ "$(ns_of "$CPID" $t)" = "$(ns_of "$POD_PID" $t)" ]
	done
	for t in mnt pid; do
		[ "$(ns_of "$CPID" $t)" != "$(ns_of "$POD_PID" $t)" ]
		[ "$(ns_of "$CPID" $t)" != "$(ns_of self $t)" ]
	done
	# pid 1 of its own pid namespace; the sandbox's hostname.
	[ "$(awk '/^NSpid:/ {print $NF}' "/proc/$CPID/status")" = 1 ]
	[ "$(nsenter -t "$CPID" -u hostname)" = "host-$NAME" ]
	[ "$(cgroup_of "$CPID" memory)" = "$CGPARENT/$CID" ]
	# Its stdout reaches the CRI log file.
	wait_for grep -q started "$ENG_DIR/logs/$NAME/c1.log"
	cri stop "$CID"
	cri remove "$CID"
	pod_down
}

@test "cri: ExecSync returns stdout, stderr and the exit code; it runs inside the container" {
	pod_up
	ctr_up c1 '{}' sleep 1000
	run exec_split "$CID" -- sh -c 'echo out; echo err >&2; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = out ]
	# (the last line: see the next test for what may precede it)
	[ "$(tail -n 1 "$BATS_TEST_TMPDIR/stderr")" = err ]
	run exec_split "$CID" -- sh -c 'hostname; cat /proc/1/comm; echo $$'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "host-$NAME" ]
	[ "${lines[1]}" = sleep ]
	[ "${lines[2]}" -gt 1 ]
	# exec processes are gone once ExecSync returns.
	[ "$(procs_of "$CID" | wc -l)" -eq 1 ]
	cri stop "$CID"
	cri remove "$CID"
	pod_down
}

@test "cri: rampart's policy warnings go to its log, not to the container's stderr (pod log, ExecSync)" {
	pod_up
	ctr_up c1 '{}' sh -c 'echo hello; exec sleep 1000'
	local bundle; bundle=$(rp state "$CID" | jq -r .bundle)
	# The waiver is logged where the shim keeps rampart's log...
	in_ns grep -q "container '$CID': waiver used: .*\\[root-user\\]" "$bundle/log.json"
	# ...and the container's stderr, which the shim hands to create and
	# exec, carries only what the container writes.
	wait_for grep -q hello "$ENG_DIR/logs/$NAME/c1.log"
	run grep -F rampart "$ENG_DIR/logs/$NAME/c1.log"
	echo "$output"
	[ "$status" -eq 1 ]
	run exec_split "$CID" -- true
	[ "$status" -eq 0 ]
	cat "$BATS_TEST_TMPDIR/stderr"
	[ ! -s "$BATS_TEST_TMPDIR/stderr" ]
	cri stop "$CID"
	cri remove "$CID"
	pod_down
}

@test "cri: UpdateContainerResources: memory limit, cpu shares and quota reach the v1 cgroup" {
	pod_up
	ctr_up c1 '{"memory_limit_in_bytes": 268435456, "cpu_shares": 1024}' sleep 1000
	local mem cpu
	mem="/sys/fs/cgroup/memory$(cgroup_of "$CPID" memory)"
	cpu="/sys/fs/cgroup/cpu$(cgroup_of "$CPID" cpu)"
	[ "$(cat "$mem/memory.limit_in_bytes")" = 268435456 ]
	[ "$(cat "$cpu/cpu.shares")" = 1024 ]
	echo '{"memory_limit_in_bytes": 67108864, "cpu_shares": 512, "cpu_period": 100000, "cpu_quota": 50000}' >"$BATS_TEST_TMPDIR/res.json"
	run cri update-resources "$CID" "$BATS_TEST_TMPDIR/res.json"
	[ "$status" -eq 0 ]
	[ "$(cat "$mem/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$cpu/cpu.shares")" = 512 ]
	[ "$(cat "$cpu/cpu.cfs_period_us")" = 100000 ]
	[ "$(cat "$cpu/cpu.cfs_quota_us")" = 50000 ]
	# The same process, still running, still in that cgroup.
	alive "$CPID"
	grep -qx "$CPID" "$mem/cgroup.procs"
	run cri status "$CID"
	[ "$(jq -r .status.resources.linux.memory_limit_in_bytes <<<"$output")" = 67108864 ]
	cri stop "$CID"
	cri remove "$CID"
	pod_down
}

@test "cri: StopContainer, RemoveContainer, StopPodSandbox, RemovePodSandbox leave nothing behind" {
	pod_up
	ctr_up c1 '{}' sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
	local ccg; ccg=$(cgroup_of "$CPID" memory)
	# StopContainer: SIGTERM first; the container's own exit code.
	cri stop "$CID" --timeout 30
	[ "$(cstatus "$CID" state)" = CONTAINER_EXITED ]
	[ "$(cstatus "$CID" exit_code)" = 7 ]
	wait_for eval '! alive '"$CPID"
	wait_for eval '! rp state '"$CID"' >/dev/null 2>&1'
	wait_for eval '[ ! -d /sys/fs/cgroup/memory'"$ccg"' ]'
	alive "$POD_PID"
	cri remove "$CID"
	run cri ps --pod "$POD"
	[ "$(jq '.containers | length' <<<"$output")" = 0 ]
	# A container that ignores SIGTERM (pid 1 without a handler) is killed
	# when the grace period ends.
	ctr_up c2 '{}' sleep 1000
	cri stop "$CID" --timeout 1
	[ "$(cstatus "$CID" exit_code)" = 137 ]
	cri remove "$CID"
	# StopPodSandbox: the sandbox process goes, the pod stays, not ready.
	local netns; netns=$(cri pod-status "$POD" --verbose | jq -r '.info.info | fromjson | .runtimeSpec.linux.namespaces[] | select(.type == "network") | .path')
	cri stop-pod "$POD"
	wait_for eval '! alive '"$POD_PID"
	[ "$(cri pod-status "$POD" | jq -r .status.state)" = SANDBOX_NOTREADY ]
	wait_for state_empty
	# RemovePodSandbox: gone from the CRI, no state, no cgroup, no netns.
	cri remove-pod "$POD"
	[ "$(cri pods | jq '.items | length')" = 0 ]
	run cri pod-status "$POD"
	[ "$status" -eq 125 ]
	[[ "$output" == *NOT_FOUND* ]]
	state_empty
	[ -z "$(cgroups_left)" ]
	[ -n "$netns" ]
	in_ns test ! -e "$netns"
}

@test "cri: a container that exits on its own: CONTAINER_EXITED with its exit code, then removed" {
	pod_up
	local cfg="$BATS_TEST_TMPDIR/c1.json"
	container_config "$cfg" c1 '{}' sh -c 'echo bye; exit 3'
	CID=$(cri create "$POD" "$cfg" "$POD_CONFIG")
	cri start "$CID"
	wait_for eval '[ "$(cstatus "$CID" state)" = CONTAINER_EXITED ]'
	[ "$(cstatus "$CID" exit_code)" = 3 ]
	[ "$(cstatus "$CID" reason)" = Error ]
	grep -q bye "$ENG_DIR/logs/$NAME/c1.log"
	wait_for eval '! rp state '"$CID"' >/dev/null 2>&1'
	cri remove "$CID"
	alive "$POD_PID"
	pod_down
}

@test "cri: a pod that runs as a non-root user needs no waiver" {
	POD_CONFIG="$BATS_TEST_TMPDIR/pod.json"
	pod_config "$POD_CONFIG" "$NAME" ""
	jq '.linux.security_context.run_as_user = {value: 65534}' "$POD_CONFIG" >"$POD_CONFIG.new"
	mv "$POD_CONFIG.new" "$POD_CONFIG"
	POD=$(cri run-pod "$POD_CONFIG" --runtime "$HANDLER")
	POD_PID=$(pid_of "$POD")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$POD_PID/status")" = 65534 ]
	local cfg="$BATS_TEST_TMPDIR/c1.json"
	container_config "$cfg" c1 '{}' sleep 1000
	jq '.linux.security_context.run_as_user = {value: 65534}' "$cfg" >"$cfg.new"
	mv "$cfg.new" "$cfg"
	CID=$(cri create "$POD" "$cfg" "$POD_CONFIG")
	cri start "$CID"
	CPID=$(pid_of "$CID")
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$CPID/status")" = 65534 ]
	run exec_split "$CID" -- id -u
	[ "$status" -eq 0 ]
	[ "$output" = 65534 ]
	# Nothing was waived.
	local bundle; bundle=$(rp state "$CID" | jq -r .bundle)
	! in_ns grep -q "waiver used" "$bundle/log.json"
	cri stop "$CID"
	cri remove "$CID"
	pod_down
}

@test "cri: without the waiver the sandbox is refused; rampart's one-line reason reaches the CRI client" {
	pod_config "$BATS_TEST_TMPDIR/pod.json" "$NAME" ""
	run cri run-pod "$BATS_TEST_TMPDIR/pod.json" --runtime "$HANDLER"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "cri-client: RunPodSandbox: "* ]]
	[[ "$output" == *"OCI runtime create failed: refusing '"* ]]
	[[ "$output" == *"[root-user]"* ]]
	[[ "$output" == *"rampart.allow=root-user"* ]]
	# Nothing of it is left: the leak check of teardown.
}

@test "cri: a waiver the node's policy does not permit refuses the pod, and says so" {
	node_policy false
	pod_config "$BATS_TEST_TMPDIR/pod.json" "$NAME" root-user
	run cri run-pod "$BATS_TEST_TMPDIR/pod.json" --runtime "$HANDLER"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"OCI runtime create failed: refusing '"* ]]
	[[ "$output" == *"annotation rampart.allow waives 'root-user' but /etc/rampart/policy.json does not permit waiving it"* ]]
	[[ "$output" == *"[waiver-not-permitted]"* ]]
}

@test "cri: a container asking for CAP_SYS_ADMIN in a waived pod is refused at StartContainer" {
	pod_up
	local cfg="$BATS_TEST_TMPDIR/c1.json"
	container_config "$cfg" c1 '{}' sleep 1000
	jq '.linux.security_context.capabilities = {add_capabilities: ["SYS_ADMIN"]}' "$cfg" >"$cfg.new"
	mv "$cfg.new" "$cfg"
	CID=$(cri create "$POD" "$cfg" "$POD_CONFIG")
	run cri start "$CID"
	[ "$status" -eq 125 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"refusing '$CID'"* ]]
	[[ "$output" == *"[dangerous-capabilities]"* ]]
	# The pod is unharmed; the refused container left no rampart state.
	alive "$POD_PID"
	run rp state "$CID"
	[ "$status" -ne 0 ]
	cri remove "$CID"
	pod_down
}
