// A toy northbound model for the example graph: just enough of ports, networks and local
// bindings to look like what the controller compiles.

export interface Port {
  readonly id: string;
  readonly network: string;
  readonly mac: string;
  /** The port's unique key (what the pipeline carries in a register). */
  readonly key: number;
}

export interface Network {
  readonly id: string;
  readonly vni: number;
}

export type Encap = 'geneve' | 'vxlan';

export function samePort(a: Port, b: Port): boolean {
  return a.id === b.id && a.network === b.network && a.mac === b.mac && a.key === b.key;
}

export function sameNetwork(a: Network, b: Network): boolean {
  return a.id === b.id && a.vni === b.vni;
}
