#!/bin/sh
# Install everything rampart needs to build, test and demo on Debian 12.
# Run as root.  Safe to run again.  The engines (podman, conmon,
# containerd) are for tests/engines: installing them starts no daemon that
# the tests use; each test starts its own with private state.
set -e
pkgs="build-essential autoconf automake libtool pkg-config clang
      libseccomp-dev libcap-dev libselinux1-dev libyajl-dev check
      busybox-static bats jq python3 python3-jsonschema mandoc runc
      qemu-system-x86 cpio m4 zstd
      podman conmon uidmap containerd containernetworking-plugins umoci
      python3-grpcio protobuf-compiler python3-yaml bsdutils util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
