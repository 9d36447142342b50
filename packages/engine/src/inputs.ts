// Input nodes are the leaves of the graph: the outside world (store watch events, OVSDB monitor
// updates, configuration) writes into them between runs, and they expose what was written as
// tracked changes in the next run. A definition is stateless; each engine creates its own state.
import type { TrackedChanges } from './changes.js';
import { KeyedChanges } from './keyed-changes.js';

/** Called by an input before every write; throws while a run is in progress. */
export type WriteGuard = () => void;

/** One engine's instance of an input node. */
export interface InputState<W, D, C extends TrackedChanges> {
  /** What the outside world writes through (the engine hands it out with `engine.input()`). */
  readonly writer: W;
  /** What dependents read. */
  readonly data: D;
  /** The changes written since the last call, and a new empty record for the next run. */
  take(): C;
  /** Whether anything was written since the last take(). */
  pending(): boolean;
}

export interface InputDef<W, D, C extends TrackedChanges> {
  readonly kind: 'input';
  readonly name: string;
  create(guard: WriteGuard): InputState<W, D, C>;
}

/** Writes into a keyed input (a table of the local cache). Values are never undefined. */
export interface KeyedInputWriter<K, V> {
  set(key: K, value: V): void;
  /** Returns whether the key existed. */
  delete(key: K): boolean;
  /**
   * Replaces the whole content (a watch that restarted from a snapshot) and records only the
   * differences, so dependents stay incremental. To distrust tracked changes instead, call
   * `engine.forceRecompute()`.
   */
  replaceAll(entries: Iterable<readonly [K, V]>): void;
  readonly current: ReadonlyMap<K, V>;
}

export interface KeyedInputOptions<V> {
  /** Whether a `set` to an equal value is a change; by default only the same object is equal. */
  readonly equals?: (a: V, b: V) => boolean;
}

export function keyedInput<K, V>(
  name: string,
  options: KeyedInputOptions<V> = {},
): InputDef<KeyedInputWriter<K, V>, ReadonlyMap<K, V>, KeyedChanges<K, V>> {
  const equals: (a: V, b: V) => boolean = options.equals ?? Object.is;
  return Object.freeze({
    kind: 'input',
    name,
    create(guard: WriteGuard) {
      const table = new Map<K, V>();
      let changes = new KeyedChanges<K, V>();
      const set = (key: K, value: V): void => {
        const old = table.get(key);
        if (old !== undefined && equals(old, value)) return;
        table.set(key, value);
        changes.record(key, old, value);
      };
      const writer: KeyedInputWriter<K, V> = {
        set(key, value) {
          guard();
          set(key, value);
        },
        delete(key) {
          guard();
          const old = table.get(key);
          if (old === undefined) return false;
          table.delete(key);
          changes.remove(key, old);
          return true;
        },
        replaceAll(entries) {
          guard();
          const next = new Map(entries);
          for (const [key, old] of table) {
            if (!next.has(key)) {
              table.delete(key);
              changes.remove(key, old);
            }
          }
          for (const [key, value] of next) set(key, value);
        },
        current: table,
      };
      return {
        writer,
        data: table,
        take() {
          const taken = changes;
          changes = new KeyedChanges<K, V>();
          return taken;
        },
        pending: () => !changes.isEmpty(),
      };
    },
  });
}

/** The tracked change of a value input: the value it had at the previous run. */
export class ValueChange<T> implements TrackedChanges {
  #changed = false;
  #previous: T | undefined;

  /** Called before each write with the value being replaced; the first one is kept. */
  replacing(value: T): void {
    if (this.#changed) return;
    this.#changed = true;
    this.#previous = value;
  }

  /** The value at the previous run. Only meaningful when the record is not empty. */
  get previous(): T | undefined {
    return this.#previous;
  }

  isEmpty(): boolean {
    return !this.#changed;
  }
}

export interface ValueInputWriter<T> {
  set(value: T): void;
  get(): T;
}

/** A single value (this chassis' name, a configuration setting). */
export function valueInput<T>(
  name: string,
  initial: T,
  options: { readonly equals?: (a: T, b: T) => boolean } = {},
): InputDef<ValueInputWriter<T>, T, ValueChange<T>> {
  const equals: (a: T, b: T) => boolean = options.equals ?? Object.is;
  return Object.freeze({
    kind: 'input',
    name,
    create(guard: WriteGuard) {
      let value = initial;
      let changes = new ValueChange<T>();
      return {
        writer: {
          set(next: T) {
            guard();
            if (equals(value, next)) return;
            changes.replacing(value);
            value = next;
          },
          get: () => value,
        },
        get data() {
          return value;
        },
        take() {
          const taken = changes;
          changes = new ValueChange<T>();
          // Set and set back before a run: nothing changed for the dependents.
          if (!taken.isEmpty() && equals(taken.previous as T, value)) return changes;
          return taken;
        },
        pending: () => !changes.isEmpty(),
      };
    },
  });
}
