// Database schemas (RFC 7047 section 3.2), normalised so converters never have to handle the
// shorthand forms ("integer" for {"key": {"type": "integer"}, "min": 1, "max": 1}, a bare atom
// for a one-element enum...). A DatabaseSchema also carries, as a phantom type parameter, the
// TypeScript row types of its tables, which is how the typed API knows what a row looks like.
import { OvsdbError } from '../errors.js';

export type AtomicType = 'integer' | 'real' | 'boolean' | 'string' | 'uuid';
/** A TypeScript atom: integer and real are numbers, uuid is its canonical string. */
export type Atom = string | number | boolean;

export interface BaseType {
  readonly type: AtomicType;
  readonly enum?: readonly Atom[];
  readonly minInteger?: number;
  readonly maxInteger?: number;
  readonly minReal?: number;
  readonly maxReal?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly refTable?: string;
  readonly refType?: 'strong' | 'weak';
}

export interface ColumnType {
  readonly key: BaseType;
  /** Present for maps. */
  readonly value?: BaseType;
  readonly min: number;
  readonly max: number | 'unlimited';
}

export interface ColumnSchema {
  readonly type: ColumnType;
  readonly ephemeral?: boolean;
  /** false: the column may be set on insert only. */
  readonly mutable?: boolean;
}

export interface TableSchema {
  readonly columns: Readonly<Record<string, ColumnSchema>>;
  readonly isRoot?: boolean;
  readonly maxRows?: number;
  readonly indexes?: readonly (readonly string[])[];
}

/** Every row has these two columns, which schemas do not list. */
export interface RowBase {
  readonly _uuid: string;
}

/** Constraint for a table-name → row-type map such as the generated `OpenVswitchTables`. */
export type TableMap<S> = { readonly [T in keyof S]: RowBase };

/** Row type of a database known only at run time. See `OvsdbValue` for the value shapes. */
export interface GenericRow extends RowBase {
  readonly [column: string]: OvsdbValue;
}
export interface GenericTables {
  readonly [table: string]: GenericRow;
}

/**
 * The TypeScript value of a column, chosen from its schema type (see README, "Data model"):
 *  - scalar (min 1, max 1): the atom;
 *  - optional (min 0, max 1): the atom or undefined;
 *  - set (max > 1): ReadonlySet of atoms;
 *  - map (has a value type): ReadonlyMap from key atom to value atom.
 */
export type OvsdbValue = Atom | undefined | ReadonlySet<Atom> | ReadonlyMap<Atom, Atom>;

declare const rowTypes: unique symbol;

export interface DatabaseSchema<S = GenericTables> {
  readonly name: string;
  readonly version: string;
  readonly cksum?: string;
  readonly tables: Readonly<Record<string, TableSchema>>;
  /** Phantom: never set at run time, only carries the row types `S`. */
  readonly [rowTypes]?: S;
}

export function isSetValue(value: OvsdbValue): value is ReadonlySet<Atom> {
  return value instanceof Set;
}

export function isMapValue(value: OvsdbValue): value is ReadonlyMap<Atom, Atom> {
  return value instanceof Map;
}

export type ColumnKind = 'scalar' | 'optional' | 'set' | 'map';

export function columnKind(type: ColumnType): ColumnKind {
  if (type.value !== undefined) return 'map';
  if (type.max === 1) return type.min === 1 ? 'scalar' : 'optional';
  return 'set';
}

/**
 * True when update2 `modify` carries a diff for this column instead of the new value: OVSDB
 * diffs "composite" columns, those that may hold more than one element (ovsdb_type_is_composite).
 */
export function isComposite(type: ColumnType): boolean {
  return type.max === 'unlimited' || type.max > 1;
}

const UUID_COLUMN: ColumnSchema = { type: { key: { type: 'uuid' }, min: 1, max: 1 }, mutable: false };

/** Column schema including the implicit `_uuid` and `_version`; undefined if unknown. */
export function findColumn(table: TableSchema, column: string): ColumnSchema | undefined {
  if (column === '_uuid' || column === '_version') return UUID_COLUMN;
  return Object.hasOwn(table.columns, column) ? table.columns[column] : undefined;
}

export function getTable(schema: DatabaseSchema<unknown>, table: string): TableSchema {
  const found = Object.hasOwn(schema.tables, table) ? schema.tables[table] : undefined;
  if (found === undefined) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `database ${schema.name} has no table ${table}`);
  }
  return found;
}

export function getColumn(schema: DatabaseSchema<unknown>, table: string, column: string): ColumnSchema {
  const found = findColumn(getTable(schema, table), column);
  if (found === undefined) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `table ${table} has no column ${column}`);
  }
  return found;
}

/** Gives a hand-written or generated schema literal its row types. */
export function defineSchema<S extends TableMap<S>>(schema: DatabaseSchema<unknown>): DatabaseSchema<S> {
  return schema as DatabaseSchema<S>;
}
