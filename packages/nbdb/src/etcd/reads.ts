// get / list / listClaims on etcd. Every list is one consistent snapshot: the first range read
// fixes the revision, later pages and the object fetches of an index list read at that revision.
//   - by table or topic: one range over the objects' prefix (paged);
//   - by index: one keys-and-topics range over the index value, then the objects in read-only
//     transactions of gets (up to --max-txn-ops per transaction, sent together);
//   - by id: the object under the topic we remember for it, else locator then object.
import { isWeirError, type ModelObject, type TableName } from '@weir/model';
import type { IKeyValue, IRangeRequest } from 'etcd3';
import { decodeSegment, type KeyLayout } from '../shared/keys.js';
import type { Claim, ListOptions, ListResult } from '../store.js';
import { decodeObject, enc, prefixEnd } from './codec.js';
import type { EtcdConnection } from './connection.js';
import type { Known } from './known.js';

export interface ReadContext {
  readonly connection: EtcdConnection;
  readonly keys: KeyLayout;
  readonly known: Known;
  readonly maxTxnOps: number;
}

/** Keys per range page: big enough to amortise a round trip, small enough to bound one message. */
const PAGE = 10_000;

export async function getObject(
  ctx: ReadContext,
  table: TableName,
  id: string,
): Promise<ModelObject | undefined> {
  const { connection, keys, known } = ctx;
  const locatorKey = keys.locator(table, id);
  const cached = known.topic(table, id);
  let locator: IKeyValue | undefined;
  if (cached !== undefined) {
    const r = await connection.txn(
      {
        success: [
          { request_range: { key: enc(keys.object(table, cached, id)) } },
          { request_range: { key: enc(locatorKey) } },
        ],
      },
      'get',
      true,
    );
    const kv = r.responses[0]?.response_range.kvs[0];
    if (kv) return remember(ctx, table, kv);
    locator = r.responses[1]?.response_range.kvs[0];
  } else {
    locator = (await connection.range({ key: enc(locatorKey) }, 'get')).kvs[0];
  }
  if (!locator) {
    known.forget(table, id);
    return undefined;
  }
  const topic = locator.value.toString('utf8');
  const kv = (await connection.range({ key: enc(keys.object(table, topic, id)) }, 'get')).kvs[0];
  if (!kv) return undefined; // deleted between the two reads
  return remember(ctx, table, kv);
}

/** Decodes `kv` and remembers it (its version, for a later update without a read). */
function remember(ctx: ReadContext, table: TableName, kv: IKeyValue): ModelObject {
  const object = decodeObject(kv);
  const { id, topic, version } = object;
  ctx.known.remember(table, { id, topic, version, value: kv.value, lease: kv.lease });
  return object;
}

/** Every key-value under `prefix` at one revision (that of the first page), page by page. */
async function rangeAll(
  connection: EtcdConnection,
  prefix: string,
  what: string,
): Promise<{ kvs: IKeyValue[]; revision: number }> {
  const end = prefixEnd(prefix);
  const kvs: IKeyValue[] = [];
  let key = enc(prefix);
  let revision = 0;
  for (;;) {
    const request: IRangeRequest = { key, range_end: end, limit: PAGE, ...(revision ? { revision } : {}) };
    const r = await connection.range(request, what);
    if (!revision) revision = Number(r.header.revision);
    kvs.push(...r.kvs);
    const last = r.kvs[r.kvs.length - 1];
    if (!r.more || !last) return { kvs, revision };
    key = Buffer.concat([last.key, Buffer.from([0])]); // the next key after `last`
  }
}

/** Runs `read`, again from scratch if etcd compacted the revision it was paging at. */
async function consistent<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!isWeirError(error, 'WEIR_STORE_COMPACTED') || attempt >= 3) throw error;
    }
  }
}

export function listObjects(
  ctx: ReadContext,
  table: TableName,
  options: ListOptions,
): Promise<ListResult<ModelObject>> {
  return consistent(async () => {
    const { keys, connection } = ctx;
    if (!options.index) {
      const { kvs, revision } = await rangeAll(connection, keys.objects(table, options.topic), 'list');
      return { items: kvs.map(decodeObject), revision };
    }
    const prefix = keys.indexValue(table, options.index.name, options.index.value);
    const { kvs: entries, revision } = await rangeAll(connection, prefix, 'list');
    const wanted: string[] = [];
    for (const e of entries) {
      const topic = e.value.toString('utf8');
      if (options.topic !== undefined && topic !== options.topic) continue;
      const id = decodeSegment(e.key.toString('utf8').slice(prefix.length));
      wanted.push(keys.object(table, topic, id));
    }
    return { items: await fetchAt(ctx, wanted, revision), revision };
  });
}

/** The objects at `keys`, read at `revision` (they exist there: index entries are written with them). */
async function fetchAt(ctx: ReadContext, keys: readonly string[], revision: number): Promise<ModelObject[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += ctx.maxTxnOps) chunks.push(keys.slice(i, i + ctx.maxTxnOps));
  const results = await Promise.all(
    chunks.map(async (chunk) => {
      const r = await ctx.connection.txn(
        { success: chunk.map((key) => ({ request_range: { key: enc(key), revision } })) },
        'list',
        true,
      );
      return r.responses.flatMap((op) => op.response_range.kvs.map(decodeObject));
    }),
  );
  return results.flat();
}

/**
 * Counts without transferring objects: a count-only range over the objects (by table or topic),
 * or over the index entries (whose values carry the topic, so a topic filter reads only them).
 */
export async function countObjects(
  ctx: ReadContext,
  table: TableName,
  options: ListOptions,
): Promise<number> {
  const { keys, connection } = ctx;
  if (!options.index) {
    const prefix = keys.objects(table, options.topic);
    const r = await connection.range(
      { key: enc(prefix), range_end: prefixEnd(prefix), count_only: true },
      'count',
    );
    return Number(r.count);
  }
  const prefix = keys.indexValue(table, options.index.name, options.index.value);
  if (options.topic === undefined) {
    const r = await connection.range(
      { key: enc(prefix), range_end: prefixEnd(prefix), count_only: true },
      'count',
    );
    return Number(r.count);
  }
  const { kvs } = await consistent(() => rangeAll(connection, prefix, 'count'));
  return kvs.filter((kv) => kv.value.toString('utf8') === options.topic).length;
}

export async function listClaims(ctx: ReadContext, namespace: string): Promise<Claim[]> {
  const prefix = ctx.keys.claims(namespace);
  const { kvs } = await consistent(() => rangeAll(ctx.connection, prefix, 'listClaims'));
  return kvs.map((kv) => ({
    key: decodeSegment(kv.key.toString('utf8').slice(prefix.length)),
    owner: kv.value.toString('utf8'),
  }));
}
