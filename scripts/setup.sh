#!/usr/bin/env bash
# Installs everything Weir's demo and tests need on a fresh Debian bookworm machine (as root).
# Idempotent: packages already present are not reinstalled; npm ci always matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

# openvswitch-switch: ovsdb-server, ovs-vswitchd (userspace datapath), ovs-vsctl/ofctl/appctl
# etcd-server: the distributed northbound store; busybox: udhcpc, nc, httpd in test namespaces
# python3-os-ken, tshark: independent encoders/dissectors our codec tests compare bytes with
# python3-openstackclient, python3-octaviaclient, tempest: the real clients and conformance suite
# the API is tested with
packages=(openvswitch-switch etcd-server ethtool iproute2 busybox iputils-ping curl tcpdump python3-os-ken tshark
  python3-openstackclient python3-octaviaclient tempest)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q "${missing[@]}" </dev/null
fi
# The userspace datapath looks for this directory even when every path is overridden.
mkdir -p /var/run/openvswitch

echo "setup: npm ci"
npm ci --no-audit --no-fund

# The weir command runs from this bundle when it is fresh (docs/adr/0001, amendment).
echo "setup: build"
npm run build --silent
