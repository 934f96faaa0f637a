# Shared helpers for the engine tests: real container engines (podman with
# conmon, containerd with its runc shim) from Debian packages driving the
# rampart binary under test ($RAMPART, set by tests/engines/run.sh).
#
# Nothing global is changed.  Every engine runs inside a private mount
# namespace held open for the whole .bats file (ns_start / ns_stop) in which:
#   /etc            is an overlay whose upper layer adds /etc/subuid and
#                   /etc/subgid ("containers" ranges, for podman --userns=auto)
#   /usr/local/bin  is an overlay whose upper layer adds "rampart" -> $RAMPART,
#                   so the paths listed in contrib/ find the binary under test
#   /run            is an overlay (so /run/containerd, the shims' sockets,
#                   /run/runc stay private) and /run/rampart, rampart's
#                   default --root, is bound to $ENG_DIR/ns/state
# Storage, state, sockets and logs live under $ENG_DIR (a bats temp dir).
# The default --root has to be private because podman 4.3 drops
# --runtime-flag in its cleanup process: `run --rm` calls a bare
# `rampart delete --force ID`.

: "${RAMPART:?RAMPART must point at the rampart binary (run through tests/engines/run.sh)}"
ENGINES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRCDIR="$(cd "$ENGINES_DIR/../.." && pwd)"
CACHE_DIR="${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}"

# A busybox-static rootfs: the recipe and cache tests/integration uses.
busybox_rootfs() { bash "$SRCDIR/tests/lib/busybox-rootfs.sh" "$CACHE_DIR"; }

# ns_start DIR: start the namespace holder; sets NS_PID.
ns_start() {
	local dir="$1"
	mkdir -p "$dir"/ns/{etc-up,etc-work,bin-up,bin-work,state} "$dir/ns/run-up/rampart" "$dir/ns/run-up/containerd" "$dir/ns/run-work"
	echo "containers:200000:300000" >"$dir/ns/etc-up/subuid"
	echo "containers:200000:300000" >"$dir/ns/etc-up/subgid"
	ln -s "$RAMPART" "$dir/ns/bin-up/rampart"
	rm -f "$dir/ns/ready"
	unshare -m --propagation private sh -c "
		set -e
		mount -t overlay overlay -o lowerdir=/etc,upperdir=$dir/ns/etc-up,workdir=$dir/ns/etc-work /etc
		mount -t overlay overlay -o lowerdir=/usr/local/bin,upperdir=$dir/ns/bin-up,workdir=$dir/ns/bin-work /usr/local/bin
		mount -t overlay overlay -o lowerdir=/run,upperdir=$dir/ns/run-up,workdir=$dir/ns/run-work /run
		mount --bind $dir/ns/state /run/rampart
		touch $dir/ns/ready
		exec sleep infinity" </dev/null >"$dir/ns/log" 2>&1 3>&- &
	NS_PID=$!
	local i
	for i in $(seq 50); do [ -e "$dir/ns/ready" ] && return 0; sleep 0.1; done
	echo "namespace holder failed: $(cat "$dir/ns/log")" >&2
	return 1
}

ns_stop() { [ -n "${NS_PID:-}" ] && kill "$NS_PID" 2>/dev/null; wait "$NS_PID" 2>/dev/null; true; }

# in_ns CMD...: run CMD in the private mount namespace.
in_ns() { nsenter -t "$NS_PID" -m -- "$@"; }

# Processes whose cgroup path names the given container id.
procs_of() { grep -l -F -- "$1" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3; }

# wait_for COND_CMD...: retry for up to 10 s.
wait_for() {
	local i
	for i in $(seq 100); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# A process's cgroup path in one v1 hierarchy.
cgroup_of() { awk -F: -v c="$2" '$2 ~ "(^|,)" c "(,|$)" {print $3}' "/proc/$1/cgroup"; }

# --- containerd (containerd.bats, cri.bats) ---

# make_oci_image ROOTFS OUT.tar NAME [CMD_JSON]: build the image locally with
# umoci (an OCI image layout: ROOTFS as one layer, CMD_JSON, default ["sh"],
# as its Cmd, PATH set) and archive the layout for `ctr images import`.
# The layout's only tag is NAME, a full reference: ctr (1.6) names the
# imported image after an org.opencontainers.image.ref.name annotation that
# holds a full reference.  On failure (umoci or jq missing, a umoci step
# failing) it says why on stderr and returns non-zero.
make_oci_image() {
	local rootfs="$1" out="$2" name="$3" cmd="${4:-[\"sh\"]}" w a rc=0
	local -a cmdargs=()
	# cp -a "$rootfs/." below: an empty or wrong argument would copy the
	# host's root (it happened once and filled the disk).
	[ -n "$rootfs" ] && [ "$rootfs" != / ] && [ -x "$rootfs/bin/sh" ] ||
		{ echo "make_oci_image: '$rootfs' is not a rootfs with /bin/sh" >&2; return 1; }
	command -v umoci >/dev/null || { echo "umoci is not installed (apt-get install umoci)" >&2; return 1; }
	command -v jq >/dev/null || { echo "jq is not installed (apt-get install jq)" >&2; return 1; }
	while IFS= read -r -d '' a; do cmdargs+=(--config.cmd "$a"); done \
		< <(jq -j '.[] | (., "\u0000")' <<<"$cmd")
	w=$(mktemp -d)
	# An && chain, not set -e: callers may run this under `|| skip`.
	{
		umoci init --layout "$w/layout" &&
		umoci new --image "$w/layout:build" &&
		umoci unpack --image "$w/layout:build" "$w/bundle" &&
		cp -a "$rootfs/." "$w/bundle/rootfs/" &&
		umoci repack --image "$w/layout:build" "$w/bundle" &&
		umoci config --image "$w/layout:build" --config.env PATH=/bin:/usr/bin "${cmdargs[@]}" &&
		umoci tag --image "$w/layout:build" "$name" &&
		umoci rm --image "$w/layout:build" &&
		umoci gc --layout "$w/layout" &&
		tar -C "$w/layout" -cf "$out" oci-layout index.json blobs
	} >"$w.log" 2>&1 || rc=$?
	[ "$rc" -eq 0 ] || cat "$w.log" >&2
	rm -rf "$w" "$w.log"
	return "$rc"
}

# start_containerd NAME [ENV=VALUE...]: a containerd with its own
# config/root/state/socket under $ENG_DIR/NAME, run with the ENV given.  Its
# config.toml is what an operator writes: the node's settings (the private
# paths, then $CONTAINERD_EXTRA_CONFIG, TOML, if set) with the tables of
# contrib/containerd/config.toml pasted in, as that file says to do.  (Not
# through `imports`: containerd 1.6 merges an imported file per plugin, so
# its CRI table would replace the node's whole CRI table.)
start_containerd() {
	local name="$1" dir="$ENG_DIR/$1"; shift
	mkdir -p "$dir"
	{
		cat <<-EOF
		version = 2
		root = "$dir/root"
		state = "$dir/state"
		[grpc]
		  address = "$dir/containerd.sock"
		[ttrpc]
		  address = "$dir/containerd.sock.ttrpc"
		[debug]
		  address = ""
		[metrics]
		  address = ""
		EOF
		[ -z "${CONTAINERD_EXTRA_CONFIG:-}" ] || printf '%s\n' "$CONTAINERD_EXTRA_CONFIG"
		echo
		echo "# --- contrib/containerd/config.toml, as shipped ---"
		grep -v '^version *=' "$SRCDIR/contrib/containerd/config.toml"
	} >"$dir/config.toml"
	# nsenter and env exec: $! is containerd's pid.
	nsenter -t "$NS_PID" -m -- env "$@" containerd --config "$dir/config.toml" \
		</dev/null >"$dir/containerd.log" 2>&1 3>&- &
	echo $! >"$dir/containerd.pid"
	wait_for test -S "$dir/containerd.sock" || { cat "$dir/containerd.log" >&2; return 1; }
}

# Alive and not a zombie (its parent, a bats shell, may never reap it).
alive() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat" 2>/dev/null; }

stop_containerd() {
	local dir="$ENG_DIR/$1" pid
	[ -f "$dir/containerd.pid" ] || return 0
	pid=$(cat "$dir/containerd.pid")
	kill "$pid" 2>/dev/null
	# containerd 1.6 may take ~10 s to exit on TERM; it has no task left.
	local i
	for i in $(seq 20); do alive "$pid" || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -f "$dir/containerd.pid"
	! alive "$pid"
}
