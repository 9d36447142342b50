// What this client knows about objects from its own reads and writes, to save round trips:
//
//  - topics: which topic an id lives in, so reaching an object by id costs one read instead of two
//    (locator, then object). A stale entry is harmless: at any revision an id exists under at most
//    one topic (creating it requires its locator to be absent), so finding the object under the
//    remembered topic proves it is there; not finding it sends us to the locator.
//  - versions: the last object this client read or wrote, with its version (= its key's
//    mod_revision) and lease. etcd gives every write a new revision, so "the key is at mod_revision
//    V" pins its exact content: an update or delete of an object at a version we hold needs no
//    read first — its transaction compares the version, and is refused if it moved on.
import type { IndexEntry } from '../shared/indexes.js';

const MAX_TOPICS = 100_000;
const MAX_OBJECTS = 4096;

/**
 * An object as stored: its bytes, not a decoded object — callers get their own copies, and a
 * caller changing one must not change what we believe is stored.
 */
export interface KnownObject {
  readonly id: string;
  readonly topic: string;
  readonly version: number;
  readonly value: Buffer;
  /** etcd lease id ("0": none). */
  readonly lease: string;
  /** Its index entries, when we computed them (writing it), so an update need not decode it. */
  readonly entries?: readonly IndexEntry[];
}

/** A map that forgets its oldest entries beyond `max` (insertion order; enough for hints). */
class Bounded<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

export class Known {
  private readonly topics = new Bounded<string>(MAX_TOPICS);
  private readonly objects = new Bounded<KnownObject>(MAX_OBJECTS);

  topic(table: string, id: string): string | undefined {
    return this.topics.get(`${table}/${id}`);
  }

  object(table: string, id: string): KnownObject | undefined {
    return this.objects.get(`${table}/${id}`);
  }

  rememberTopic(table: string, id: string, topic: string): void {
    if (this.topics.get(`${table}/${id}`) !== topic) this.topics.set(`${table}/${id}`, topic);
  }

  remember(table: string, known: KnownObject): void {
    this.rememberTopic(table, known.id, known.topic);
    this.objects.set(`${table}/${known.id}`, { ...known, value: ownBytes(known.value) });
  }

  forgetVersion(table: string, id: string): void {
    this.objects.delete(`${table}/${id}`);
  }

  forget(table: string, id: string): void {
    this.topics.delete(`${table}/${id}`);
    this.objects.delete(`${table}/${id}`);
  }
}

/**
 * The bytes in a buffer of their own. A value is usually a view into something larger — a gRPC
 * response, or one of Node's shared 8 KiB allocation slabs — and keeping the view keeps all of
 * that alive: thousands of remembered ~1 KiB values pinned tens of MiB in a controller.
 */
function ownBytes(value: Buffer): Buffer {
  if (value.byteOffset === 0 && value.buffer.byteLength === value.length) return value;
  const own = Buffer.allocUnsafeSlow(value.length);
  value.copy(own);
  return own;
}
