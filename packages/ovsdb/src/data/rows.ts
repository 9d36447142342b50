// Whole rows, conditions and mutations: the schema-driven glue between typed values and wire
// JSON for one table.
import { OvsdbError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';
import type {
  ConditionFunction,
  Mutator,
  WireCondition,
  WireMonitorCondition,
  WireMutation,
} from '../transaction/operations.js';
import { decodeDatum, defaultValue, encodeAtom, encodeDatum, relaxed } from './datum.js';
import { columnKind, findColumn, type ColumnSchema, type OvsdbValue, type TableSchema } from './schema.js';
import type { WireDatum, WireRow } from './wire.js';

export type DecodedRow = Record<string, OvsdbValue>;

const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set([
  '<',
  '<=',
  '==',
  '!=',
  '>=',
  '>',
  'includes',
  'excludes',
]);
const MUTATORS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '%=', 'insert', 'delete']);

function column(table: TableSchema, tableName: string, name: string): ColumnSchema {
  const found = findColumn(table, name);
  if (found === undefined)
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `table ${tableName} has no column ${name}`);
  return found;
}

/**
 * Decodes a wire row. Columns missing from it are filled with their defaults when listed in
 * `fill` (update2 initial/insert rows omit default values). Columns the schema does not know
 * are ignored, so a newer server schema does not break an older client.
 */
export function decodeRow(
  table: TableSchema,
  tableName: string,
  json: unknown,
  fill: readonly string[] = [],
): DecodedRow {
  if (!isRecord(json))
    throw new OvsdbError('OVSDB_PROTOCOL', `${tableName}: row is not an object`, { details: json });
  const row: DecodedRow = {};
  for (const [name, value] of Object.entries(json)) {
    const schema = findColumn(table, name);
    if (schema !== undefined) row[name] = decodeDatum(schema.type, value, `${tableName}.${name}`);
  }
  for (const name of fill) {
    if (!(name in row)) {
      const schema = findColumn(table, name);
      if (schema !== undefined) row[name] = defaultValue(schema.type);
    }
  }
  return row;
}

/** Encodes the columns of an insert or update; `_uuid`/`_version` cannot be written. */
export function encodeRow(table: TableSchema, tableName: string, row: object): WireRow {
  const out: Record<string, WireDatum> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name === '_uuid' || name === '_version') {
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `${tableName}.${name} cannot be written`);
    }
    out[name] = encodeDatum(column(table, tableName, name).type, value, `${tableName}.${name}`);
  }
  return out;
}

/**
 * Encodes `[column, function, value]`. Scalar columns take a bare atom; set and map arguments
 * may hold any number of elements (`includes` of a subset, for example).
 */
export function encodeCondition(table: TableSchema, tableName: string, condition: unknown): WireCondition {
  if (!Array.isArray(condition) || condition.length !== 3) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `${tableName}: a condition is [column, function, value]`);
  }
  const [name, fn, value] = condition as [unknown, unknown, unknown];
  if (typeof name !== 'string' || typeof fn !== 'string' || !CONDITION_FUNCTIONS.has(fn)) {
    throw new OvsdbError(
      'OVSDB_INVALID_ARGUMENT',
      `${tableName}: bad condition ${JSON.stringify(condition)}`,
    );
  }
  const type = column(table, tableName, name).type;
  const kind = columnKind(type);
  const argType = kind === 'set' || kind === 'map' ? relaxed(type) : { ...type, min: 0 };
  return [name, fn as ConditionFunction, encodeDatum(argType, value, `${tableName}.${name} condition`)];
}

export function encodeMonitorCondition(
  table: TableSchema,
  tableName: string,
  condition: unknown,
): WireMonitorCondition {
  return typeof condition === 'boolean' ? condition : encodeCondition(table, tableName, condition);
}

/** Encodes `[column, mutator, value]` (RFC 7047 5.1 <mutation>). */
export function encodeMutation(table: TableSchema, tableName: string, mutation: unknown): WireMutation {
  if (!Array.isArray(mutation) || mutation.length !== 3) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `${tableName}: a mutation is [column, mutator, value]`);
  }
  const [name, mutator, value] = mutation as [unknown, unknown, unknown];
  if (typeof name !== 'string' || typeof mutator !== 'string' || !MUTATORS.has(mutator)) {
    throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `${tableName}: bad mutation ${JSON.stringify(mutation)}`);
  }
  const type = column(table, tableName, name).type;
  const context = `${tableName}.${name} ${mutator}`;
  if (mutator !== 'insert' && mutator !== 'delete') {
    // Arithmetic applies to every integer/real element; the argument is one atom.
    return [name, mutator as Mutator, encodeAtom(type.key, value, context)];
  }
  const isKeySet =
    mutator === 'delete' && type.value !== undefined && (value instanceof Set || Array.isArray(value));
  const argType = isKeySet ? { key: type.key, min: 0, max: 'unlimited' as const } : relaxed(type);
  return [name, mutator, encodeDatum(argType, value, context)];
}
