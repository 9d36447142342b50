// Planning a commit: every condition checked and every resulting change computed against the
// current state, without mutating it. Anything that can fail or throw (conditions, the model's
// index functions) happens here, so applying the plan afterwards is plain map updates.
import type { ModelObject, TableName } from '@weir/model';
import { deepFreeze } from '../shared/clone.js';
import { opError } from '../shared/errors.js';
import { indexDiff, type IndexDiff } from '../shared/indexes.js';
import type { WatchEvent, WriteOp } from '../store.js';
import type { Entry, StoreState } from './state.js';

export interface PlannedWrite {
  readonly table: TableName;
  readonly id: string;
  readonly next: Entry | undefined;
  readonly prev: Entry | undefined;
  readonly diff: IndexDiff;
}

export interface PlannedClaim {
  readonly namespace: string;
  readonly key: string;
  /** undefined: released. */
  readonly owner: string | undefined;
}

export interface Plan {
  /** The revision the commit gets if it changes anything. */
  readonly revision: number;
  readonly writes: readonly PlannedWrite[];
  readonly claims: readonly PlannedClaim[];
  /** Created and updated objects, in op order (CommitResult.written). */
  readonly written: readonly ModelObject[];
  readonly events: readonly WatchEvent[];
}

export function isEmptyPlan(plan: Plan): boolean {
  return plan.writes.length === 0 && plan.claims.length === 0;
}

/** The object as stored: its version is the commit's revision (its fields are frozen already). */
function stamp(object: ModelObject, revision: number): ModelObject {
  return deepFreeze({ ...object, version: revision });
}

/**
 * Plans `ops` (already normalised by `normalizeOps`) against `state`. Throws the WeirError of the
 * first operation whose condition fails. `leaseAlive` tells whether a lease may take new objects.
 */
export function planCommit(
  state: StoreState,
  ops: readonly WriteOp[],
  leaseAlive: (lease: string) => boolean,
): Plan {
  const revision = state.revision + 1;
  const writes: PlannedWrite[] = [];
  const claims: PlannedClaim[] = [];
  const written: ModelObject[] = [];
  const events: WatchEvent[] = [];
  ops.forEach((op, i) => {
    switch (op.kind) {
      case 'create': {
        const prev = state.get(op.table, op.object.id);
        if (prev) throw opError('WEIR_STORE_EXISTS', i, `${op.table} ${op.object.id} already exists`);
        if (op.lease !== undefined && !leaseAlive(op.lease))
          throw opError('WEIR_STORE_NOT_FOUND', i, `lease ${op.lease} does not exist (revoked or expired)`);
        const object = stamp(op.object, revision);
        const next: Entry = op.lease === undefined ? { object } : { object, lease: op.lease };
        writes.push({
          table: op.table,
          id: object.id,
          next,
          prev,
          diff: indexDiff(op.table, undefined, object),
        });
        written.push(object);
        events.push({ type: 'put', table: op.table, object });
        return;
      }
      case 'update': {
        const prev = state.get(op.table, op.object.id);
        if (!prev) throw opError('WEIR_STORE_NOT_FOUND', i, `${op.table} ${op.object.id} does not exist`);
        if (prev.object.version !== op.object.version)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${op.table} ${op.object.id} is at version ${prev.object.version}, not ${op.object.version}`,
          );
        if (prev.object.topic !== op.object.topic)
          throw opError(
            'WEIR_MODEL_INVALID',
            i,
            `${op.table} ${op.object.id}: the topic of an object cannot change`,
          );
        const object = stamp(op.object, revision);
        // An update keeps the object's lease (etcd: put with ignore_lease).
        const next: Entry = prev.lease === undefined ? { object } : { object, lease: prev.lease };
        writes.push({
          table: op.table,
          id: object.id,
          next,
          prev,
          diff: indexDiff(op.table, prev.object, object),
        });
        written.push(object);
        events.push({ type: 'put', table: op.table, object, prev: prev.object });
        return;
      }
      case 'delete': {
        const prev = state.get(op.table, op.id);
        if (!prev) throw opError('WEIR_STORE_NOT_FOUND', i, `${op.table} ${op.id} does not exist`);
        if (op.expectedVersion !== undefined && prev.object.version !== op.expectedVersion)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${op.table} ${op.id} is at version ${prev.object.version}, not ${op.expectedVersion}`,
          );
        writes.push({
          table: op.table,
          id: op.id,
          next: undefined,
          prev,
          diff: indexDiff(op.table, prev.object, undefined),
        });
        events.push({ type: 'delete', table: op.table, prev: prev.object });
        return;
      }
      case 'check': {
        const current = state.get(op.table, op.id)?.object.version;
        if (op.version === 'absent' ? current !== undefined : current !== op.version)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${op.table} ${op.id} is ${current === undefined ? 'absent' : `at version ${current}`}, expected ${op.version === 'absent' ? 'absent' : `version ${op.version}`}`,
          );
        return;
      }
      case 'checkEmpty': {
        const count = state.tables.get(op.table)?.countUnder(op.index.name, op.index.value) ?? 0;
        if (count > 0)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${count} ${op.table} object(s) are listed under ${op.index.name}=${op.index.value}`,
          );
        return;
      }
      case 'checkNoneJoined': {
        // Joining an index value is a write, so a newcomer's version is past `since`.
        const t = state.tables.get(op.table);
        for (const id of t?.idsUnder(op.index.name, op.index.value) ?? []) {
          const version = t?.byId.get(id)?.object.version ?? 0;
          if (version > op.since)
            throw opError(
              'WEIR_STORE_CONFLICT',
              i,
              `${op.table} ${id} under ${op.index.name}=${op.index.value} was written after revision ${op.since}`,
            );
        }
        return;
      }
      case 'claim':
      case 'release': {
        const owner = state.claimOwner(op.namespace, op.key);
        if (owner !== undefined && owner !== op.owner)
          throw opError('WEIR_STORE_CLAIMED', i, `${op.namespace} ${op.key} is held by ${owner}`);
        if (op.kind === 'claim' && owner === undefined)
          claims.push({ namespace: op.namespace, key: op.key, owner: op.owner });
        if (op.kind === 'release' && owner !== undefined)
          claims.push({ namespace: op.namespace, key: op.key, owner: undefined });
        return;
      }
    }
  });
  return { revision, writes, claims, written, events };
}

/** The plan that deletes those of the given objects that exist (a lease ending). */
export function planDeletes(state: StoreState, refs: readonly { table: TableName; id: string }[]): Plan {
  const writes: PlannedWrite[] = [];
  const events: WatchEvent[] = [];
  for (const { table, id } of refs) {
    const prev = state.get(table, id);
    if (!prev) continue;
    writes.push({ table, id, next: undefined, prev, diff: indexDiff(table, prev.object, undefined) });
    events.push({ type: 'delete', table, prev: prev.object });
  }
  return { revision: state.revision + 1, writes, claims: [], written: [], events };
}
