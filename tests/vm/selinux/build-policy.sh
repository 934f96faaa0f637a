#!/bin/bash
# Build a monolithic SELinux policy (policy.33) for the SELinux VM suite:
# Debian's refpolicy modules plus refpolicy's container module (Debian's
# default policy has no container_t) plus one local rule.  Nothing is
# installed on the host: the .debs are unpacked into a private cache and the
# tools run from there.  Prints the directory holding policy.33 and
# lxc_contexts.  About 40 s the first time, instant once cached.
set -euo pipefail
cache="${RAMPART_TEST_CACHE:-/var/tmp/rampart-test-cache}/selinux"
pkgs="selinux-policy-default policycoreutils semodule-utils checkpolicy libsemanage2
	libsemanage-common libsepol2 selinux-utils selinux-policy-src selinux-policy-dev"
need() { command -v "$1" >/dev/null || { echo "build-policy: $1 missing: apt-get install $2" >&2; exit 1; }; }
need m4 m4
need zstd zstd
need make make

# The cache is keyed on the candidate versions, so a policy update rebuilds.
key=$( (apt-cache policy $pkgs | grep -E '^[a-z]|Candidate'; sed -n '/^# local rules/,$p' "$0") | md5sum | cut -c1-12)
out="$cache/$key"
if [ -f "$out/policy.33" ]; then echo "$out"; exit 0; fi
# a new key: older builds are stale
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +

rm -rf "$out.tmp" && mkdir -p "$out.tmp"/{debs,x,mod,proot/etc/selinux,proot/var/lib/selinux}
cd "$out.tmp"
(cd debs && apt-get download $pkgs >/dev/null 2>&1) || { echo "build-policy: apt-get download failed (apt-get update?)" >&2; exit 1; }
for d in debs/*.deb; do dpkg-deb -x "$d" x; done
X="$out.tmp/x"
export LD_LIBRARY_PATH="$X/lib/x86_64-linux-gnu:$X/usr/lib/x86_64-linux-gnu"

# refpolicy's container module, compiled against the unpacked headers (their
# interface file is already in devel/include).
tar -C mod -xf x/usr/src/selinux-policy-src.tar.zst --strip-components=4 \
	selinux-policy-src/policy/modules/services/container.te \
	selinux-policy-src/policy/modules/services/container.fc
# local rules:
# - refpolicy 2.20221101 does not let the engine mount over /proc/kcore (the
#   maskedPaths entry), which every OCI config asks for;
# - its container_t is not an mcs_constrained_type, so MCS categories would
#   not separate containers at all (Fedora's container-selinux constrains it).
cat >mod/rampartlocal.te <<'TE'
policy_module(rampartlocal, 1.0)
gen_require(`
	type container_engine_t, proc_kcore_t, container_t;
')
allow container_engine_t proc_kcore_t:file { getattr mounton };
mcs_constrained(container_t)
TE
: >mod/rampartlocal.fc
awk="awk"; command -v gawk >/dev/null && awk="gawk"
make -s -C mod -f "$X/usr/share/selinux/devel/include/Makefile" NAME=devel TYPE=mcs AWK=$awk \
	SHAREDIR="$X/usr/share/selinux" HEADERDIR="$X/usr/share/selinux/devel/include" \
	BINDIR="$X/usr/bin" SBINDIR="$X/usr/sbin" container.pp rampartlocal.pp >mod/build.log 2>&1 ||
	{ cat mod/build.log >&2; exit 1; }

# One semodule transaction in a private root, module store "direct".
cp -a x/etc/selinux/default proot/etc/selinux/
cat >proot/etc/selinux/semanage.conf <<CONF
module-store = direct
compiler-directory = $X/usr/libexec/selinux/hll
expand-check = 0
[setfiles]
path = $X/sbin/setfiles
args = -q -c \$@ \$<
[end]
[sefcontext_compile]
path = $X/usr/sbin/sefcontext_compile
args = \$@
[end]
CONF
mods=("$X/usr/share/selinux/default/base.pp.bz2")
for m in "$X"/usr/share/selinux/default/*.pp.bz2; do
	[ "$m" = "${mods[0]}" ] || mods+=("$m")
done
"$X/usr/sbin/semodule" -p "$out.tmp/proot" -s default -n \
	-i "${mods[@]}" mod/container.pp mod/rampartlocal.pp \
	>semodule.log 2>&1 || { cat semodule.log >&2; exit 1; }
cp proot/etc/selinux/default/policy/policy.33 policy.33
cp proot/etc/selinux/default/contexts/lxc_contexts lxc_contexts
rm -rf debs proot x
cd / && rm -rf "$out" && mv "$out.tmp" "$out"
echo "$out"
