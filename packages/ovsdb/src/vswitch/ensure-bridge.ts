// ensureBridge: make a bridge look like a spec, idempotently, in ONE write transaction (or none
// at all when it already matches).
//
// Why so careful with controllers: ovs-vswitchd flushes every flow of a bridge when it gains
// its first controller or loses its last one, and reconnects when a Controller row is replaced.
// So a new bridge is created together with its Controller rows, and on an existing bridge the
// controller set is rewritten only when the targets differ; settings of a matching controller
// (max_backoff...) are updated in place.
//
// Concurrency: the write is guarded by `wait` operations on exactly what was read (no bridge of
// that name / the columns as read), so two concurrent calls cannot both create the bridge or
// overwrite each other's changes; the loser re-reads and usually finds nothing left to do.
import type { OvsdbDatabase } from '../database.js';
import { OvsdbError } from '../errors.js';
import type { BridgeRow, ControllerRow, OpenVswitchTables } from '../schemas/open-vswitch.js';
import type { NamedUuid } from '../data/named-uuid.js';
import { valueEquals } from '../data/values.js';
import { ConflictRetry, retryOnConflict, type RetryOptions } from './cas.js';
import { mapsEqual, mergeMap } from './maps.js';

export type OpenFlowVersion =
  'OpenFlow10' | 'OpenFlow11' | 'OpenFlow12' | 'OpenFlow13' | 'OpenFlow14' | 'OpenFlow15';

export interface ControllerSpec {
  /** e.g. `unix:/run/of.sock`, `tcp:10.0.0.1:6653`. */
  readonly target: string;
  /** Controller.max_backoff in ms (≥ 1000). Unset: left as is (OVS default 8 s). */
  readonly maxBackoff?: number;
  /** Controller.inactivity_probe in ms; 0 disables. Unset: left as is. */
  readonly inactivityProbe?: number;
  readonly connectionMode?: 'in-band' | 'out-of-band';
}

export interface BridgeSpec {
  readonly name: string;
  /** `netdev` (userspace), `system` (kernel) or '' (the default, system). Unset: left as is. */
  readonly datapathType?: string;
  readonly failMode?: 'secure' | 'standalone';
  readonly protocols?: readonly OpenFlowVersion[];
  /** The exact controller set; `[]` removes all. Unset: left as is. */
  readonly controllers?: readonly ControllerSpec[];
  /** 16 hex digits, stored as other_config:datapath-id. */
  readonly datapathId?: string;
  /** Merged into external_ids: the given keys are set, other keys are kept. */
  readonly externalIds?: Readonly<Record<string, string>>;
  /** Merged into other_config, like externalIds. */
  readonly otherConfig?: Readonly<Record<string, string>>;
}

export interface EnsureResult {
  readonly uuid: string;
  readonly created: boolean;
  /** What was written (`fail_mode`, `controller`, `Controller(unix:…).max_backoff`…); empty: nothing. */
  readonly changed: readonly string[];
}

type Db = OvsdbDatabase<OpenVswitchTables>;

const BRIDGE_COLUMNS = [
  '_uuid',
  'name',
  'datapath_type',
  'fail_mode',
  'protocols',
  'controller',
  'external_ids',
  'other_config',
] as const;
const CONTROLLER_COLUMNS = ['_uuid', 'target', 'max_backoff', 'inactivity_probe', 'connection_mode'] as const;

type ReadBridge = Pick<BridgeRow, (typeof BRIDGE_COLUMNS)[number]>;
type ReadController = Pick<ControllerRow, (typeof CONTROLLER_COLUMNS)[number]>;

interface Snapshot {
  readonly root: string;
  readonly bridge: ReadBridge | undefined;
  readonly controllers: ReadonlyMap<string, ReadController>;
}

export async function ensureBridge(
  db: Db,
  spec: BridgeSpec,
  options: RetryOptions = {},
): Promise<EnsureResult> {
  validate(spec);
  return retryOnConflict(options, async () => {
    const snapshot = await read(db, spec.name);
    return snapshot.bridge === undefined
      ? create(db, spec, snapshot.root)
      : update(db, spec, snapshot, snapshot.bridge);
  });
}

function validate(spec: BridgeSpec): void {
  if (spec.name === '') throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'bridge name is empty');
  if (spec.datapathId !== undefined && !/^[0-9a-fA-F]{16}$/.test(spec.datapathId)) {
    throw new OvsdbError(
      'OVSDB_INVALID_ARGUMENT',
      `datapathId must be 16 hex digits, got ${spec.datapathId}`,
    );
  }
  const targets = new Set(spec.controllers?.map((c) => c.target));
  if (targets.size !== (spec.controllers?.length ?? 0)) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'controller targets must be unique');
  }
}

async function read(db: Db, name: string): Promise<Snapshot> {
  const txn = db.transaction();
  const root = txn.select('Open_vSwitch', [], ['_uuid']);
  const bridges = txn.select('Bridge', [['name', '==', name]], BRIDGE_COLUMNS);
  const controllers = txn.select('Controller', [], CONTROLLER_COLUMNS);
  const result = await txn.execute();
  const rootRow = result.get(root)[0];
  if (rootRow === undefined) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', 'the Open_vSwitch table is empty (run `ovs-vsctl init`)');
  }
  return {
    root: rootRow._uuid,
    bridge: result.get(bridges)[0],
    controllers: new Map(result.get(controllers).map((c) => [c._uuid, c])),
  };
}

function otherConfigOf(spec: BridgeSpec, current: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const merged = mergeMap(current, spec.otherConfig);
  return spec.datapathId === undefined
    ? merged
    : mergeMap(merged, { 'datapath-id': spec.datapathId.toLowerCase() });
}

function controllerRow(spec: ControllerSpec): {
  target: string;
  max_backoff?: number;
  inactivity_probe?: number;
  connection_mode?: 'in-band' | 'out-of-band';
} {
  return {
    target: spec.target,
    ...(spec.maxBackoff === undefined ? {} : { max_backoff: spec.maxBackoff }),
    ...(spec.inactivityProbe === undefined ? {} : { inactivity_probe: spec.inactivityProbe }),
    ...(spec.connectionMode === undefined ? {} : { connection_mode: spec.connectionMode }),
  };
}

async function create(db: Db, spec: BridgeSpec, root: string): Promise<EnsureResult> {
  const txn = db.transaction();
  // Guard: still no bridge of that name (Bridge's unique index on name would also refuse a
  // duplicate at commit; the wait makes the conflict explicit and cheap).
  txn.wait('Bridge', [['name', '==', spec.name]], { columns: ['name'], until: '==', rows: [] });
  const controllerRefs: NamedUuid[] = (spec.controllers ?? []).map(
    (controller) => txn.insert('Controller', controllerRow(controller)).ref,
  );
  const row = {
    name: spec.name,
    controller: controllerRefs,
    ...(spec.datapathType === undefined ? {} : { datapath_type: spec.datapathType }),
    ...(spec.failMode === undefined ? {} : { fail_mode: spec.failMode }),
    ...(spec.protocols === undefined ? {} : { protocols: spec.protocols }),
    external_ids: mergeMap(new Map(), spec.externalIds),
    other_config: otherConfigOf(spec, new Map()),
  };
  const bridge = txn.insert('Bridge', row);
  const attach = txn.mutate('Open_vSwitch', [['_uuid', '==', root]], [['bridges', 'insert', [bridge.ref]]]);
  const result = await txn.execute();
  // A root row replaced under us would leave the new bridge unreferenced (and collected).
  if (result.get(attach) !== 1) throw new ConflictRetry('Open_vSwitch row changed');
  return { uuid: result.get(bridge), created: true, changed: Object.keys(row) };
}

async function update(
  db: Db,
  spec: BridgeSpec,
  snapshot: Snapshot,
  bridge: ReadBridge,
): Promise<EnsureResult> {
  const changed: string[] = [];
  const row: {
    datapath_type?: string;
    fail_mode?: 'secure' | 'standalone';
    protocols?: readonly OpenFlowVersion[];
    external_ids?: ReadonlyMap<string, string>;
    other_config?: ReadonlyMap<string, string>;
    controller?: (string | NamedUuid)[];
  } = {};
  if (spec.datapathType !== undefined && spec.datapathType !== bridge.datapath_type) {
    row.datapath_type = spec.datapathType;
  }
  if (spec.failMode !== undefined && spec.failMode !== bridge.fail_mode) row.fail_mode = spec.failMode;
  if (spec.protocols !== undefined && !valueEquals(new Set(spec.protocols), bridge.protocols)) {
    row.protocols = spec.protocols;
  }
  const externalIds = mergeMap(bridge.external_ids, spec.externalIds);
  if (!mapsEqual(externalIds, bridge.external_ids)) row.external_ids = externalIds;
  const otherConfig = otherConfigOf(spec, bridge.other_config);
  if (!mapsEqual(otherConfig, bridge.other_config)) row.other_config = otherConfig;
  changed.push(...Object.keys(row));

  const txn = db.transaction();
  const where = [['_uuid', '==', bridge._uuid]] as const;
  // Guard on everything the decision was based on.
  txn.wait('Bridge', [...where], {
    columns: ['datapath_type', 'fail_mode', 'protocols', 'controller', 'external_ids', 'other_config'],
    until: '==',
    rows: [
      {
        datapath_type: bridge.datapath_type,
        fail_mode: bridge.fail_mode,
        protocols: bridge.protocols,
        controller: bridge.controller,
        external_ids: bridge.external_ids,
        other_config: bridge.other_config,
      },
    ],
  });

  if (spec.controllers !== undefined) {
    const current = [...bridge.controller].map((uuid) => snapshot.controllers.get(uuid));
    if (current.some((c) => c === undefined))
      throw new ConflictRetry('controller rows changed while reading');
    const byTarget = new Map((current as ReadController[]).map((c) => [c.target, c]));
    const keep: (string | NamedUuid)[] = [];
    // Same size and every wanted target present (targets in the spec are unique) = same set.
    let setChanged = current.length !== spec.controllers.length;
    for (const wanted of spec.controllers) {
      const existing = byTarget.get(wanted.target);
      if (existing === undefined) {
        keep.push(txn.insert('Controller', controllerRow(wanted)).ref);
        setChanged = true;
        continue;
      }
      keep.push(existing._uuid);
      const settings = controllerUpdates(wanted, existing);
      if (Object.keys(settings).length > 0) {
        txn.wait('Controller', [['_uuid', '==', existing._uuid]], {
          columns: ['max_backoff', 'inactivity_probe', 'connection_mode'],
          until: '==',
          rows: [
            {
              max_backoff: existing.max_backoff,
              inactivity_probe: existing.inactivity_probe,
              connection_mode: existing.connection_mode,
            },
          ],
        });
        txn.update('Controller', [['_uuid', '==', existing._uuid]], settings);
        changed.push(...Object.keys(settings).map((column) => `Controller(${wanted.target}).${column}`));
      }
    }
    if (setChanged) {
      row.controller = keep;
      changed.push('controller');
    }
  }

  if (changed.length === 0) return { uuid: bridge._uuid, created: false, changed };
  if (Object.keys(row).length > 0) txn.update('Bridge', [...where], row);
  await txn.execute();
  return { uuid: bridge._uuid, created: false, changed };
}

function controllerUpdates(
  wanted: ControllerSpec,
  existing: ReadController,
): { max_backoff?: number; inactivity_probe?: number; connection_mode?: 'in-band' | 'out-of-band' } {
  return {
    ...(wanted.maxBackoff !== undefined && wanted.maxBackoff !== existing.max_backoff
      ? { max_backoff: wanted.maxBackoff }
      : {}),
    ...(wanted.inactivityProbe !== undefined && wanted.inactivityProbe !== existing.inactivity_probe
      ? { inactivity_probe: wanted.inactivityProbe }
      : {}),
    ...(wanted.connectionMode !== undefined && wanted.connectionMode !== existing.connection_mode
      ? { connection_mode: wanted.connectionMode }
      : {}),
  };
}
