#!/bin/bash
# Benchmarks: rampart against runc and crun on the same bundle, in one run,
# reported as ratios (absolute numbers drift with load on shared machines).
#
#   bench/run.sh [N]      N sequential `run` of /bin/true per runtime (default 30)
#
# crun 1.8 refuses hybrid cgroup hosts, so every runtime runs inside
# shared/tools/v2view's pure cgroup2 view (or the host's view on a pure v2
# host).  The config is rootful and asks for no resources, so all three do
# the same work; rampart runs it under the compat preset, and once more
# with its hardened defaults (user namespace, default seccomp profile) to
# show what hardening costs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/.." && pwd)"
n="${1:-30}"
RAMPART="$(readlink -f "${RAMPART:-$top/rampart}")"
v2view="${V2VIEW:-$top/../shared/tools/v2view}"
for t in runc crun jq python3 /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "bench: $t missing (apt-get install runc crun jq python3 time)"; exit 1; }
done

work="$(mktemp -d /tmp/rampart-bench.XXXXXX)"
chmod 755 "$work"   # the hardened run maps root to an unprivileged uid that must reach the rootfs
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$work/bundle/rootfs/bin/"
ln -s busybox "$work/bundle/rootfs/bin/true"
(cd "$work/bundle" && runc spec)
# No linux.resources: crun 1.8 then skips its BPF device filter, whose
# RLIMIT_MEMLOCK raise fails on hosts without CAP_SYS_RESOURCE.  (rampart
# still installs its default device filter, so it does a little more.)
jq '.process.terminal = false | .process.args = ["/bin/true"] | del(.linux.resources)' "$work/bundle/config.json" >"$work/c" && mv "$work/c" "$work/bundle/config.json"
mkdir -p "$work/hardened/"
cp -a "$work/bundle/rootfs" "$work/hardened/rootfs"
jq --slurpfile b "$work/bundle/config.json" '.process.args = ["/bin/true"] | .mounts = $b[0].mounts
	| .linux.uidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
	| .linux.gidMappings = [{"containerID":0,"hostID":100000,"size":65536}]
	| .linux.namespaces += [{"type":"user"}] | .process.noNewPrivileges = true
	| .mounts |= map(select(.destination != "/sys" and .destination != "/sys/fs/cgroup"))' \
	"$work/bundle/config.json" >"$work/hardened/config.json"

# one timing run: prints milliseconds per container and the runtime's max RSS
cat >"$work/one.sh" <<'ONE'
#!/bin/bash
# one.sh NAME N BUNDLE CMD...: N sequential runs, one line per run: "ms rss_kb"
name=$1 n=$2 bundle=$3; shift 3
for i in $(seq "$n"); do
	s=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$bundle.rss" "$@" run --bundle "$bundle" "bench-$name-$i" >/dev/null 2>"$bundle.err" \
		|| { echo "bench: $name failed: $(cat "$bundle.err")" >&2; exit 1; }
	e=$(date +%s%N)
	echo "$(( (e - s) / 1000 )) $(tail -1 "$bundle.rss")"
done
ONE
chmod +x "$work/one.sh"

view=()
if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then view=("$v2view"); fi

declare -A results
bench() { # bench NAME BUNDLE CMD...
	local name=$1 bundle=$2; shift 2
	"${view[@]}" "$work/one.sh" "$name" 3 "$bundle" "$@" >/dev/null   # warm caches
	results[$name]="$("${view[@]}" "$work/one.sh" "$name" "$n" "$bundle" "$@")"
}
bench runc "$work/bundle" runc --root "$work/runc"
bench crun "$work/bundle" crun --root "$work/crun"
bench rampart-compat "$work/bundle" env RAMPART_POLICY=compat "$RAMPART" --root "$work/rampart"
bench rampart-hardened "$work/hardened" "$RAMPART" --root "$work/rampart"

for k in runc crun rampart-compat rampart-hardened; do echo "== $k"; echo "${results[$k]}"; done >"$work/all"
python3 - "$work/all" "$n" <<'PY'
import statistics, sys
data, cur = {}, None
for line in open(sys.argv[1]):
    line = line.split()
    if line[0] == "==":
        cur = line[1]; data[cur] = []
    else:
        data[cur].append((int(line[0]) / 1000.0, int(line[1])))
def med(k, i): return statistics.median(x[i] for x in data[k])
print(f"bench: {sys.argv[2]} sequential `run` of /bin/true per runtime, pure cgroup v2 view")
print(f"{'runtime':18} {'median ms':>10} {'p90 ms':>8} {'max RSS KiB':>12} {'vs runc':>8} {'vs crun':>8}")
for k in data:
    ms = sorted(x[0] for x in data[k])
    p90 = ms[int(len(ms) * 0.9) - 1]
    print(f"{k:18} {med(k,0):10.1f} {p90:8.1f} {med(k,1):12.0f} {med(k,0)/med('runc',0):8.2f} {med(k,0)/med('crun',0):8.2f}")
PY
