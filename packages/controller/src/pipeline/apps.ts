// The apps that own pipeline tables, with the number each one carries in the cookie's app field.
//
// Why fixed numbers and not the order of this list: the number is written into every installed
// flow, and a newer controller must still recognise (sweep, or show in `weir flows --app`) flows
// that an older version installed. So numbers are never reused or renumbered; a new app takes the
// next free one. 0 is reserved: cookie 0 means "not installed by Weir" (ovs-ofctl, the NORMAL
// flow a bridge starts with).

export const APP_IDS = {
  /** The pipeline itself: the declared miss flow of every table. */
  pipeline: 1,
  /** in_port → source port key + network key; destination port key → output port. */
  classifier: 2,
  /** MAC/IP/ARP anti-spoofing, allowed address pairs, port_security_enabled=false. */
  'port-security': 3,
  /** Lookup by MAC, local and remote delivery, broadcast/unknown unicast replication. */
  l2: 4,
  /** Answers ARP for addresses the model knows, on the source node. */
  'arp-responder': 5,
  /** Geneve/VXLAN: VNI → network on the way in, tunnel metadata + tunnel port on the way out. */
  tunneling: 6,
  /** Conntrack-based security groups (future). */
  'security-groups': 7,
  /** Distributed routing: router ports, routes, TTL, MAC rewrite (future). */
  l3: 8,
  /** Floating IPs and SNAT (future). */
  nat: 9,
  /** Distributed load balancer: VIPs, select groups, ct(nat) (future). */
  'load-balancer': 10,
  /** DHCP responder through packet-in (future). */
  dhcp: 11,
  /** VLAN and flat provider networks through a physical bridge (future). */
  provider: 12,
  /** VLAN subports of trunk ports, for pods nested in VMs (future). */
  trunk: 13,
} as const;

export type AppName = keyof typeof APP_IDS;

export const APP_NAMES: readonly AppName[] = Object.keys(APP_IDS) as AppName[];

/** The app whose cookie number is `id`, or undefined for 0 and numbers no app has. */
export function appById(id: number): AppName | undefined {
  return APP_NAMES.find((name) => APP_IDS[name] === id);
}
