// InterfaceWatcher: the Interface rows that carry an `external_ids:iface-id` (the attachment
// key a CMS or CNI writes), with the runtime state ovs-vswitchd reports for them.
//
// Level-triggered: every event carries the interface's complete current state, so a handler
// never needs event history — `changed` is also how `ofport` arriving later is seen (OVS sets
// it once the port is attached; -1 means it failed, see `error`). Removing the iface-id or the
// row both produce `removed`. After a reconnect the replica's resync reports only real
// differences, so no spurious removed/added pairs.
import type { OvsdbDatabase } from '../database.js';
import { TypedEmitter } from '../events.js';
import type { Replica } from '../replica/replica.js';
import type { InterfaceRow, OpenVswitchTables } from '../schemas/open-vswitch.js';
import { mapsEqual } from './maps.js';

export const WATCHED_INTERFACE_COLUMNS = [
  'name',
  'type',
  'external_ids',
  'ofport',
  'mac_in_use',
  'link_state',
  'admin_state',
  'error',
] as const;

export type WatchedInterfaceRow = Pick<InterfaceRow, '_uuid' | (typeof WATCHED_INTERFACE_COLUMNS)[number]>;

export interface InterfaceState {
  readonly uuid: string;
  readonly name: string;
  /** The value of the watched external_ids key (default `iface-id`). */
  readonly ifaceId: string;
  readonly type: string;
  readonly externalIds: ReadonlyMap<string, string>;
  /** undefined until ovs-vswitchd assigns one; -1 if attaching failed. */
  readonly ofport: number | undefined;
  /** True when `ofport` is a usable OpenFlow port number. */
  readonly ofportValid: boolean;
  readonly macInUse: string | undefined;
  readonly linkState: 'up' | 'down' | undefined;
  readonly adminState: 'up' | 'down' | undefined;
  readonly error: string | undefined;
}

/** The watched state of a row, or undefined when the row does not carry `key`. */
export function interfaceStateOf(row: WatchedInterfaceRow, key = 'iface-id'): InterfaceState | undefined {
  const ifaceId = row.external_ids.get(key);
  if (ifaceId === undefined) return undefined;
  return {
    uuid: row._uuid,
    name: row.name,
    ifaceId,
    type: row.type,
    externalIds: row.external_ids,
    ofport: row.ofport,
    ofportValid: row.ofport !== undefined && row.ofport > 0,
    macInUse: row.mac_in_use,
    linkState: row.link_state,
    adminState: row.admin_state,
    error: row.error,
  };
}

export function interfaceStatesEqual(a: InterfaceState, b: InterfaceState): boolean {
  return (
    a.uuid === b.uuid &&
    a.name === b.name &&
    a.ifaceId === b.ifaceId &&
    a.type === b.type &&
    a.ofport === b.ofport &&
    a.macInUse === b.macInUse &&
    a.linkState === b.linkState &&
    a.adminState === b.adminState &&
    a.error === b.error &&
    mapsEqual(a.externalIds, b.externalIds)
  );
}

export type InterfaceEvent =
  | { readonly kind: 'added'; readonly state: InterfaceState }
  | { readonly kind: 'changed'; readonly state: InterfaceState; readonly previous: InterfaceState }
  | { readonly kind: 'removed'; readonly state: InterfaceState };

/** The watcher event for one row change (old/new rows as the replica reports them). */
export function interfaceEventOf(
  oldRow: WatchedInterfaceRow | undefined,
  newRow: WatchedInterfaceRow | undefined,
  key = 'iface-id',
): InterfaceEvent | undefined {
  const before = oldRow === undefined ? undefined : interfaceStateOf(oldRow, key);
  const after = newRow === undefined ? undefined : interfaceStateOf(newRow, key);
  if (after !== undefined && before === undefined) return { kind: 'added', state: after };
  if (after === undefined && before !== undefined) return { kind: 'removed', state: before };
  if (after !== undefined && before !== undefined && !interfaceStatesEqual(before, after)) {
    return { kind: 'changed', state: after, previous: before };
  }
  return undefined;
}

type WatcherEvents = {
  readonly added: readonly [state: InterfaceState];
  readonly changed: readonly [state: InterfaceState, previous: InterfaceState];
  readonly removed: readonly [state: InterfaceState];
};

export interface InterfaceWatcherOptions {
  /** external_ids key that marks watched interfaces. Default `iface-id`. */
  readonly key?: string;
}

type InterfaceSpec = { readonly Interface: { readonly columns: typeof WATCHED_INTERFACE_COLUMNS } };

export class InterfaceWatcher extends TypedEmitter<WatcherEvents> {
  /** The replica behind the watcher (for isSynced / whenSynced / stale events). */
  readonly replica: Replica<OpenVswitchTables, InterfaceSpec>;
  private readonly key: string;

  constructor(db: OvsdbDatabase<OpenVswitchTables>, options: InterfaceWatcherOptions = {}) {
    super();
    this.key = options.key ?? 'iface-id';
    // Every Interface row is replicated and filtered here: an OVSDB condition can test a map
    // for a key/value pair (`includes`) but not for the presence of a key with any value.
    this.replica = db.replica({ Interface: { columns: WATCHED_INTERFACE_COLUMNS } });
    this.replica.on('change', ({ changes }) => {
      for (const change of changes) {
        const event = interfaceEventOf(change.old, change.new, this.key);
        if (event === undefined) continue;
        if (event.kind === 'changed') this.emit('changed', event.state, event.previous);
        else this.emit(event.kind, event.state);
      }
    });
  }

  /** Current watched interfaces. */
  list(): InterfaceState[] {
    const out: InterfaceState[] = [];
    for (const row of this.replica.table('Interface')) {
      const state = interfaceStateOf(row, this.key);
      if (state !== undefined) out.push(state);
    }
    return out;
  }

  /** Interfaces carrying `ifaceId` (usually one; two briefly during a migration). */
  byIfaceId(ifaceId: string): InterfaceState[] {
    return this.list().filter((state) => state.ifaceId === ifaceId);
  }

  whenSynced(timeoutMs?: number): Promise<void> {
    return this.replica.whenSynced(timeoutMs);
  }

  close(): Promise<void> {
    return this.replica.close();
  }
}
