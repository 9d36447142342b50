// Type-level mapping from read row types (what the replica and select return) to what callers
// may write: inserts, updates, conditions and mutations. Reads are exact; writes are lenient in
// shape (arrays for sets, plain objects for string-keyed maps) and every uuid column also takes
// a NamedUuid. The run-time converters in datum.ts enforce the schema either way.
import type { NamedUuid } from './named-uuid.js';
import type { ConditionFunction, Mutator } from '../transaction/operations.js';

export type ColumnName<Row> = Extract<keyof Row, string>;
/** Columns a caller may write (every column but `_uuid` and `_version`). */
export type WritableColumn<Row> = Exclude<ColumnName<Row>, '_uuid' | '_version'>;

/** Any string atom may be a uuid, so writes accept a NamedUuid wherever a string is read. */
type WriteAtomOf<A> = A extends string ? A | NamedUuid : A;

export type WriteOf<V> =
  V extends ReadonlyMap<infer K, infer W>
    ? | ReadonlyMap<WriteAtomOf<K>, WriteAtomOf<W>>
      | ([K] extends [string] ? Readonly<Record<string, WriteAtomOf<W>>> : never)
    : V extends ReadonlySet<infer E>
      ? ReadonlySet<WriteAtomOf<E>> | readonly WriteAtomOf<E>[] | WriteAtomOf<E>
      : WriteAtomOf<V>;

/** Columns for insert and update; omitted ones keep their default (insert) or value (update). */
export type RowWrite<Row> = { readonly [K in WritableColumn<Row>]?: WriteOf<Row[K]> };

/** `[column, function, value]`. */
export type Condition<Row> = {
  readonly [K in ColumnName<Row>]: readonly [K, ConditionFunction, WriteOf<Row[K]>];
}[ColumnName<Row>];

/** monitor_cond conditions also accept the literals true and false. */
export type MonitorCondition<Row> = Condition<Row> | boolean;

type MutationValueOf<V> =
  V extends ReadonlyMap<infer K, unknown>
    ? WriteOf<V> | ReadonlySet<WriteAtomOf<K>> | readonly WriteAtomOf<K>[]
    : WriteOf<V>;

/**
 * `[column, mutator, value]`: arithmetic mutators take one number; `insert`/`delete` take a set
 * (or, for maps, a map; `delete` also takes a set of keys).
 */
export type Mutation<Row> = {
  readonly [K in WritableColumn<Row>]: readonly [K, Mutator, MutationValueOf<Row[K]>];
}[WritableColumn<Row>];
