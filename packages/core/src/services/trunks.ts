// Trunks with the rules of Neutron's trunk plugin (services/trunk/rules.py): a parent port carries
// its own traffic untagged and each subport's traffic tagged with the subport's VLAN id.
//
// Concurrency without locks: every port that takes part in a trunk (parent or subport) is a claim
// in TRUNK_PORT_NAMESPACE owned by the trunk, taken in the commit that creates the trunk or adds
// the subport. So two trunks racing for one port can never both win, whatever role each gives it:
// the loser's commit fails with WEIR_STORE_CLAIMED, its retry re-reads and reports Neutron's error.
// Segmentation ids live in the trunk object itself, so the trunk's CAS keeps them unique. The
// parent port is CAS-updated too, so a concurrent bind or delete of it cannot slip between the
// read and the commit.
import type { LogicalPort, Trunk } from '@weir/model';
import { WeirError } from '@weir/model';
import type { WriteOp } from '@weir/nbdb';
import type { Actor, CoreContext } from '../context.js';
import { conflict, forbidden, inUse, invalidInput } from '../errors.js';
import { baseFields, readOwned, touch, type BaseInput } from '../objects.js';
import { checkQuota } from '../quota.js';
import { checkRevision, type IfMatchOptions } from '../revision.js';
import { withRetries } from '../retry.js';

/** Claims of the ports used by trunks: key = port id, owner = trunk id. */
export const TRUNK_PORT_NAMESPACE = 'trunk-port';

export interface SubportInput {
  readonly portId: string;
  readonly segmentationType: string;
  readonly segmentationId: number;
}

export interface TrunkInput extends BaseInput {
  /** The parent port. */
  readonly portId: string;
  readonly subports?: readonly SubportInput[];
  readonly adminStateUp?: boolean;
  readonly projectId?: string;
}

export interface TrunkPatch extends BaseInput {
  readonly adminStateUp?: boolean;
}

type Subport = Trunk['subports'][number];

/** The claim that marks `portId` as used by `trunkId`. */
export function trunkPortClaim(kind: 'claim' | 'release', portId: string, trunkId: string): WriteOp {
  return { kind, namespace: TRUNK_PORT_NAMESPACE, key: portId, owner: trunkId };
}

/** Neutron's request validation: known segmentation type, id in range, each port listed once. */
function validateSubports(subports: readonly SubportInput[]): Subport[] {
  const ports = new Set<string>();
  return subports.map((s) => {
    if (s.segmentationType !== 'vlan')
      throw invalidInput(`Unknown segmentation_type '${s.segmentationType}'`, 'sub_ports');
    if (!Number.isInteger(s.segmentationId) || s.segmentationId < 1 || s.segmentationId > 4094)
      throw invalidInput(`Segmentation ID '${s.segmentationId}' is not in range`, 'sub_ports');
    if (ports.has(s.portId)) throw invalidInput(`port ${s.portId} is listed twice in sub_ports`, 'sub_ports');
    ports.add(s.portId);
    return { portId: s.portId, segmentationType: 'vlan', segmentationId: s.segmentationId };
  });
}

function duplicateSubport(trunkId: string, segmentationId: number): WeirError {
  return inUse(
    'DuplicateSubPort',
    `segmentation_type vlan and segmentation_id ${segmentationId} already in use on trunk ${trunkId}.`,
  );
}

/** Refuses a segmentation id used twice among `existing` and `added`. */
function checkSegmentation(trunkId: string, existing: readonly Subport[], added: readonly Subport[]): void {
  const used = new Set(existing.map((s) => s.segmentationId));
  for (const s of added) {
    if (used.has(s.segmentationId)) throw duplicateSubport(trunkId, s.segmentationId);
    used.add(s.segmentationId);
  }
}

/** Neutron's TrunkPortValidator: a port in no trunk at all, whatever the role it would take. */
async function checkNotInTrunk(ctx: CoreContext, port: LogicalPort): Promise<void> {
  if (port.subportOf) throw inUse('TrunkPortInUse', `Port ${port.id} is in use by another trunk.`);
  if ((await ctx.store.count('trunk', { index: { name: 'port', value: port.id } })) > 0)
    throw parentPortInUse(port.id);
}

function parentPortInUse(portId: string): WeirError {
  return inUse(
    'ParentPortInUse',
    `Port ${portId} is currently in use and is not eligible for use as a parent port.`,
  );
}

/**
 * The parent may not be bound: Weir's OVS data plane, like Neutron's OVS trunk driver
 * (can_trunk_bound_port = False), builds the trunk when the port is plugged, not afterwards.
 */
async function readParent(ctx: CoreContext, actor: Actor, portId: string): Promise<LogicalPort> {
  const parent = await readOwned(ctx, actor, 'logical_port', 'port', portId);
  await checkNotInTrunk(ctx, parent);
  if (parent.binding.hostId !== '') throw parentPortInUse(portId);
  return parent;
}

async function networkMtu(ctx: CoreContext, port: LogicalPort): Promise<number | undefined> {
  return (await ctx.store.get('logical_switch', port.networkId))?.mtu;
}

/** Reads and checks the ports to add as subports of a trunk on `parent`. */
async function readSubports(
  ctx: CoreContext,
  actor: Actor,
  parent: LogicalPort,
  subports: readonly Subport[],
): Promise<LogicalPort[]> {
  const parentMtu = await networkMtu(ctx, parent);
  const out: LogicalPort[] = [];
  for (const s of subports) {
    if (s.portId === parent.id) throw parentPortInUse(s.portId);
    const port = await readOwned(ctx, actor, 'logical_port', 'port', s.portId);
    await checkNotInTrunk(ctx, port);
    // A port serving a device (VM, router, DHCP…) would change meaning under a trunk.
    if (port.deviceId !== '') {
      throw inUse(
        'PortInUse',
        `Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`,
      );
    }
    const mtu = await networkMtu(ctx, port);
    if (parentMtu !== undefined && mtu !== undefined && mtu > parentMtu) {
      throw conflict(
        'SubPortMtuGreaterThanTrunkPortMtu',
        `MTU ${mtu} of subport ${port.id} cannot be greater than MTU ${parentMtu} of trunk ${parent.id}.`,
      );
    }
    out.push(port);
  }
  return out;
}

/** Claims and port updates that make `ports` subports of `trunk`. */
function attachOps(
  ctx: CoreContext,
  trunk: Trunk,
  ports: readonly LogicalPort[],
  subports: readonly Subport[],
): WriteOp[] {
  return ports.flatMap((port, i): WriteOp[] => {
    const s = subports[i] as Subport;
    const subportOf = {
      trunkId: trunk.id,
      parentPortId: trunk.portId,
      segmentationType: s.segmentationType,
      segmentationId: s.segmentationId,
    };
    return [
      trunkPortClaim('claim', port.id, trunk.id),
      { kind: 'update', table: 'logical_port', object: touch(ctx, { ...port, subportOf }) },
    ];
  });
}

/** Releases and port updates that take subports out of `trunk` (ports already gone are skipped). */
async function detachOps(ctx: CoreContext, trunk: Trunk, subports: readonly Subport[]): Promise<WriteOp[]> {
  const ops: WriteOp[] = [];
  for (const s of subports) {
    ops.push(trunkPortClaim('release', s.portId, trunk.id));
    const port = await ctx.store.get('logical_port', s.portId);
    if (port?.subportOf?.trunkId !== trunk.id) continue;
    const { subportOf: _dropped, ...rest } = port;
    ops.push({ kind: 'update', table: 'logical_port', object: touch(ctx, rest) });
  }
  return ops;
}

/** Neutron's trunk_can_be_managed (and TrunkInErrorState for subport changes). */
function checkManageable(trunk: Trunk, changingSubports: boolean): void {
  if (!trunk.adminStateUp) throw conflict('TrunkDisabled', `Trunk ${trunk.id} is currently disabled.`);
  if (changingSubports && trunk.status === 'ERROR') {
    throw conflict(
      'TrunkInErrorState',
      `Trunk ${trunk.id} is in error state. Attempt to resolve the error condition before proceeding.`,
    );
  }
}

async function commitTrunk(ctx: CoreContext, ops: readonly WriteOp[], id: string): Promise<Trunk> {
  const result = await ctx.store.commit(ops);
  ctx.stats.commits++;
  return result.written.find((o): o is Trunk => o.id === id && 'subports' in o) as Trunk;
}

export async function createTrunk(ctx: CoreContext, actor: Actor, input: TrunkInput): Promise<Trunk> {
  const topic = input.projectId ?? actor.projectId;
  if (!actor.admin && topic !== actor.projectId)
    throw forbidden('(rule:create_trunk) is disallowed by policy');
  const subports = validateSubports(input.subports ?? []);
  await checkQuota(ctx, topic, 'trunk', 'trunk');
  const base = await baseFields(ctx, 'trunk', topic, input);
  checkSegmentation(base.id, [], subports);
  return withRetries(ctx, 'create trunk', async () => {
    const parent = await readParent(ctx, actor, input.portId);
    const ports = await readSubports(ctx, actor, parent, subports);
    // Neutron creates a trunk DOWN; the data plane reports ACTIVE once it is wired.
    const trunk: Trunk = {
      ...base,
      portId: parent.id,
      subports,
      status: 'DOWN',
      adminStateUp: input.adminStateUp ?? true,
    };
    return commitTrunk(
      ctx,
      [
        trunkPortClaim('claim', parent.id, trunk.id),
        { kind: 'create', table: 'trunk', object: trunk },
        { kind: 'update', table: 'logical_port', object: touch(ctx, parent) },
        ...attachOps(ctx, trunk, ports, subports),
      ],
      trunk.id,
    );
  });
}

export async function updateTrunk(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  patch: TrunkPatch,
  options: IfMatchOptions = {},
): Promise<Trunk> {
  return withRetries(ctx, 'update trunk', async () => {
    const trunk = await readOwned(ctx, actor, 'trunk', 'trunk', id);
    checkRevision(trunk, options.ifMatchVersion);
    const next: Trunk = touch(ctx, {
      ...trunk,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.tags === undefined ? {} : { tags: [...patch.tags] }),
      ...(patch.adminStateUp === undefined ? {} : { adminStateUp: patch.adminStateUp }),
    });
    return commitTrunk(ctx, [{ kind: 'update', table: 'trunk', object: next }], id);
  });
}

/** Deletes the trunk, frees its parent and takes every subport out, in one commit. */
export async function deleteTrunk(
  ctx: CoreContext,
  actor: Actor,
  id: string,
  options: IfMatchOptions = {},
): Promise<void> {
  await withRetries(ctx, 'delete trunk', async () => {
    const trunk = await readOwned(ctx, actor, 'trunk', 'trunk', id);
    checkRevision(trunk, options.ifMatchVersion);
    checkManageable(trunk, false);
    const ops: WriteOp[] = [{ kind: 'delete', table: 'trunk', id, expectedVersion: trunk.version }];
    const parent = await ctx.store.get('logical_port', trunk.portId);
    if (parent) {
      // A bound parent is wired as a trunk on its host; untrunking it there is not supported.
      if (parent.binding.hostId !== '') throw inUse('TrunkInUse', `Trunk ${id} is currently in use.`);
      ops.push({ kind: 'check', table: 'logical_port', id: parent.id, version: parent.version });
    }
    ops.push(trunkPortClaim('release', trunk.portId, id), ...(await detachOps(ctx, trunk, trunk.subports)));
    await ctx.store.commit(ops);
    ctx.stats.commits++;
  });
}

export async function addSubports(
  ctx: CoreContext,
  actor: Actor,
  trunkId: string,
  subports: readonly SubportInput[],
): Promise<Trunk> {
  const added = validateSubports(subports);
  return withRetries(ctx, 'add subports', async () => {
    const trunk = await readOwned(ctx, actor, 'trunk', 'trunk', trunkId);
    checkManageable(trunk, true);
    checkSegmentation(trunk.id, trunk.subports, added);
    const parent = await readOwned(ctx, actor, 'logical_port', 'port', trunk.portId);
    const ports = await readSubports(ctx, actor, parent, added);
    // As in Neutron, a change of subports puts the trunk back to DOWN until the data plane is done.
    const next: Trunk = touch(ctx, { ...trunk, subports: [...trunk.subports, ...added], status: 'DOWN' });
    return commitTrunk(
      ctx,
      [{ kind: 'update', table: 'trunk', object: next }, ...attachOps(ctx, trunk, ports, added)],
      trunkId,
    );
  });
}

export async function removeSubports(
  ctx: CoreContext,
  actor: Actor,
  trunkId: string,
  subports: readonly { readonly portId: string }[],
): Promise<Trunk> {
  return withRetries(ctx, 'remove subports', async () => {
    const trunk = await readOwned(ctx, actor, 'trunk', 'trunk', trunkId);
    checkManageable(trunk, true);
    const removing = new Set<string>();
    for (const { portId } of subports) {
      if (!trunk.subports.some((s) => s.portId === portId) || removing.has(portId)) {
        throw new WeirError(
          'WEIR_CORE_NOT_FOUND',
          `SubPort ${portId} on trunk ${trunkId} could not be found.`,
          [],
          'SubPortNotFound',
        );
      }
      removing.add(portId);
    }
    const next: Trunk = touch(ctx, {
      ...trunk,
      subports: trunk.subports.filter((s) => !removing.has(s.portId)),
      status: 'DOWN',
    });
    const removed = trunk.subports.filter((s) => removing.has(s.portId));
    return commitTrunk(
      ctx,
      [{ kind: 'update', table: 'trunk', object: next }, ...(await detachOps(ctx, trunk, removed))],
      trunkId,
    );
  });
}
