// The underlay's address plan: one /24 for the nodes' tunnel endpoints (default TEST-NET-2, so
// it can never be a real network), node i at .(10+i), and a MAC for each node's br-phy that is
// derived from its tunnel IP. Deterministic on purpose: a neighbour seeded from the plan stays
// right across restarts, and a dump of any table can be read without a lookup.

export const DEFAULT_UNDERLAY_SUBNET = '198.51.100.0/24';
export const DEFAULT_UNDERLAY_MTU = 1500;
/** Outer Ethernet + IPv4 + UDP + Geneve/VXLAN header: what a tunnel adds to an inner frame. */
export const TUNNEL_OVERHEAD = 50;
/** Node i's tunnel IP ends in .(FIRST_NODE_OCTET + i). */
const FIRST_NODE_OCTET = 10;
export const MAX_NODES = 254 - FIRST_NODE_OCTET;

export class UnderlayAddressPlan {
  readonly prefixLength = 24;

  private constructor(
    /** The first three octets, e.g. `198.51.100`. */
    private readonly network: string,
    readonly mtu: number,
  ) {}

  /** Validates at the boundary: a `a.b.c.0/24` subnet and an MTU that leaves room for a tunnel. */
  static of(subnet = DEFAULT_UNDERLAY_SUBNET, mtu = DEFAULT_UNDERLAY_MTU): UnderlayAddressPlan {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
    const octets = m ? [m[1], m[2], m[3]].map(Number) : [];
    if (octets.length !== 3 || octets.some((o) => o > 255)) {
      throw new Error(`underlay subnet must be a.b.c.0/24, got ${subnet}`);
    }
    // 68 is IPv4's minimum MTU; the overlay inside must have at least that.
    if (!Number.isInteger(mtu) || mtu < 68 + TUNNEL_OVERHEAD || mtu > 65_535) {
      throw new Error(`underlay MTU must be an integer in [${68 + TUNNEL_OVERHEAD}, 65535], got ${mtu}`);
    }
    return new UnderlayAddressPlan(octets.join('.'), mtu);
  }

  get subnet(): string {
    return `${this.network}.0/24`;
  }

  /** The largest MTU an overlay NIC (VM, pod) can use without its tunnelled frames being dropped. */
  get overlayMtu(): number {
    return this.mtu - TUNNEL_OVERHEAD;
  }

  /** Node `index` (1-based) → its tunnel IP, `.(10 + index)`. */
  tunnelIp(index: number): string {
    return `${this.network}.${FIRST_NODE_OCTET + checkIndex(index)}`;
  }

  /** The tunnel IP with its prefix length, as `ip addr` takes it. */
  tunnelCidr(index: number): string {
    return `${this.tunnelIp(index)}/${this.prefixLength}`;
  }

  /** Node `index` → its br-phy MAC: locally administered, the tunnel IP's octets in hex. */
  tunnelMac(index: number): string {
    const octets = this.tunnelIp(index).split('.').map(Number);
    return ['02', '00', ...octets.map((o) => o.toString(16).padStart(2, '0'))].join(':');
  }

  toJSON(): { subnet: string; mtu: number } {
    return { subnet: this.subnet, mtu: this.mtu };
  }
}

function checkIndex(index: number): number {
  if (!Number.isInteger(index) || index < 1 || index > MAX_NODES) {
    throw new Error(`node index must be an integer in [1, ${MAX_NODES}], got ${index}`);
  }
  return index;
}
