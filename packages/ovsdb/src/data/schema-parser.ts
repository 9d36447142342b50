// Parsing a schema received from get_schema or read from a .ovsschema file (RFC 7047 3.2) into
// the normalised DatabaseSchema of schema.ts. The input is untrusted: every field is checked
// and a bad one fails with OVSDB_PROTOCOL naming its path.
import { OvsdbError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';
import type {
  Atom,
  AtomicType,
  BaseType,
  ColumnSchema,
  ColumnType,
  DatabaseSchema,
  GenericTables,
  TableMap,
  TableSchema,
} from './schema.js';

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
