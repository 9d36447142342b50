#!/usr/bin/env bash
# Stops the Neutron peer that start.sh started in WEIR_NEUTRON_DIR (default /tmp/weir-neutron-peer):
# neutron-server's process group (the server and its API/RPC/periodic workers, which start.sh put in
# their own session) and the private mariadbd, each by the PID start.sh recorded and only if that
# process's command line names this directory; then removes the directory. Safe to run twice.
set -uo pipefail

dir="${WEIR_NEUTRON_DIR:-/tmp/weir-neutron-peer}"
[ -e "$dir" ] || exit 0
if [ ! -e "$dir/.weir-neutron-peer" ]; then
  echo "neutron-peer: $dir was not made by start.sh; not touching it" >&2
  exit 1
fi

# Members of process group $1 whose command line mentions $dir.
ours() {
  local p
  for p in $(pgrep -g "$1" 2>/dev/null); do
    tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF "$dir" && echo "$p"
  done
}

# Sends $2 to process group $1 if it is ours; waits up to $3 tenths of a second for it to end.
stopGroup() {
  local pgid="$1" signal="$2" tenths="$3"
  [ -n "$(ours "$pgid")" ] || return 0
  kill "-$signal" -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq "$tenths"); do
    [ -n "$(ours "$pgid")" ] || return 0
    sleep 0.1
  done
  return 1
}

for name in neutron-server mysqld; do
  f="$dir/$name.pid"
  [ -s "$f" ] || continue
  pid="$(cat "$f")"
  # neutron-server and mariadbd were each started with setsid: their PID is their group's id.
  stopGroup "$pid" TERM 300 || stopGroup "$pid" KILL 50 ||
    echo "neutron-peer: $name (group $pid) did not stop" >&2
done
rm -rf "$dir"
