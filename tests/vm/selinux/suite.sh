# SELinux labels, enforced (run by the guest's init as container_engine_t;
# busybox sh).  Each test prints through guest-lib.sh's t().
exec </dev/null >/dev/ttyS0 2>&1
export PATH=/bin:/sbin
. /tests/guest-lib.sh

# The label of a container's init, read from outside.
label_of() {
	pid=$($RP state "$1" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	[ -n "$pid" ] || fail "no pid for $1"
	tr -d '\0' </proc/$pid/attr/current
}
# mcs LABEL -> "cA,cB"
mcs() { echo "$1" | sed -n 's/.*:s0:\(c[0-9]*,c[0-9]*\)$/\1/p'; }
# Ask pid 1 to look for an AVC denial after the suite (the engine domain
# may not read the kernel log): NAME SCONTEXT TCONTEXT
expect_avc() { echo "$1 $2 $3" >>/run/avc-expect; }

# (init checked enforcing mode: this domain may not read it)
t_engine_domain() {
	case "$(cat /proc/self/attr/current)" in
	*:container_engine_t:*) ;;
	*) fail "the suite does not run as container_engine_t" ;;
	esac
}

# (1) process.selinuxLabel is applied: the container's process runs with it.
t_explicit_label() {
	rm -f /shared/label.out
	must $RP run --bundle /bundles/label label
	out=$(cat /shared/label.out)
	echo "label: $out"
	echo "$out" | grep -qx 'system_u:system_r:container_t:s0:c1,c2' ||
		fail "process label is not system_u:system_r:container_t:s0:c1,c2"
}

# linux.mountLabel labels the tmpfs mounts: a file the container creates in
# /tmp carries the mount's context (read from outside through /proc/PID/root).
t_mount_label() {
	must $RP create --bundle /bundles/${1:-mountlabel} ml
	must $RP start ml
	pid=$($RP state ml | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	i=0; while [ ! -e /proc/$pid/root/tmp/x ]; do i=$((i + 1)); [ $i -lt 100 ] || fail "no /tmp/x"; sleep 0.1; done
	echo "process $(label_of ml)"
	for f in /tmp/x /tmp /dev/shm; do
		l=$(sehelper getfile /proc/$pid/root$f) || fail "cannot read the label of $f"
		echo "$f: $l"
		[ "$l" = system_u:object_r:container_file_t:s0:c5,c6 ] || fail "$f is labelled $l"
	done
	$RP kill ml KILL; wait_stopped ml; must $RP delete ml
}

# A and B share /shared; A writes a file there (it gets A's categories) and
# sleeps; B, with other categories, must be denied reading it.
# two_containers BUNDLE_A BUNDLE_B TESTNAME
two_containers() {
	rm -f /shared/a-file /shared/b.out
	must $RP create --bundle /bundles/$1 a
	must $RP start a
	i=0; while [ ! -s /shared/a-file ]; do i=$((i + 1)); [ $i -lt 100 ] || fail "A never wrote its file"; sleep 0.1; done
	la=$(label_of a)
	echo "A: $la, file $(sehelper getfile /shared/a-file)"
	must $RP run --bundle /bundles/$2 b
	out=$(cat /shared/b.out)
	echo "B: $out"
	lb=$(echo "$out" | sed -n 's/^label=//p')
	case "$la" in *:container_t:s0:c*,c*) ;; *) fail "A's label $la is not container_t with an MCS pair" ;; esac
	case "$lb" in *:container_t:s0:c*,c*) ;; *) fail "B's label $lb is not container_t with an MCS pair" ;; esac
	[ "$(mcs "$la")" != "$(mcs "$lb")" ] || fail "A and B share the MCS pair $(mcs "$la")"
	echo "$out" | grep -q '^read=denied' || fail "B could read A's file"
	fa=$(sehelper getfile /shared/a-file)
	expect_avc "$3-avc" "$lb" "$fa"
	$RP kill a KILL; wait_stopped a; must $RP delete a
}

# (2) automatic labels: no selinuxLabel in the config; rampart picks
# container_t with an MCS pair of its own for each container.
t_auto_labels() { two_containers auto-a auto-b auto-labels; }
# The same separation with explicit labels (proves the harness even where
# automatic labels are missing).
t_explicit_pair() { two_containers explicit-a explicit-b explicit-pair; }

# (3) automatic pairs are reserved in the state directory under the root's
# lock: creates racing each other never share a pair, the reservation is
# the pair the process runs with, and delete frees it.
t_concurrent_pairs() {
	ids="p1 p2 p3 p4 p5 p6"
	for id in $ids; do $RP create --bundle /bundles/sleeper $id & done
	wait
	pairs=""
	for id in $ids; do
		must $RP start $id
		m=$(mcs "$(label_of $id)")
		[ -n "$m" ] || fail "$id runs without an MCS pair: $(label_of $id)"
		r=$(cat /run/rampart/$id/selinux-mcs) || fail "$id has no reservation"
		[ "$r" = "s0:$m" ] || fail "$id reserved '$r' but runs with $m"
		pairs="$pairs $m"
	done
	echo "pairs:$pairs"
	[ "$(echo $pairs | tr ' ' '\n' | sort -u | wc -l)" -eq 6 ] || fail "two containers share a pair:$pairs"
	for id in $ids; do
		must $RP delete --force $id
		[ ! -e /run/rampart/$id ] || fail "$id's state (and reservation) outlived delete"
	done
}

t engine-domain t_engine_domain
t explicit-label t_explicit_label
t mount-label t_mount_label
# (without the mqueue mount: tells a tmpfs labelling failure from an mqueue one)
t mount-label-nomq t_mount_label mountlabel-nomq
t explicit-pair t_explicit_pair
t auto-labels t_auto_labels
t concurrent-pairs t_concurrent_pairs
