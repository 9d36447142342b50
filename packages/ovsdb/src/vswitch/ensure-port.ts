// ensurePort / deletePort: one Port with one Interface of the same name on a bridge, made to
// match a spec idempotently, in one guarded write transaction (none when nothing differs).
// A port found on another bridge is moved. Port and Interface rows are not roots: removing a
// port from its bridge's `ports` is all it takes for OVSDB to delete both.
import type { OvsdbDatabase } from '../database.js';
import { OvsdbError } from '../errors.js';
import type { InterfaceRow, OpenVswitchTables } from '../schemas/open-vswitch.js';
import { ConflictRetry, retryOnConflict, type RetryOptions } from './cas.js';
import type { EnsureResult } from './ensure-bridge.js';
import { mapsEqual, mergeMap, recordToMap } from './maps.js';

/** Interface.type. `system` is stored as '' (OVS's spelling of an ordinary netdev). */
export type InterfaceType =
  | 'system'
  | 'internal'
  | 'tap'
  | 'geneve'
  | 'gre'
  | 'vxlan'
  | 'lisp'
  | 'stt'
  | 'patch'
  | 'dpdk'
  | 'dpdkvhostuserclient'
  | (string & {});

export interface PortSpec {
  readonly bridge: string;
  readonly name: string;
  /** Default `system`. */
  readonly type?: InterfaceType;
  /** Interface.options, exactly (e.g. `{ remote_ip: 'flow', key: 'flow' }`, `{ peer: 'patch-b' }`). Unset: left as is. */
  readonly options?: Readonly<Record<string, string>>;
  /** Merged into Interface.external_ids (e.g. `iface-id`): given keys set, others kept. */
  readonly externalIds?: Readonly<Record<string, string>>;
  /** Interface.ofport_request. Unset: left as is. */
  readonly ofportRequest?: number;
  /** Interface.mtu_request. Unset: left as is. */
  readonly mtuRequest?: number;
}

type Db = OvsdbDatabase<OpenVswitchTables>;

const INTERFACE_COLUMNS = [
  '_uuid',
  'name',
  'type',
  'options',
  'external_ids',
  'ofport_request',
  'mtu_request',
] as const;
type ReadInterface = Pick<InterfaceRow, (typeof INTERFACE_COLUMNS)[number]>;

interface Snapshot {
  /** Every bridge: name, uuid and ports (there are few). */
  readonly bridges: readonly {
    readonly _uuid: string;
    readonly name: string;
    readonly ports: ReadonlySet<string>;
  }[];
  readonly port: { readonly _uuid: string; readonly interfaces: ReadonlySet<string> } | undefined;
  readonly iface: ReadInterface | undefined;
}

function storedType(type: InterfaceType | undefined): string {
  return type === undefined || type === 'system' ? '' : type;
}

async function read(db: Db, name: string): Promise<Snapshot> {
  const txn = db.transaction();
  const bridges = txn.select('Bridge', [], ['_uuid', 'name', 'ports']);
  const ports = txn.select('Port', [['name', '==', name]], ['_uuid', 'interfaces']);
  const ifaces = txn.select('Interface', [['name', '==', name]], INTERFACE_COLUMNS);
  const result = await txn.execute();
  return { bridges: result.get(bridges), port: result.get(ports)[0], iface: result.get(ifaces)[0] };
}

export async function ensurePort(db: Db, spec: PortSpec, options: RetryOptions = {}): Promise<EnsureResult> {
  if (spec.name === '') throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'port name is empty');
  return retryOnConflict(options, async () => {
    const snapshot = await read(db, spec.name);
    const bridge = snapshot.bridges.find((b) => b.name === spec.bridge);
    if (bridge === undefined)
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `bridge ${spec.bridge} does not exist`);
    if (snapshot.port === undefined) return create(db, spec, bridge._uuid);
    return update(db, spec, snapshot, snapshot.port, bridge._uuid);
  });
}

function interfaceRow(spec: PortSpec): {
  name: string;
  type: string;
  options?: ReadonlyMap<string, string>;
  external_ids?: ReadonlyMap<string, string>;
  ofport_request?: number;
  mtu_request?: number;
} {
  return {
    name: spec.name,
    type: storedType(spec.type),
    ...(spec.options === undefined ? {} : { options: recordToMap(spec.options) }),
    ...(spec.externalIds === undefined ? {} : { external_ids: recordToMap(spec.externalIds) }),
    ...(spec.ofportRequest === undefined ? {} : { ofport_request: spec.ofportRequest }),
    ...(spec.mtuRequest === undefined ? {} : { mtu_request: spec.mtuRequest }),
  };
}

async function create(db: Db, spec: PortSpec, bridgeUuid: string): Promise<EnsureResult> {
  const txn = db.transaction();
  txn.wait('Port', [['name', '==', spec.name]], { columns: ['name'], until: '==', rows: [] });
  const row = interfaceRow(spec);
  const iface = txn.insert('Interface', row);
  const port = txn.insert('Port', { name: spec.name, interfaces: [iface.ref] });
  const attach = txn.mutate('Bridge', [['_uuid', '==', bridgeUuid]], [['ports', 'insert', [port.ref]]]);
  const result = await txn.execute();
  if (result.get(attach) !== 1) throw new ConflictRetry(`bridge ${spec.bridge} changed`);
  return { uuid: result.get(port), created: true, changed: Object.keys(row) };
}

async function update(
  db: Db,
  spec: PortSpec,
  snapshot: Snapshot,
  port: NonNullable<Snapshot['port']>,
  bridgeUuid: string,
): Promise<EnsureResult> {
  const iface = snapshot.iface;
  if (iface === undefined || port.interfaces.size !== 1 || !port.interfaces.has(iface._uuid)) {
    throw new OvsdbError(
      'OVSDB_INVALID_ARGUMENT',
      `port ${spec.name} exists but is not a single interface of the same name (a bond?)`,
    );
  }
  const changed: string[] = [];
  const txn = db.transaction();
  txn.wait('Interface', [['_uuid', '==', iface._uuid]], {
    columns: ['type', 'options', 'external_ids', 'ofport_request', 'mtu_request'],
    until: '==',
    rows: [
      {
        type: iface.type,
        options: iface.options,
        external_ids: iface.external_ids,
        ofport_request: iface.ofport_request,
        mtu_request: iface.mtu_request,
      },
    ],
  });

  const row: {
    type?: string;
    options?: ReadonlyMap<string, string>;
    external_ids?: ReadonlyMap<string, string>;
    ofport_request?: number;
    mtu_request?: number;
  } = {};
  const type = storedType(spec.type);
  if (type !== iface.type) row.type = type;
  if (spec.options !== undefined && !mapsEqual(recordToMap(spec.options), iface.options)) {
    row.options = recordToMap(spec.options);
  }
  const externalIds = mergeMap(iface.external_ids, spec.externalIds);
  if (!mapsEqual(externalIds, iface.external_ids)) row.external_ids = externalIds;
  if (spec.ofportRequest !== undefined && spec.ofportRequest !== iface.ofport_request) {
    row.ofport_request = spec.ofportRequest;
  }
  if (spec.mtuRequest !== undefined && spec.mtuRequest !== iface.mtu_request)
    row.mtu_request = spec.mtuRequest;
  if (Object.keys(row).length > 0) {
    txn.update('Interface', [['_uuid', '==', iface._uuid]], row);
    changed.push(...Object.keys(row));
  }

  const holders = snapshot.bridges.filter((b) => b.ports.has(port._uuid));
  if (!holders.some((b) => b._uuid === bridgeUuid)) {
    for (const holder of holders) {
      txn.mutate('Bridge', [['_uuid', '==', holder._uuid]], [['ports', 'delete', [port._uuid]]]);
    }
    // Guard: the port must still exist when it is re-attached, or the reference would dangle.
    txn.wait('Port', [['_uuid', '==', port._uuid]], { columns: ['_uuid'], until: '!=', rows: [] });
    txn.mutate('Bridge', [['_uuid', '==', bridgeUuid]], [['ports', 'insert', [port._uuid]]]);
    changed.push('bridge');
  }

  if (changed.length === 0) return { uuid: port._uuid, created: false, changed };
  await txn.execute();
  return { uuid: port._uuid, created: false, changed };
}

export interface DeletePortSpec {
  readonly name: string;
  /** If given, the port must be on this bridge (else OVSDB_INVALID_ARGUMENT). */
  readonly bridge?: string;
}

/** Removes the port (and its interfaces). Resolves false if there was no such port. */
export async function deletePort(db: Db, spec: DeletePortSpec, options: RetryOptions = {}): Promise<boolean> {
  return retryOnConflict(options, async () => {
    const snapshot = await read(db, spec.name);
    const port = snapshot.port;
    if (port === undefined) return false;
    const holders = snapshot.bridges.filter((b) => b.ports.has(port._uuid));
    if (spec.bridge !== undefined && holders.some((b) => b.name !== spec.bridge)) {
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `port ${spec.name} is not on bridge ${spec.bridge}`);
    }
    const txn = db.transaction();
    for (const holder of holders) {
      txn.mutate('Bridge', [['_uuid', '==', holder._uuid]], [['ports', 'delete', [port._uuid]]]);
    }
    await txn.execute();
    return true;
  });
}
