// trunk_details of ports (trunk-details extension): a trunk's parent port shows its trunk and
// subports, each with its MAC. Read once per list — by the trunks' parent index for a few ports,
// the whole (small) trunk table for many — not once per port.
import type { LogicalPort, Trunk } from '@weir/model';
import type { ResourceDeps } from '../resource.js';

export interface TrunkDetails {
  readonly trunkId: string;
  readonly subPorts: readonly {
    readonly portId: string;
    readonly segmentationType: string;
    readonly segmentationId: number;
    readonly macAddress?: string;
  }[];
}

export interface PortWithTrunk {
  readonly port: LogicalPort;
  readonly trunk?: TrunkDetails;
}

const FEW = 20;

export async function withTrunkDetails(
  deps: ResourceDeps,
  ports: readonly LogicalPort[],
): Promise<PortWithTrunk[]> {
  const store = deps.core.store;
  const known = new Map(ports.map((p) => [p.id, p]));
  const trunks: Trunk[] =
    ports.length > FEW
      ? [...(await store.list('trunk')).items]
      : (
          await Promise.all(ports.map((p) => store.list('trunk', { index: { name: 'port', value: p.id } })))
        ).flatMap((r) => r.items);
  const byParent = new Map<string, Trunk>();
  for (const t of trunks) if (known.has(t.portId)) byParent.set(t.portId, t);
  if (byParent.size === 0) return ports.map((port) => ({ port }));
  const missing = new Set<string>();
  for (const t of byParent.values())
    for (const s of t.subports) if (!known.has(s.portId)) missing.add(s.portId);
  const fetched = await Promise.all([...missing].map((id) => store.get('logical_port', id)));
  for (const p of fetched) if (p) known.set(p.id, p);
  return ports.map((port) => {
    const t = byParent.get(port.id);
    if (!t) return { port };
    return {
      port,
      trunk: {
        trunkId: t.id,
        subPorts: t.subports.map((s) => {
          const mac = known.get(s.portId)?.macAddress;
          return {
            portId: s.portId,
            segmentationType: s.segmentationType,
            segmentationId: s.segmentationId,
            ...(mac === undefined ? {} : { macAddress: mac }),
          };
        }),
      },
    };
  });
}
