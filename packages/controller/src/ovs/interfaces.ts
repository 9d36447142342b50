// The interfaces of br-int, from OVSDB: which port ids (external_ids:iface-id, as Nova/os-vif or
// the CNI plugin set them) are plugged here and at which OpenFlow port, and the OpenFlow ports of
// this controller's tunnel ports. Level-triggered: the callbacks get the complete current state.
//
// Two interfaces may carry the same iface-id for a moment (a VM being replugged): the one with
// the lowest OpenFlow port number is used, deterministically, and the other is reported.
import {
  InterfaceWatcher,
  type InterfaceState,
  type OvsdbDatabase,
  type OpenVswitchTables,
} from '@weir/ovsdb';
import type { TunnelPorts } from '../apps/types.js';
import type { OverlayType } from '../state/views.js';
import { TUNNEL_PORT_NAMES } from './bridge.js';

export interface InterfaceSink {
  /** `portId` is plugged at OpenFlow port `ofport` (undefined: not plugged, or no usable ofport). */
  plugged(portId: string, ofport: number | undefined): void;
  tunnelPorts(ports: TunnelPorts): void;
  /** More than one interface carries the same iface-id. */
  duplicate?(portId: string, interfaces: readonly string[]): void;
}

export class BridgeInterfaces {
  private readonly watcher: InterfaceWatcher;
  /** iface-id → interface uuid → usable ofport (or undefined). */
  private readonly byIfaceId = new Map<string, Map<string, number | undefined>>();
  private tunnels: TunnelPorts = {};

  constructor(
    db: OvsdbDatabase<OpenVswitchTables>,
    private readonly tunnelTypes: readonly OverlayType[],
    private readonly sink: InterfaceSink,
  ) {
    this.watcher = new InterfaceWatcher(db);
    this.watcher.on('added', (s) => this.update(s.ifaceId, s.uuid, s));
    this.watcher.on('changed', (s, previous) => {
      if (previous.ifaceId !== s.ifaceId) this.update(previous.ifaceId, previous.uuid, undefined);
      this.update(s.ifaceId, s.uuid, s);
    });
    this.watcher.on('removed', (s) => this.update(s.ifaceId, s.uuid, undefined));
    // Tunnel ports carry no iface-id: read them from the same replica, by name.
    this.watcher.replica.on('change', () => this.refreshTunnels());
  }

  whenSynced(timeoutMs?: number): Promise<void> {
    return this.watcher.whenSynced(timeoutMs);
  }

  close(): Promise<void> {
    return this.watcher.close();
  }

  private update(ifaceId: string, uuid: string, state: InterfaceState | undefined): void {
    let rows = this.byIfaceId.get(ifaceId);
    const before = effective(rows);
    if (state === undefined) rows?.delete(uuid);
    else {
      if (rows === undefined) this.byIfaceId.set(ifaceId, (rows = new Map<string, number | undefined>()));
      rows.set(uuid, state.ofportValid ? state.ofport : undefined);
    }
    if (rows?.size === 0) this.byIfaceId.delete(ifaceId);
    const after = effective(this.byIfaceId.get(ifaceId));
    if ((rows?.size ?? 0) > 1) this.sink.duplicate?.(ifaceId, [...(rows?.keys() ?? [])]);
    if (before !== after) this.sink.plugged(ifaceId, after);
  }

  private refreshTunnels(): void {
    const next: Partial<Record<OverlayType, number>> = {};
    for (const row of this.watcher.replica.table('Interface')) {
      for (const type of this.tunnelTypes) {
        if (row.name === TUNNEL_PORT_NAMES[type] && row.ofport !== undefined && row.ofport > 0)
          next[type] = row.ofport;
      }
    }
    if (next.geneve !== this.tunnels.geneve || next.vxlan !== this.tunnels.vxlan) {
      this.tunnels = next;
      this.sink.tunnelPorts(next);
    }
  }
}

/** The OpenFlow port used for an iface-id: the lowest usable one among its interfaces. */
function effective(rows: ReadonlyMap<string, number | undefined> | undefined): number | undefined {
  let best: number | undefined;
  for (const ofport of rows?.values() ?? [])
    if (ofport !== undefined && (best === undefined || ofport < best)) best = ofport;
  return best;
}
