// Which buckets of a group a packet goes through: every bucket of an `all` group, the one bucket
// of an `indirect` group, the first live bucket of a fast-failover group, and for `select` one
// bucket chosen by weight from a hash of the packet's addresses and ports — deterministic, so a
// test sees the same choice every run (OVS hashes differently; which bucket it picks is not part
// of its contract either).
import type { Bucket, FieldName, GroupDesc } from '@weir/openflow';
import { OFPG, OFPP } from '@weir/openflow';
import type { PortTable } from '../ports.js';
import type { PacketState } from './packet.js';

const HASHED: readonly FieldName[] = [
  'eth_src',
  'eth_dst',
  'eth_type',
  'vlan_vid',
  'ip_src',
  'ip_dst',
  'ipv6_src',
  'ipv6_dst',
  'nw_proto',
  'tcp_src',
  'tcp_dst',
  'udp_src',
  'udp_dst',
  'sctp_src',
  'sctp_dst',
];

/** FNV-1a over the hashed fields' values. */
function packetHash(p: PacketState): number {
  let h = 0x811c9dc5;
  for (const f of HASHED) {
    for (const ch of p.get(f).toString(16) + '|') {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h;
}

export interface Liveness {
  readonly ports: PortTable;
  readonly group: (groupId: number) => GroupDesc | undefined;
}

function isLive(b: Bucket, live: Liveness): boolean {
  if (b.watchPort !== OFPP.ANY && b.watchPort !== 0 && !live.ports.isLive(b.watchPort)) return false;
  if (b.watchGroup !== OFPG.ANY && (live.group(b.watchGroup)?.buckets.length ?? 0) === 0) return false;
  return true;
}

export function chooseBuckets(g: GroupDesc, packet: PacketState, live: Liveness): readonly Bucket[] {
  switch (g.groupType) {
    case 'all':
      return g.buckets;
    case 'indirect':
      return g.buckets.slice(0, 1);
    case 'ff': {
      const b = g.buckets.find((x) => isLive(x, live));
      return b ? [b] : [];
    }
    case 'select': {
      const candidates = g.buckets.filter((b) => b.weight > 0 && isLive(b, live));
      const total = candidates.reduce((s, b) => s + b.weight, 0);
      if (total === 0) return [];
      let point = packetHash(packet) % total;
      for (const b of candidates) {
        if (point < b.weight) return [b];
        point -= b.weight;
      }
      return [];
    }
  }
}
