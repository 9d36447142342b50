// The busybox udhcpc hook for lab hosts, as text: written next to an instance's run directory
// when a host asks for a lease (kept in the source, not as a file beside it, so the lab works
// the same from the sources and from the `weir` bundle).
export const UDHCPC_SCRIPT = `#!/bin/sh
# busybox udhcpc hook for lab hosts: configures only the interface inside the current network
# namespace, never touches resolv.conf, and prints the lease on one line for tests to parse.
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    [ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
    [ -n "$router" ] && ip route replace default via "\${router%% *}" dev "$interface"
    echo "LEASE $1 iface=$interface ip=$ip mask=$mask router=$router dns=$dns lease=$lease serverid=$serverid mtu=$mtu" ;;
esac
exit 0
`;
