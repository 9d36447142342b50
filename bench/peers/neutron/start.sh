#!/usr/bin/env bash
# Starts real OpenStack Neutron (Debian bookworm's neutron-server 2:21.0.0, eventlet API server,
# ML2 core plugin, router service plugin, no agents) on loopback as the API benchmark's peer.
#
#   bash bench/peers/neutron/start.sh      # prints "neutron http://127.0.0.1:PORT ..." once it answers
#   bash bench/peers/neutron/stop.sh       # stops exactly what this started, removes the directory
#
# Environment (all optional):
#   WEIR_NEUTRON_DIR      private directory (default /tmp/weir-neutron-peer); config, logs, pids,
#                         the MariaDB datadir and its unix socket all live here
#   WEIR_NEUTRON_PORT     TCP port on 127.0.0.1 (default: a free one)
#   WEIR_NEUTRON_WORKERS  api_workers (default 1: one API process, like `weir server`); 2 does not
#                         raise creates/s on the 2-core machine: a port create costs the API worker
#                         ~150 ms of CPU, so 2 workers with 8 clients keep both cores busy
#
# Install: when neutron-server or mariadb-server is missing, it runs apt-get update and
# `apt-get install -y --no-install-recommends neutron-server mariadb-server python3-pymysql` (as
# root): about 45 s on the project's 2-core machine (neutron-server pulls ~106 packages, ~35 s;
# mariadb-server ~25 packages, ~10 s). The packages' own services are never started: if the machine
# has no /usr/sbin/policy-rc.d, one that denies every start is put there for the install only.
#
# Database: sqlite does not work — neutron-db-manage's alembic migrations stop at
# 1df244e556f5 with "No support for ALTER of constraints in SQLite dialect". So the script runs a
# private MariaDB: its own mariadbd process, its own datadir, a unix socket in the private
# directory, no TCP (--skip-networking), default InnoDB durability (a commit is fsynced).
# RPC: transport_url = fake:/ (oslo.messaging's in-process driver): no broker, no agents (each
# create still tries to schedule the network to a DHCP agent and logs that there is none); ports
# stay DOWN and unbound (mechanism_drivers is empty). A real mechanism driver (OVS agent, OVN) adds
# work to every create: these figures are the floor of Neutron's API and database work.
# Startup (fresh datadir, migrations, server) takes about 25 s.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
dir="${WEIR_NEUTRON_DIR:-/tmp/weir-neutron-peer}"
workers="${WEIR_NEUTRON_WORKERS:-1}"
py=/usr/bin/python3 # Debian's python, which has the neutron modules (not a pyenv shim)

log() { echo "neutron-peer: $*" >&2; }

# --- install what is missing -------------------------------------------------------------------
packages=(neutron-server mariadb-server python3-pymysql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (about 45 s)"
  madePolicy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    madePolicy=1
  fi
  status=0
  {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"
  } </dev/null >&2 || status=$?
  if [ "$madePolicy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$status" = 0 ] || {
    log "apt-get failed ($status)"
    exit 1
  }
fi

# --- the private directory ---------------------------------------------------------------------
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if [ -e "$dir" ]; then
  if [ ! -e "$dir/.weir-neutron-peer" ]; then
    log "$dir exists and is not a peer directory made by this script; not touching it"
    exit 1
  fi
  if alive "$dir/neutron-server.pid" || alive "$dir/mysqld.pid"; then
    log "a peer is already running in $dir (bash $here/stop.sh first)"
    exit 1
  fi
  rm -rf "$dir"
fi
mkdir -p "$dir/lock" "$dir/policy.d" "$dir/mysql"
touch "$dir/.weir-neutron-peer"

# fail MESSAGE [LOG...]: says why, shows the logs' last lines, stops what was started, exits 1.
fail() {
  log "$1"
  shift
  local logs=("$@")
  [ ${#logs[@]} -gt 0 ] || logs=(mysql-install.log mysqld.err db-manage.log neutron-server.log)
  for f in "${logs[@]}"; do
    if [ -s "$dir/$f" ]; then
      log "--- last lines of $f"
      tail -n 25 "$dir/$f" >&2
    fi
  done
  WEIR_NEUTRON_DIR="$dir" bash "$here/stop.sh" >&2 || true
  exit 1
}
trap 'fail "failed at line $LINENO"' ERR

port="${WEIR_NEUTRON_PORT:-$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
sock="$dir/mysql.sock"
user="$(id -un)"

# --- private MariaDB ---------------------------------------------------------------------------
mariadb-install-db --no-defaults --datadir="$dir/mysql" --user="$user" \
  --auth-root-authentication-method=normal --skip-test-db >"$dir/mysql-install.log" 2>&1 ||
  fail "mariadb-install-db failed" mysql-install.log
setsid mariadbd --no-defaults --datadir="$dir/mysql" --user="$user" --skip-networking \
  --socket="$sock" --pid-file="$dir/mysqld.own.pid" --log-error="$dir/mysqld.err" \
  --skip-log-bin --max-connections=200 </dev/null >/dev/null 2>&1 &
echo $! >"$dir/mysqld.pid"
for _ in $(seq 150); do
  mariadb --no-defaults -S "$sock" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
  alive "$dir/mysqld.pid" || fail "mariadbd exited" mysqld.err
  sleep 0.2
done
mariadb --no-defaults -S "$sock" -u root -e 'CREATE DATABASE neutron CHARACTER SET utf8mb4' ||
  fail "MariaDB did not answer on $sock" mysqld.err

# --- Neutron's configuration -------------------------------------------------------------------
cp /usr/share/neutron-common/api-paste.ini "$dir/api-paste.ini"
# Neutron's built-in default policies, nothing from /etc/neutron. Both paths must be set: with an
# empty policy_dirs, oslo.policy reads every file of the working directory as a policy file (and
# answers 500 to every request when one is api-paste.ini).
echo '{}' >"$dir/policy.yaml"
cat >"$dir/neutron.conf" <<EOF
[DEFAULT]
auth_strategy = noauth
core_plugin = ml2
service_plugins = router
bind_host = 127.0.0.1
bind_port = $port
api_workers = $workers
rpc_workers = 0
rpc_state_report_workers = 0
api_paste_config = $dir/api-paste.ini
state_path = $dir
transport_url = fake:/
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
debug = false
use_stderr = true
[database]
connection = mysql+pymysql://root@localhost/neutron?unix_socket=$sock&charset=utf8mb4
[oslo_concurrency]
lock_path = $dir/lock
[oslo_policy]
policy_file = $dir/policy.yaml
policy_dirs = $dir/policy.d
[quotas]
# Neutron's default port quota (500) would stop the bench; the same numbers as Weir's bench
# config, so quota checks still run on both.
quota_port = 100000
quota_network = 1000
quota_subnet = 1000
[ml2]
type_drivers = geneve,vxlan,flat,vlan
tenant_network_types = geneve
mechanism_drivers =
extension_drivers = port_security
[ml2_type_geneve]
vni_ranges = 1:65535
[ml2_type_vxlan]
vni_ranges = 1:1000
EOF

neutron-db-manage --config-file "$dir/neutron.conf" upgrade heads >"$dir/db-manage.log" 2>&1 ||
  fail "neutron-db-manage upgrade heads failed" db-manage.log

# --- neutron-server ----------------------------------------------------------------------------
# Its own session (process group), so stop.sh ends it and its workers, and nothing else.
setsid neutron-server --config-file "$dir/neutron.conf" </dev/null >"$dir/neutron-server.log" 2>&1 &
echo $! >"$dir/neutron-server.pid"
url="http://127.0.0.1:$port"
for _ in $(seq 240); do
  if "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "$url/v2.0/networks" 2>/dev/null; then
    trap - ERR
    version="$(dpkg-query -W -f='${Version}' neutron-server)"
    db="$(mariadb --no-defaults -S "$sock" -u root -N -e 'SELECT VERSION()')"
    echo "neutron $url neutron-server $version, api_workers $workers, MariaDB $db"
    exit 0
  fi
  alive "$dir/neutron-server.pid" || fail "neutron-server exited" neutron-server.log
  sleep 0.5
done
fail "neutron-server did not answer GET $url/v2.0/networks within 120 s" neutron-server.log
