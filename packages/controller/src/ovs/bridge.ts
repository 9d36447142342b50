// br-int over OVSDB: made to look like the controller needs it, in one guarded transaction (none
// when it already does), with the OpenFlow controller set in the same transaction that creates
// the bridge — ovs-vswitchd flushes a bridge's flows when it gains its first controller, so the
// controller must be there before any flow is (../shared/lab/README.md, pitfall 6). fail_mode
// secure: with the controller away, the bridge keeps its flows and never falls back to NORMAL.
//
// The generation of this controller run is kept in the bridge's external_ids (weir-generation):
// read, bumped, written back before the first flow of the run is installed, so flows of the
// previous run are recognisable (cookie) and swept once this run has installed everything.
import { ensureBridge, ensurePort, type OvsdbDatabase, type OpenVswitchTables } from '@weir/ovsdb';
import { nextGeneration } from '../pipeline/cookies.js';
import type { OverlayType } from '../state/views.js';

type Db = OvsdbDatabase<OpenVswitchTables>;

export interface BridgeOptions {
  readonly bridge: string;
  /** `netdev` (userspace datapath, the lab), `system` (kernel) or undefined (leave as is). */
  readonly datapathType?: string;
  /** OpenFlow target ovs-vswitchd dials (`unix:<rundir>/…`, or `tcp:`). */
  readonly controllerTarget: string;
  readonly tunnelTypes: readonly OverlayType[];
}

/** The names of this controller's flow-based tunnel ports on br-int. */
export const TUNNEL_PORT_NAMES: Readonly<Record<OverlayType, string>> = {
  geneve: 'weir-geneve',
  vxlan: 'weir-vxlan',
};

const GENERATION_KEY = 'weir-generation';

async function previousGeneration(db: Db, bridge: string): Promise<number | undefined> {
  const txn = db.transaction();
  const rows = txn.select('Bridge', [['name', '==', bridge]], ['external_ids']);
  const result = await txn.execute();
  const value = result.get(rows)[0]?.external_ids.get(GENERATION_KEY);
  const n = value === undefined ? NaN : Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 0xffff ? n : undefined;
}

/**
 * Ensures br-int, its controller and its tunnel ports, and returns this run's generation (the
 * previous one + 1, wrapping at 65,535 to 1; 1 on a new bridge).
 */
export async function setUpBridge(db: Db, options: BridgeOptions): Promise<{ generation: number }> {
  const previous = await previousGeneration(db, options.bridge);
  const generation = previous === undefined ? 1 : nextGeneration(previous);
  await ensureBridge(db, {
    name: options.bridge,
    ...(options.datapathType === undefined ? {} : { datapathType: options.datapathType }),
    failMode: 'secure',
    protocols: ['OpenFlow13'],
    // max_backoff 1 s: after a controller restart, ovs-vswitchd dials again within a second.
    controllers: [{ target: options.controllerTarget, maxBackoff: 1000 }],
    externalIds: { [GENERATION_KEY]: String(generation) },
  });
  // The bridge's own internal port, as `ovs-vsctl add-br` makes it (else vswitchd synthesises one
  // and warns at every reconfiguration).
  await ensurePort(db, { bridge: options.bridge, name: options.bridge, type: 'internal' });
  for (const type of options.tunnelTypes) {
    await ensurePort(db, {
      bridge: options.bridge,
      name: TUNNEL_PORT_NAMES[type],
      type,
      // Flow-based: the flows set tun_dst and tun_id per packet; one port serves every peer.
      options: { remote_ip: 'flow', key: 'flow' },
    });
  }
  return { generation };
}
