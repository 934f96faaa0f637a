# Helpers for the guest suites (busybox sh).  Each test is a function run in
# a subshell; its output is shown only when it fails.
PASS=0; FAIL=0
RP="rampart --root /run/rampart"
t() {
	name=$1; shift
	if ( "$@" ) >/tmp/t.out 2>&1; then
		echo "RPVM ok $name"; PASS=$((PASS + 1))
	else
		echo "RPVM not ok $name"; FAIL=$((FAIL + 1))
		tail -20 /tmp/t.out | sed 's/^/RPVM #   /'
	fi
	# never let one test's container leak into the next
	for c in $($RP list -q 2>/dev/null); do $RP delete --force "$c" >/dev/null 2>&1; done
}
skip() { echo "RPVM skip $1: $2"; }
# Each test runs in a subshell: fail ends it.  (set -e would be ignored: the
# test runs in the condition of an if.)
fail() { echo "FAIL: $*"; exit 1; }
must() { "$@" || fail "command failed: $*"; }
# cgroup directory (under /sys/fs/cgroup) of a container's init
cgdir() {
	pid=$($RP state "$1" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	echo "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)"
}
status_of() { $RP state "$1" | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p'; }
wait_stopped() {
	i=0
	while [ "$(status_of "$1")" != stopped ]; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "$1 did not stop"; sleep 0.1
	done
}
