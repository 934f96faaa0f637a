# Helpers for the guest suites (busybox sh).  Each test is a function run in
# a subshell; its output is shown only when it fails.
PASS=0; FAIL=0
RP="rampart --root /run/rampart"
# rpvm_only=NAME,NAME on the kernel command line (VM_ONLY=... for run.sh)
# runs just those tests.
ONLY=$(sed -n 's/.*rpvm_only=\([^ ]*\).*/\1/p' /proc/cmdline)
t() {
	name=$1; shift
	if [ -n "$ONLY" ] && ! echo ",$ONLY," | grep -q ",$name,"; then return 0; fi
	started=$(date +%s)
	# A watchdog: one stuck test must not eat the whole VM's time budget.
	( "$@" ) >/tmp/t.out 2>&1 &
	tpid=$!
	( sleep "${T_TIMEOUT:-60}"; echo "FAIL: timed out after ${T_TIMEOUT:-60}s" >>/tmp/t.out; kill -9 $tpid ) 2>/dev/null &
	wpid=$!
	wait $tpid; rc=$?
	kill $wpid 2>/dev/null; wait $wpid 2>/dev/null
	echo "RPVM # $name took $(( $(date +%s) - started ))s"
	if [ $rc -eq 0 ]; then
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
