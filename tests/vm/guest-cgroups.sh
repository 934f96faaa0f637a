# cgroup v2 limits, set and enforced (pure v2, every controller).

t_hardened() {
	out=$($RP run --bundle /bundles/hardened hardened) || fail "run failed: $out"
	echo "$out"
	echo "$out" | grep -qx 0 || fail "not uid 0 in its user namespace"
	echo "$out" | grep -q 'Seccomp:.*2' || fail "no seccomp filter"
}

t_memory_oom() {
	$RP events memory >/tmp/events.out 2>&1 &
	evpid=$!
	must $RP create --bundle /bundles/memory memory
	kill $evpid 2>/dev/null; wait $evpid 2>/dev/null
	$RP events memory >/tmp/events.out 2>&1 &
	evpid=$!
	cg=$(cgdir memory)
	[ "$(cat $cg/memory.max)" = 33554432 ] || fail "memory.max is $(cat $cg/memory.max)"
	[ "$(cat $cg/memory.swap.max)" = 0 ] || fail "memory.swap.max is $(cat $cg/memory.swap.max)"
	must $RP start memory
	wait_stopped memory
	grep oom_kill $cg/memory.events
	[ "$(sed -n 's/^oom_kill //p' $cg/memory.events)" -ge 1 ] || fail "no OOM kill recorded"
	sleep 1; kill $evpid 2>/dev/null; wait $evpid 2>/dev/null
	cat /tmp/events.out
	grep -q '"type": *"oom"' /tmp/events.out || fail "events did not report the OOM"
	must $RP delete memory
	[ ! -d "$cg" ] || fail "cgroup left behind"
}

t_pids_max() {
	must $RP create --bundle /bundles/pids pids
	cg=$(cgdir pids)
	[ "$(cat $cg/pids.max)" = 8 ] || fail "pids.max is $(cat $cg/pids.max)"
	must $RP start pids
	wait_stopped pids
	cat $cg/pids.events
	[ "$(sed -n 's/^max //p' $cg/pids.events)" -ge 1 ] || fail "fork never hit pids.max"
	must $RP delete pids
}

t_cpu_max() {
	must $RP create --bundle /bundles/cpu cpu
	cg=$(cgdir cpu)
	[ "$(cat $cg/cpu.max)" = "20000 100000" ] || fail "cpu.max is $(cat $cg/cpu.max)"
	must $RP start cpu
	wait_stopped cpu
	cat $cg/cpu.stat
	usage=$(sed -n 's/^usage_usec //p' $cg/cpu.stat)
	thr=$(sed -n 's/^nr_throttled //p' $cg/cpu.stat)
	periods=$(sed -n 's/^nr_periods //p' $cg/cpu.stat)
	# The quota holds when the cgroup never used more than 20 ms of CPU per
	# 100 ms period it was active (10% slack for accounting granularity);
	# without it, the busy loop alone would use 100 ms per period.
	[ "$thr" -gt 0 ] || fail "never throttled"
	[ "$usage" -le $((periods * 22000 + 20000)) ] || fail "used $usage us in $periods periods of a 20000/100000 quota"
	must $RP delete cpu
}

t_cpuset() {
	[ "$(nproc)" -ge 2 ] || fail "guest has one CPU"
	out=$($RP run --bundle /bundles/cpuset cpuset) || fail "run failed: $out"
	echo "$out"
	echo "$out" | grep -q 'Cpus_allowed_list:[[:space:]]*1$' || fail "not pinned to CPU 1"
}

# Every knob of linux.resources that has a v2 file, with the spec's
# conversions: shares -> weight = 1 + (shares - 2) * 9999 / 262142, and
# memory.swap.max = swap - limit (the spec's swap is memory + swap).
t_all_resources() {
	must $RP run -d --bundle /bundles/resources resources
	cg=$(cgdir resources)
	check() { [ "$(cat $cg/$1)" = "$2" ] || fail "$1 is '$(cat $cg/$1)', expected '$2'"; }
	check memory.max 67108864
	check memory.low 16777216
	check memory.swap.max 33554432
	check memory.high 50331648
	check cpu.weight 39
	check cpu.max "50000 100000"
	check cpu.max.burst 10000
	check pids.max 50
	# blkio weight (10..1000) onto io.weight (1..10000): 1 + (200 - 10) * 9999 / 990 = 1920
	grep -q '^default 1920$' $cg/io.weight $cg/io.bfq.weight 2>/dev/null || fail "io weight not 1920: $(cat $cg/io.weight $cg/io.bfq.weight 2>&1)"
	must $RP delete --force resources
	[ ! -d "$cg" ] || fail "cgroup left behind"
}

# cpu.idle on its own bundle: an idle cgroup ignores cpu.weight.
t_cpu_idle() {
	must $RP run -d --bundle /bundles/idle idle
	cg=$(cgdir idle)
	[ "$(cat $cg/cpu.idle)" = 1 ] || fail "cpu.idle is $(cat $cg/cpu.idle)"
	must $RP delete --force idle
}

t_hugetlb() {
	must $RP run -d --bundle /bundles/hugetlb hugetlb
	cg=$(cgdir hugetlb)
	[ "$(cat $cg/hugetlb.2MB.max)" = 4194304 ] || fail "hugetlb.2MB.max is $(cat $cg/hugetlb.2MB.max)"
	if [ -f $cg/hugetlb.2MB.rsvd.max ]; then
		[ "$(cat $cg/hugetlb.2MB.rsvd.max)" = 4194304 ] || fail "rsvd.max is $(cat $cg/hugetlb.2MB.rsvd.max)"
	fi
	must $RP delete --force hugetlb
}

t_update() {
	must $RP run -d --bundle /bundles/update update
	cg=$(cgdir update)
	[ "$(cat $cg/memory.max)" = 67108864 ] || fail "memory.max is $(cat $cg/memory.max)"
	must $RP update --memory 50331648 update
	[ "$(cat $cg/memory.max)" = 50331648 ] || fail "after update memory.max is $(cat $cg/memory.max)"
	echo '{"pids": {"limit": 42}, "cpu": {"quota": 50000, "period": 100000}}' | $RP update --resources - update || fail "update --resources failed"
	[ "$(cat $cg/pids.max)" = 42 ] || fail "after update pids.max is $(cat $cg/pids.max)"
	[ "$(cat $cg/cpu.max)" = "50000 100000" ] || fail "after update cpu.max is $(cat $cg/cpu.max)"
	$RP events --stats update | tee /tmp/stats
	grep -q '"type": *"stats"' /tmp/stats || fail "no stats object"
	must $RP delete --force update
}

t_pause_resume() {
	must $RP run -d --bundle /bundles/pause pause
	cg=$(cgdir pause)
	pid=$($RP state pause | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
	must $RP pause pause
	[ "$(status_of pause)" = paused ] || fail "status $(status_of pause) after pause"
	grep -q '^frozen 1' $cg/cgroup.events || fail "cgroup not frozen"
	must $RP resume pause
	[ "$(status_of pause)" = running ] || fail "status $(status_of pause) after resume"
	grep -q '^frozen 0' $cg/cgroup.events || fail "cgroup still frozen"
	must $RP delete --force pause
}

t_io_max() {
	[ "$(cat /sys/block/nvme0n1/dev)" = 259:0 ] || fail "scratch disk is $(cat /sys/block/nvme0n1/dev), bundles expect 259:0"
	must $RP create --bundle /bundles/root-io io
	cg=$(cgdir io)
	cat $cg/io.max
	grep -q '^259:0 .*wbps=1048576' $cg/io.max || fail "io.max not set"
	must $RP start io
	wait_stopped io
	must $RP delete io
}
t_io_max_measured() {
	out=$($RP run --bundle /bundles/root-io io2) || fail "run failed: $out"
	echo "$out"
	elapsed=$(echo "$out" | sed -n 's/^elapsed=//p')
	# 3 MiB of direct writes at 1 MiB/s: about 3 s (unthrottled: well under 1 s)
	[ "$elapsed" -ge 2 ] || fail "3 MiB took ${elapsed}s under a 1 MiB/s limit"
}

t_devices() {
	out=$($RP run --bundle /bundles/root-devices devices 2>&1)
	echo "$out"
	echo "$out" | sed -n 1p | grep -qx 4 || fail "allowed /dev/zero did not read"
	echo "$out" | grep -q 'Operation not permitted' || fail "unlisted block device was not denied"
}

export RAMPART_POLICY=hardened
t cgroup-v2-hardened-default t_hardened
t cgroup-v2-memory-max-oom t_memory_oom
t cgroup-v2-pids-max t_pids_max
t cgroup-v2-cpu-max-throttled t_cpu_max
t cgroup-v2-cpuset t_cpuset
t cgroup-v2-all-resources-set t_all_resources
t cgroup-v2-cpu-idle t_cpu_idle
t cgroup-v2-hugetlb t_hugetlb
t cgroup-v2-update t_update
t cgroup-v2-pause-resume t_pause_resume
export RAMPART_POLICY=compat
t cgroup-v2-io-max-set t_io_max
t cgroup-v2-io-max-measured t_io_max_measured
t cgroup-v2-device-filter t_devices
