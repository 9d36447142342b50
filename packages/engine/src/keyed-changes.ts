// Typed tracked changes for keyed data (tables, indexes, flows by owner): at most one change per
// key, coalesced so that a consumer sees the net effect of everything recorded since the record
// was started. Downstream handlers iterate these and do O(change) work.
//
// Values are never `undefined`: `record()` uses undefined to mean "absent".
import type { TrackedChanges } from './changes.js';
import { EngineError } from './errors.js';

export type KeyedChange<K, V> =
  | { readonly kind: 'added'; readonly key: K; readonly value: V }
  | { readonly kind: 'updated'; readonly key: K; readonly old: V; readonly value: V }
  | { readonly kind: 'removed'; readonly key: K; readonly old: V };

export class KeyedChanges<K, V> implements TrackedChanges, Iterable<KeyedChange<K, V>> {
  readonly #byKey = new Map<K, KeyedChange<K, V>>();

  /** `key` did not exist and now holds `value`. */
  add(key: K, value: V): void {
    const prior = this.#byKey.get(key);
    if (prior === undefined) this.#byKey.set(key, { kind: 'added', key, value });
    // removed then added again: the consumer saw the old value, so for it this is an update.
    else if (prior.kind === 'removed') this.#byKey.set(key, { kind: 'updated', key, old: prior.old, value });
    else throw contradiction(key, prior.kind, 'added');
  }

  /** `key` held `old` and now holds `value`. */
  update(key: K, old: V, value: V): void {
    const prior = this.#byKey.get(key);
    if (prior === undefined) this.#byKey.set(key, { kind: 'updated', key, old, value });
    // Still new to the consumer: it never saw the intermediate value.
    else if (prior.kind === 'added') this.#byKey.set(key, { kind: 'added', key, value });
    else if (prior.kind === 'updated') this.#byKey.set(key, { kind: 'updated', key, old: prior.old, value });
    else throw contradiction(key, prior.kind, 'updated');
  }

  /** `key` held `old` and is now absent. */
  remove(key: K, old: V): void {
    const prior = this.#byKey.get(key);
    if (prior === undefined) this.#byKey.set(key, { kind: 'removed', key, old });
    // Added and removed in the same record: the consumer never saw it.
    else if (prior.kind === 'added') this.#byKey.delete(key);
    else if (prior.kind === 'updated') this.#byKey.set(key, { kind: 'removed', key, old: prior.old });
    else throw contradiction(key, prior.kind, 'removed');
  }

  /** Records the move of `key` from `old` to `value`, either of which may be absent (undefined). */
  record(key: K, old: V | undefined, value: V | undefined): void {
    if (old === undefined) {
      if (value !== undefined) this.add(key, value);
    } else if (value === undefined) this.remove(key, old);
    else this.update(key, old, value);
  }

  get(key: K): KeyedChange<K, V> | undefined {
    return this.#byKey.get(key);
  }

  get size(): number {
    return this.#byKey.size;
  }

  isEmpty(): boolean {
    return this.#byKey.size === 0;
  }

  keys(): IterableIterator<K> {
    return this.#byKey.keys();
  }

  [Symbol.iterator](): IterableIterator<KeyedChange<K, V>> {
    return this.#byKey.values();
  }

  /** Applies the changes to a copy kept elsewhere (a consumer's mirror, a test's model). */
  applyTo(target: Map<K, V>): void {
    for (const change of this.#byKey.values()) {
      if (change.kind === 'removed') target.delete(change.key);
      else target.set(change.key, change.value);
    }
  }
}

/**
 * Records in `out` the changes that turn `before` into `after` (a node's `diff` after a recompute).
 * `equals` decides whether a value present on both sides changed; by default, identity.
 */
export function diffMaps<K, V>(
  before: ReadonlyMap<K, V>,
  after: ReadonlyMap<K, V>,
  out: KeyedChanges<K, V>,
  equals: (a: V, b: V) => boolean = Object.is,
): void {
  for (const [key, old] of before) {
    const value = after.get(key);
    if (value === undefined) out.remove(key, old);
    else if (!equals(old, value)) out.update(key, old, value);
  }
  for (const [key, value] of after) {
    if (!before.has(key)) out.add(key, value);
  }
}

function contradiction(key: unknown, prior: string, next: string): EngineError {
  return new EngineError(
    'ENGINE_CHANGE_SEQUENCE',
    `key ${String(key)}: cannot record "${next}" after "${prior}" (the two contradict each other)`,
  );
}
