// Checks on `commit(ops)` that need no stored state, done before a driver reads or writes
// anything: known tables and indexes, valid objects (the model's schema), well-formed claims and
// versions, and no object or claim written twice in one commit. Every driver calls this first, so
// a malformed request fails the same way (WEIR_MODEL_INVALID naming /ops/<i>/…) everywhere.
//
// Why "written twice" is refused: conditions are evaluated against the state *before* the commit
// (as in an etcd transaction, whose compares all precede its puts), so two writes to one key in a
// commit would have no well-defined meaning — etcd itself rejects them.
import { WeirError, assertValid, isTableName, isWeirError, type ModelObject } from '@weir/model';
import type { WriteOp } from '../store.js';
import { frozenJsonCopy } from './clone.js';
import { hasIndex } from './indexes.js';

function bad(index: number, path: string, reason: string): WeirError {
  const field = `/ops/${index}${path}`;
  return new WeirError('WEIR_MODEL_INVALID', `ops[${index}]: ${reason}`, [{ field, reason }]);
}

const isVersion = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function validObject(op: WriteOp & { kind: 'create' | 'update' }, index: number): ModelObject {
  if (!isTableName(op.table)) throw bad(index, '/table', `unknown table ${String(op.table)}`);
  if (op.object === null || typeof op.object !== 'object') throw bad(index, '/object', 'not an object');
  let object: ModelObject;
  try {
    object = frozenJsonCopy(op.object);
  } catch (error) {
    throw bad(index, '/object', `not storable as JSON: ${(error as Error).message}`);
  }
  try {
    assertValid(op.table, object);
  } catch (error) {
    if (!isWeirError(error)) throw error;
    const details = error.details.map((d) => ({ ...d, field: `/ops/${index}/object${d.field ?? ''}` }));
    throw new WeirError('WEIR_MODEL_INVALID', `ops[${index}]: ${error.message}`, details);
  }
  return object;
}

/**
 * Validates `ops` and returns them with every object replaced by a validated, frozen JSON copy (the
 * caller keeps no reference into the store). Throws WEIR_MODEL_INVALID on the first malformed one.
 */
export function normalizeOps(ops: readonly WriteOp[]): readonly WriteOp[] {
  if (!(ops instanceof Array)) throw new WeirError('WEIR_MODEL_INVALID', 'ops must be an array');
  const writtenObjects = new Set<string>();
  const writtenClaims = new Set<string>();
  const once = (set: Set<string>, key: string, index: number, what: string): void => {
    if (set.has(key)) throw bad(index, '', `${what} is written twice in one commit`);
    set.add(key);
  };
  return ops.map((op, index): WriteOp => {
    switch (op.kind) {
      case 'create':
      case 'update': {
        const object = validObject(op, index);
        once(writtenObjects, `${op.table}\u0000${object.id}`, index, `${op.table} ${object.id}`);
        if (op.kind === 'update') return { kind: 'update', table: op.table, object };
        if (op.lease === undefined) return { kind: 'create', table: op.table, object };
        if (!isName(op.lease)) throw bad(index, '/lease', 'lease must be a lease id');
        return { kind: 'create', table: op.table, object, lease: op.lease };
      }
      case 'delete':
        if (!isTableName(op.table)) throw bad(index, '/table', `unknown table ${String(op.table)}`);
        if (!isName(op.id)) throw bad(index, '/id', 'id must be a non-empty string');
        if (op.expectedVersion !== undefined && !isVersion(op.expectedVersion))
          throw bad(index, '/expectedVersion', 'expectedVersion must be a non-negative integer');
        once(writtenObjects, `${op.table}\u0000${op.id}`, index, `${op.table} ${op.id}`);
        return op;
      case 'check':
        if (!isTableName(op.table)) throw bad(index, '/table', `unknown table ${String(op.table)}`);
        if (!isName(op.id)) throw bad(index, '/id', 'id must be a non-empty string');
        if (op.version !== 'absent' && !isVersion(op.version))
          throw bad(index, '/version', "version must be a non-negative integer or 'absent'");
        return op;
      case 'checkEmpty':
      case 'checkNoneJoined':
        if (!isTableName(op.table)) throw bad(index, '/table', `unknown table ${String(op.table)}`);
        if (!isName(op.index?.name) || !hasIndex(op.table, op.index.name))
          throw bad(index, '/index/name', `${op.table} has no index ${String(op.index?.name)}`);
        if (typeof op.index.value !== 'string') throw bad(index, '/index/value', 'value must be a string');
        if (op.kind === 'checkNoneJoined' && !isVersion(op.since))
          throw bad(index, '/since', 'since must be a non-negative integer');
        return op;
      case 'claim':
      case 'release':
        if (!isName(op.namespace)) throw bad(index, '/namespace', 'namespace must be a non-empty string');
        if (!isName(op.key)) throw bad(index, '/key', 'key must be a non-empty string');
        if (!isName(op.owner)) throw bad(index, '/owner', 'owner must be a non-empty string');
        once(writtenClaims, `${op.namespace}\u0000${op.key}`, index, `claim ${op.namespace} ${op.key}`);
        return op;
      default:
        throw bad(index, '/kind', `unknown operation ${String((op as { kind?: unknown }).kind)}`);
    }
  });
}
