// commit(ops) on etcd: ONE transaction, optimistic.
//
//  1. Read what the operations depend on (locators, current objects, claims, "is this index value
//     empty"), batched into read-only transactions — see snapshot.ts. What an op needs to be
//     *absent* (the id of a create, a value to claim, an index value that must be empty) is not
//     read on the first attempt but assumed, and compared: the common commit (create a port and
//     claim its address and MAC) is then ONE round trip, and a wrong guess costs one more.
//  2. Judge every operation against that state, in op order, exactly as the embedded drivers do
//     (conditions are about the state before the commit; the first failing op is reported with
//     "/ops/<i>"). Nothing is sent when an operation fails here.
//  3. Send one transaction: a compare for every key the judgement relied on (mod_revision when it
//     existed, create_revision == 0 when it did not; an index range is "empty" when every key in
//     it has create_revision == 0, which etcd evaluates as true over an empty range and false as
//     soon as one key exists — verified against etcd 3.4.23; "none joined since R" is
//     create_revision < R+1 over the range, true over an empty range for the same reason), then
//     all puts and deletes.
//  4. If a compare failed, someone wrote in between. The failure branch of the same transaction
//     re-reads every key we compared, so step 2 runs again on fresh state without another round
//     trip: it either names the op that now fails (CONFLICT / EXISTS / NOT_FOUND / CLAIMED) or,
//     when the change did not matter to us (a delete without expectedVersion whose object was
//     updated meanwhile), the transaction is rebuilt and sent again.
import { WeirError, type ModelObject, type TableName } from '@weir/model';
import type { ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import { opError } from '../shared/errors.js';
import { indexEntries, type IndexEntry } from '../shared/indexes.js';
import type { KeyLayout } from '../shared/keys.js';
import { normalizeOps } from '../shared/ops.js';
import type { CommitResult, WriteOp } from '../store.js';
import { decodeObject, enc, encodeObject, prefixEnd } from './codec.js';
import type { EtcdConnection } from './connection.js';
import { readId, readInto, requestOf, Snapshot, type Read } from './snapshot.js';
import type { Known, KnownObject } from './known.js';

export interface CommitLimits {
  /** The server's --max-txn-ops (compares, and operations per branch, each). */
  readonly maxTxnOps: number;
  /** The server's --max-request-bytes. */
  readonly maxRequestBytes: number;
}

export interface CommitContext {
  readonly connection: EtcdConnection;
  readonly keys: KeyLayout;
  readonly limits: CommitLimits;
  readonly known: Known;
  /** Test hook: runs after the reads, before the transaction is sent (to inject a rival write). */
  readonly beforeTxn?: ((attempt: number) => Promise<void>) | undefined;
}

/** How often a commit whose reads went stale is re-planned before giving up. */
const MAX_ATTEMPTS = 20;
/** Protobuf framing per operation, rounded up (tag, lengths, revision fields). */
const OP_OVERHEAD_BYTES = 24;

interface Plan {
  readonly compares: ICompare[];
  readonly writes: IRequestOp[];
  readonly written: ModelObject[];
  /** Objects created or updated (as stored, but for the version) and ids deleted, for `known`. */
  readonly located: { table: string; id: string; stored: Omit<KnownObject, 'version'> | undefined }[];
  /** Total bytes of keys and values, to refuse what the server would refuse. */
  bytes: number;
}

export async function commitOps(ctx: CommitContext, input: readonly WriteOp[]): Promise<CommitResult> {
  const ops = normalizeOps(input);
  if (ops.length === 0) {
    const response = await ctx.connection.txn({}, 'commit', true);
    return { revision: Number(response.header.revision), written: [] };
  }
  const snapshot = new Snapshot();
  for (let attempt = 1; ; attempt++) {
    let needs = await resolve(ctx, ops, snapshot, attempt === 1);
    let plan: Plan;
    try {
      plan = planTxn(ctx.keys, ops, snapshot, ctx.known);
    } catch (error) {
      if (snapshot.assumptions.length === 0) throw error;
      // An op failed on what was read; an earlier op may fail first on what was only assumed.
      // Read the assumptions and judge again, so the first failing op is the one reported.
      await readInto(ctx.connection, snapshot, snapshot.assumptions, ctx.limits.maxTxnOps);
      needs = await resolve(ctx, ops, snapshot, false);
      plan = planTxn(ctx.keys, ops, snapshot, ctx.known);
    }
    const reads = needs.map((n) => n.read);
    checkSize(ctx.limits, plan, reads);
    const reReadInTxn = reads.length <= ctx.limits.maxTxnOps;
    await ctx.beforeTxn?.(attempt);
    const response = await send(ctx, ops, plan, reReadInTxn ? reads : []);
    if (response.succeeded) return finish(ctx, plan, response);
    if (attempt >= MAX_ATTEMPTS) {
      throw new WeirError(
        'WEIR_STORE_CONFLICT',
        `commit kept losing to concurrent writers (${attempt} attempts)`,
      );
    }
    // What we held of these objects may be what moved on: read them from now on.
    for (const op of ops) {
      if (op.kind === 'update') ctx.known.forgetVersion(op.table, op.object.id);
      else if (op.kind === 'delete' || op.kind === 'check') ctx.known.forgetVersion(op.table, op.id);
    }
    snapshot.clear();
    if (reReadInTxn) snapshot.record(reads, response.responses);
  }
}

async function send(
  ctx: CommitContext,
  ops: readonly WriteOp[],
  plan: Plan,
  failureReads: readonly Read[],
): Promise<ITxnResponse> {
  try {
    return await ctx.connection.txn(
      { compare: plan.compares, success: plan.writes, failure: failureReads.map(requestOf) },
      'commit',
      false,
    );
  } catch (error) {
    // The only op-specific refusal etcd makes itself: a put bound to a lease that has ended.
    if (error instanceof WeirError && error.message.includes('requested lease not found')) {
      const i = ops.findIndex((op) => op.kind === 'create' && op.lease !== undefined);
      throw opError('WEIR_STORE_NOT_FOUND', Math.max(i, 0), 'the lease does not exist (revoked or expired)');
    }
    throw error;
  }
}

function finish(ctx: CommitContext, plan: Plan, response: ITxnResponse): CommitResult {
  const revision = Number(response.header.revision);
  for (const { table, id, stored } of plan.located) {
    if (stored === undefined) ctx.known.forget(table, id);
    else ctx.known.remember(table, { ...stored, version: revision });
  }
  return { revision, written: plan.written.map((o) => ({ ...o, version: revision })) };
}

/**
 * Reads until every key the plan needs is known (a locator can point at a key not yet read);
 * with `optimistic`, what may be assumed is assumed instead. Returns what the plan depends on.
 */
async function resolve(
  ctx: CommitContext,
  ops: readonly WriteOp[],
  snapshot: Snapshot,
  optimistic: boolean,
): Promise<Need[]> {
  for (let round = 0; ; round++) {
    const needs = readsFor(ctx, ops, snapshot);
    const missing: Read[] = [];
    for (const { read, assumption } of needs) {
      if (snapshot.has(read)) continue;
      if (optimistic && assumption !== undefined) snapshot.assume(read, assumption);
      else missing.push(read);
    }
    // Four rounds settle anything (locator, then object); past that, a key still moving is left
    // unread, and the plan treats it as gone.
    if (missing.length === 0 || round === 3) return needs;
    await readInto(ctx.connection, snapshot, missing, ctx.limits.maxTxnOps);
  }
}

/** The topic an id lives in, as far as we know: its locator if read, else our cache. */
function topicOf(ctx: CommitContext, snapshot: Snapshot, table: TableName, id: string): string | undefined {
  const locator = snapshot.keyIfRead(ctx.keys.locator(table, id));
  if (locator !== undefined) return locator === null ? undefined : locator.value.toString('utf8');
  return ctx.known.topic(table, id);
}

interface Need {
  readonly read: Read;
  /**
   * What the read may be assumed to return on a first attempt instead of asking etcd: null when
   * the op only needs it absent (or empty); the object as we last wrote or read it when the op
   * targets exactly that version; undefined when it must be read.
   */
  readonly assumption: IKeyValue | null | undefined;
}

/** A KeyValue as etcd would return it for `key`, from what we know. */
function knownKv(key: string, value: Buffer, modRevision: number, lease: string): IKeyValue {
  return {
    key: enc(key),
    value,
    mod_revision: String(modRevision),
    create_revision: '0',
    version: '0',
    lease,
  };
}

/** Whether `op` targets the very version of the object we hold (so it needs no read first). */
function targetsKnown(op: WriteOp & { kind: 'update' | 'delete' | 'check' }, known: KnownObject): boolean {
  switch (op.kind) {
    case 'update':
      return known.version === op.object.version && known.topic === op.object.topic;
    case 'delete':
      // Without expectedVersion, a guess: if the object moved on, the transaction fails and is retried.
      return op.expectedVersion === undefined || known.version === op.expectedVersion;
    case 'check':
      return known.version === op.version;
  }
}

/** Every read the ops depend on, given what is known so far (deduplicated, in a stable order). */
function readsFor(ctx: CommitContext, ops: readonly WriteOp[], snapshot: Snapshot): Need[] {
  const k = ctx.keys;
  const out = new Map<string, Need>();
  const add = (read: Read, assumption?: IKeyValue | null): void => {
    const id = readId(read);
    const prev = out.get(id);
    // Needed twice: assumed only if both only need it absent; otherwise read.
    const merged =
      prev === undefined ? assumption : prev.assumption === null && assumption === null ? null : undefined;
    out.set(id, { read, assumption: merged });
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'create':
        add({ kind: 'key', key: k.locator(op.table, op.object.id) }, null);
        break;
      case 'update':
      case 'delete':
      case 'check': {
        const id = op.kind === 'update' ? op.object.id : op.id;
        const locator = k.locator(op.table, id);
        if (op.kind === 'check' && op.version === 'absent') {
          add({ kind: 'key', key: locator }, null);
          break;
        }
        const known = ctx.known.object(op.table, id);
        // Only before the locator was really read: once it was, it says where the object is.
        if (known && targetsKnown(op, known) && snapshot.keyIfRead(locator) === undefined) {
          const key = k.object(op.table, known.topic, id);
          add({ kind: 'key', key: locator }, knownKv(locator, enc(known.topic), 0, known.lease));
          add({ kind: 'key', key }, knownKv(key, known.value, known.version, known.lease));
          break;
        }
        add({ kind: 'key', key: locator });
        const topic =
          topicOf(ctx, snapshot, op.table, id) ?? (op.kind === 'update' ? op.object.topic : undefined);
        if (topic !== undefined) add({ kind: 'key', key: k.object(op.table, topic, id) });
        break;
      }
      case 'checkEmpty':
        add({ kind: 'range', prefix: k.indexValue(op.table, op.index.name, op.index.value) }, null);
        break;
      case 'checkNoneJoined': {
        const prefix = k.indexValue(op.table, op.index.name, op.index.value);
        add({ kind: 'joined', prefix, since: op.since }, null);
        break;
      }
      case 'claim':
      case 'release':
        add({ kind: 'key', key: k.claim(op.namespace, op.key) }, op.kind === 'claim' ? null : undefined);
        break;
    }
  }
  return [...out.values()];
}

const absent = (key: string): ICompare => ({
  key: enc(key),
  target: 'Create',
  result: 'Equal',
  create_revision: 0,
});
const unchanged = (kv: IKeyValue): ICompare => ({
  key: kv.key,
  target: 'Mod',
  result: 'Equal',
  mod_revision: kv.mod_revision,
});
const emptyRange = (prefix: string): ICompare => ({
  key: enc(prefix),
  range_end: prefixEnd(prefix),
  target: 'Create',
  result: 'Equal',
  create_revision: 0,
});

/** No key of the range was created after `since` (true over an empty range, like emptyRange). */
const noneJoined = (prefix: string, since: number): ICompare => ({
  key: enc(prefix),
  range_end: prefixEnd(prefix),
  target: 'Create',
  result: 'Less',
  create_revision: since + 1,
});

/** Judges `ops` against `snapshot` (throwing the first failure) and builds the transaction. */
function planTxn(k: KeyLayout, ops: readonly WriteOp[], snapshot: Snapshot, known: Known): Plan {
  const plan: Plan = { compares: [], writes: [], written: [], located: [], bytes: 0 };
  const seen = new Set<string>();
  const compare = (c: ICompare): void => {
    const id = `${c.key?.toString('latin1')}|${c.target}|${c.result}|${String(c.mod_revision ?? c.create_revision)}`;
    if (seen.has(id)) return;
    seen.add(id);
    plan.compares.push(c);
    plan.bytes += (c.key?.length ?? 0) + (c.range_end?.length ?? 0) + OP_OVERHEAD_BYTES;
  };
  const put = (key: string, value: string | Buffer, lease: string | undefined): void => {
    const v = typeof value === 'string' ? enc(value) : value;
    plan.writes.push({ request_put: { key: enc(key), value: v, ...(lease ? { lease } : {}) } });
    plan.bytes += key.length + v.length + OP_OVERHEAD_BYTES;
  };
  const del = (key: string): void => {
    plan.writes.push({ request_delete_range: { key: enc(key) } });
    plan.bytes += key.length + OP_OVERHEAD_BYTES;
  };
  /** The stored object an op refers to (its KeyValue and topic), or undefined when the id is free. */
  const stored = (table: TableName, id: string): { kv: IKeyValue; topic: string } | undefined => {
    const locator = snapshot.key(k.locator(table, id));
    if (!locator) return undefined;
    const topic = locator.value.toString('utf8');
    // A locator without its object is a delete racing with our reads: the object is gone.
    const kv = snapshot.keyIfRead(k.object(table, topic, id));
    return kv ? { kv, topic } : undefined;
  };
  /** The index entries of a stored object: remembered with its version, or decoded. */
  const entriesOf = (table: TableName, id: string, kv: IKeyValue): readonly IndexEntry[] => {
    const held = known.object(table, id);
    if (held?.entries && String(held.version) === kv.mod_revision) return held.entries;
    return indexEntries(table, decodeObject(kv));
  };

  ops.forEach((op, i) => {
    switch (op.kind) {
      case 'create': {
        const { table, object } = op;
        const locator = k.locator(table, object.id);
        if (snapshot.key(locator))
          throw opError('WEIR_STORE_EXISTS', i, `${table} ${object.id} already exists`);
        compare(absent(locator));
        const lease = op.lease;
        const value = encodeObject(object);
        const entries = indexEntries(table, object);
        put(k.object(table, object.topic, object.id), value, lease);
        put(locator, object.topic, lease);
        // An index entry's value is the object's topic, so a list by index needs no locator reads.
        for (const e of entries) put(k.indexEntry(table, e.name, e.value, object.id), object.topic, lease);
        plan.written.push(object);
        plan.located.push({
          table,
          id: object.id,
          stored: { id: object.id, topic: object.topic, value, lease: lease ?? '0', entries },
        });
        return;
      }
      case 'update': {
        const { table, object } = op;
        const found = stored(table, object.id);
        if (!found) throw opError('WEIR_STORE_NOT_FOUND', i, `${table} ${object.id} does not exist`);
        const { kv, topic } = found;
        const version = Number(kv.mod_revision);
        if (version !== object.version)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${table} ${object.id} is at version ${version}, not ${object.version}`,
          );
        if (topic !== object.topic)
          throw opError(
            'WEIR_MODEL_INVALID',
            i,
            `${table} ${object.id}: the topic of an object cannot change`,
          );
        compare(unchanged(kv));
        // Keep the object's lease (a put without one would detach the key from it).
        const lease = kv.lease !== '0' ? kv.lease : undefined;
        const value = encodeObject(object);
        put(kv.key.toString('utf8'), value, lease);
        const entries = indexEntries(table, object);
        const diff = entryDiff(entriesOf(table, object.id, kv), entries);
        for (const e of diff.removed) del(k.indexEntry(table, e.name, e.value, object.id));
        for (const e of diff.added) put(k.indexEntry(table, e.name, e.value, object.id), object.topic, lease);
        plan.written.push(object);
        plan.located.push({
          table,
          id: object.id,
          stored: { id: object.id, topic: object.topic, value, lease: kv.lease, entries },
        });
        return;
      }
      case 'delete': {
        const { table, id } = op;
        const kv = stored(table, id)?.kv;
        if (!kv) throw opError('WEIR_STORE_NOT_FOUND', i, `${table} ${id} does not exist`);
        const version = Number(kv.mod_revision);
        if (op.expectedVersion !== undefined && version !== op.expectedVersion)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${table} ${id} is at version ${version}, not ${op.expectedVersion}`,
          );
        compare(unchanged(kv));
        del(kv.key.toString('utf8'));
        del(k.locator(table, id));
        for (const e of entriesOf(table, id, kv)) del(k.indexEntry(table, e.name, e.value, id));
        plan.located.push({ table, id, stored: undefined });
        return;
      }
      case 'check': {
        const { table, id } = op;
        if (op.version === 'absent') {
          const locator = k.locator(table, id);
          if (snapshot.key(locator))
            throw opError('WEIR_STORE_CONFLICT', i, `${table} ${id} exists, expected absent`);
          compare(absent(locator));
          return;
        }
        const kv = stored(table, id)?.kv;
        const current = kv ? Number(kv.mod_revision) : undefined;
        if (!kv || current !== op.version)
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${table} ${id} is ${current === undefined ? 'absent' : `at version ${current}`}, expected version ${op.version}`,
          );
        compare(unchanged(kv));
        return;
      }
      case 'checkEmpty': {
        const prefix = k.indexValue(op.table, op.index.name, op.index.value);
        if (snapshot.nonEmpty(prefix))
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${op.table} objects are listed under ${op.index.name}=${op.index.value}`,
          );
        compare(emptyRange(prefix));
        return;
      }
      case 'checkNoneJoined': {
        const prefix = k.indexValue(op.table, op.index.name, op.index.value);
        if (snapshot.joinedSince(prefix, op.since))
          throw opError(
            'WEIR_STORE_CONFLICT',
            i,
            `${op.table} objects joined ${op.index.name}=${op.index.value} after revision ${op.since}`,
          );
        compare(noneJoined(prefix, op.since));
        return;
      }
      case 'claim':
      case 'release': {
        const key = k.claim(op.namespace, op.key);
        const kv = snapshot.key(key);
        const owner = kv?.value.toString('utf8');
        if (owner !== undefined && owner !== op.owner)
          throw opError('WEIR_STORE_CLAIMED', i, `${op.namespace} ${op.key} is held by ${owner}`);
        // Either way the claim's state is part of the condition: still ours / still free.
        compare(kv ? unchanged(kv) : absent(key));
        if (op.kind === 'claim' && !kv) put(key, op.owner, undefined);
        if (op.kind === 'release' && kv) del(key);
        return;
      }
    }
  });
  return plan;
}

/** The entries to add and remove when an object listed under `prev` becomes listed under `next`. */
function entryDiff(
  prev: readonly IndexEntry[],
  next: readonly IndexEntry[],
): { added: readonly IndexEntry[]; removed: readonly IndexEntry[] } {
  if (prev.length === 0 || next.length === 0) return { added: next, removed: prev };
  const id = (e: IndexEntry): string => `${e.name}\u0000${e.value}`;
  const before = new Set(prev.map(id));
  const after = new Set(next.map(id));
  return { added: next.filter((e) => !before.has(id(e))), removed: prev.filter((e) => !after.has(id(e))) };
}

function checkSize(limits: CommitLimits, plan: Plan, reads: readonly Read[]): void {
  const ops = Math.max(plan.writes.length, plan.compares.length);
  if (ops > limits.maxTxnOps) {
    throw new WeirError(
      'WEIR_STORE_TOO_LARGE',
      `the commit needs ${ops} etcd key operations in one transaction; the limit is ${limits.maxTxnOps} (etcd --max-txn-ops)`,
    );
  }
  // The failure branch re-reads what we compared (when it fits), and that is part of the request.
  const readBytes =
    reads.length <= limits.maxTxnOps
      ? reads.reduce(
          (n, r) => n + 2 * (r.kind === 'key' ? r.key.length : r.prefix.length) + OP_OVERHEAD_BYTES,
          0,
        )
      : 0;
  if (plan.bytes + readBytes > limits.maxRequestBytes) {
    throw new WeirError(
      'WEIR_STORE_TOO_LARGE',
      `the commit is about ${plan.bytes + readBytes} bytes; the limit is ${limits.maxRequestBytes} (etcd --max-request-bytes)`,
    );
  }
}
