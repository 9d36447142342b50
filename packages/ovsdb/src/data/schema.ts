// Database schemas (RFC 7047 section 3.2), normalised so converters never have to handle the
// shorthand forms ("integer" for {"key": {"type": "integer"}, "min": 1, "max": 1}, a bare atom
// for a one-element enum...). A DatabaseSchema also carries, as a phantom type parameter, the
// TypeScript row types of its tables, which is how the typed API knows what a row looks like.
import { OvsdbError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';

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

// ---- parsing a schema received from get_schema or read from a .ovsschema file ----

const ATOMIC_TYPES: ReadonlySet<string> = new Set(['integer', 'real', 'boolean', 'string', 'uuid']);

function fail(path: string, problem: string): never {
  throw new OvsdbError('OVSDB_PROTOCOL', `invalid schema at ${path}: ${problem}`);
}

function parseAtomicType(json: unknown, path: string): AtomicType {
  if (typeof json !== 'string' || !ATOMIC_TYPES.has(json))
    fail(path, `unknown atomic type ${JSON.stringify(json)}`);
  return json as AtomicType;
}

function optionalNumber(
  record: Readonly<Record<string, unknown>>,
  key: string,
  path: string,
): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${path}.${key}`, 'not a number');
  return value;
}

function parseEnum(json: unknown, path: string): Atom[] {
  const raw: unknown = Array.isArray(json) && json[0] === 'set' ? json[1] : [json];
  if (!Array.isArray(raw)) fail(path, 'bad enum');
  return (raw as unknown[]).map((atom, i) => {
    if (typeof atom === 'string' || typeof atom === 'number' || typeof atom === 'boolean') return atom;
    if (Array.isArray(atom) && atom[0] === 'uuid' && typeof atom[1] === 'string') return atom[1];
    return fail(`${path}[${i}]`, 'bad enum atom');
  });
}

function parseBaseType(json: unknown, path: string): BaseType {
  if (typeof json === 'string') return { type: parseAtomicType(json, path) };
  if (!isRecord(json)) fail(path, 'base type is neither a string nor an object');
  const base: {
    -readonly [K in keyof BaseType]: BaseType[K];
  } = { type: parseAtomicType(json['type'], `${path}.type`) };
  if (json['enum'] !== undefined) base.enum = parseEnum(json['enum'], `${path}.enum`);
  for (const key of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'minLength', 'maxLength'] as const) {
    const value = optionalNumber(json, key, path);
    if (value !== undefined) base[key] = value;
  }
  const refTable = json['refTable'];
  if (refTable !== undefined) {
    if (typeof refTable !== 'string') fail(`${path}.refTable`, 'not a string');
    base.refTable = refTable;
    const refType = json['refType'] ?? 'strong';
    if (refType !== 'strong' && refType !== 'weak') fail(`${path}.refType`, 'not strong or weak');
    base.refType = refType;
  }
  return base;
}

export function parseColumnType(json: unknown, path: string): ColumnType {
  if (typeof json === 'string') return { key: { type: parseAtomicType(json, path) }, min: 1, max: 1 };
  if (!isRecord(json)) fail(path, 'type is neither a string nor an object');
  const key = parseBaseType(json['key'], `${path}.key`);
  const value = json['value'] === undefined ? undefined : parseBaseType(json['value'], `${path}.value`);
  const min = json['min'] ?? 1;
  const max = json['max'] ?? 1;
  if (min !== 0 && min !== 1) fail(`${path}.min`, 'must be 0 or 1');
  if (max !== 'unlimited' && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max < min)) {
    fail(`${path}.max`, 'must be a positive integer or "unlimited"');
  }
  return value === undefined ? { key, min, max } : { key, value, min, max };
}

/** Validates and normalises a schema (the JSON of get_schema or a .ovsschema file). */
export function parseSchema<S extends TableMap<S> = GenericTables>(json: unknown): DatabaseSchema<S> {
  if (!isRecord(json)) fail('$', 'not an object');
  const { name, version, cksum, tables } = json;
  if (typeof name !== 'string') fail('$.name', 'not a string');
  if (typeof version !== 'string') fail('$.version', 'not a string');
  if (cksum !== undefined && typeof cksum !== 'string') fail('$.cksum', 'not a string');
  if (!isRecord(tables)) fail('$.tables', 'not an object');
  const parsedTables: Record<string, TableSchema> = {};
  for (const [tableName, tableJson] of Object.entries(tables)) {
    const path = `$.tables.${tableName}`;
    if (!isRecord(tableJson) || !isRecord(tableJson['columns'])) fail(path, 'no columns object');
    const columns: Record<string, ColumnSchema> = {};
    for (const [columnName, columnJson] of Object.entries(tableJson['columns'])) {
      const columnPath = `${path}.columns.${columnName}`;
      if (!isRecord(columnJson)) fail(columnPath, 'not an object');
      const column: { -readonly [K in keyof ColumnSchema]: ColumnSchema[K] } = {
        type: parseColumnType(columnJson['type'], `${columnPath}.type`),
      };
      if (columnJson['ephemeral'] === true) column.ephemeral = true;
      if (columnJson['mutable'] === false) column.mutable = false;
      columns[columnName] = column;
    }
    const table: { -readonly [K in keyof TableSchema]: TableSchema[K] } = { columns };
    if (tableJson['isRoot'] === true) table.isRoot = true;
    const maxRows = optionalNumber(tableJson, 'maxRows', path);
    if (maxRows !== undefined) table.maxRows = maxRows;
    const indexes = tableJson['indexes'];
    if (indexes !== undefined) {
      if (
        !Array.isArray(indexes) ||
        !indexes.every((i) => Array.isArray(i) && i.every((c) => typeof c === 'string'))
      ) {
        fail(`${path}.indexes`, 'not an array of column lists');
      }
      table.indexes = indexes;
    }
    parsedTables[tableName] = table;
  }
  return cksum === undefined
    ? { name, version, tables: parsedTables }
    : { name, version, cksum, tables: parsedTables };
}
