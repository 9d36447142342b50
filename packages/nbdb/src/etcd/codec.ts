// How objects sit in etcd (ADR 0006; key layout in ../shared/keys.ts):
//   - the value of an object key is the object's JSON *without* `version`: the version is the
//     key's mod_revision, so it can never disagree with what compare-and-swap compares;
//   - revisions travel as decimal strings (int64) and become numbers here (exact below 2^53).
import { isTableName, type ModelObject, type TableName } from '@weir/model';
import type { IKeyValue } from 'etcd3';
import { decodeSegment } from '../shared/keys.js';

export const enc = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The end of the range holding every key that starts with `prefix` (etcd's prefix range). */
export function prefixEnd(prefix: string | Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // every key
}

export function encodeObject(object: ModelObject): Buffer {
  const { version: _version, ...stored } = object;
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

export function decodeObject(kv: IKeyValue): ModelObject {
  // A fresh object from JSON.parse: setting `version` on it is cheaper than a spread copy.
  const object = JSON.parse(kv.value.toString('utf8')) as { version: number };
  object.version = Number(kv.mod_revision);
  return object as ModelObject;
}

/** The table and topic of an object key under `objectsRoot` ("<prefix>/o/"), or undefined. */
export function parseObjectKey(
  objectsRoot: string,
  key: Buffer,
): { table: TableName; topic: string } | undefined {
  const rest = key.toString('utf8');
  if (!rest.startsWith(objectsRoot)) return undefined;
  const [table, topic] = rest.slice(objectsRoot.length).split('/');
  if (table === undefined || topic === undefined || !isTableName(table)) return undefined;
  return { table, topic: decodeSegment(topic) };
}
