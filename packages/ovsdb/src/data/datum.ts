// Conversion between OVSDB wire data and TypeScript values, driven by the column's schema type.
// Decoding validates everything (the server is not trusted: a wrong shape is OVSDB_PROTOCOL);
// encoding validates what the caller passes (a wrong value is OVSDB_INVALID_ARGUMENT, thrown
// before anything is sent).
import { OvsdbError } from '../errors.js';
import { isRecord } from '../protocol/messages.js';
import { NamedUuid } from './named-uuid.js';
import { columnKind, type Atom, type BaseType, type ColumnType, type OvsdbValue } from './schema.js';
import { isUuid, ZERO_UUID, type WireAtom, type WireDatum } from './wire.js';

/** An atom as the caller may write it: a named-uuid is allowed wherever a uuid is. */
export type WriteAtom = Atom | NamedUuid;

/**
 * A column value as the caller may write it. Besides the shapes OvsdbValue reads as, sets may be
 * given as arrays (or a single atom) and maps with string keys as plain objects.
 */
export type WriteValue =
  | WriteAtom
  | undefined
  | ReadonlySet<WriteAtom>
  | readonly WriteAtom[]
  | ReadonlyMap<WriteAtom, WriteAtom>
  | Readonly<Record<string, WriteAtom>>;

function protocolError(context: string, problem: string, value: unknown): OvsdbError {
  return new OvsdbError('OVSDB_PROTOCOL', `${context}: ${problem}`, { details: value });
}

function argumentError(context: string, problem: string, value: unknown): OvsdbError {
  const shown = value instanceof Set || value instanceof Map ? [...value] : value;
  return new OvsdbError('OVSDB_INVALID_ARGUMENT', `${context}: ${problem}`, { details: shown });
}

// ---- decoding (server → TypeScript) ----

export function decodeAtom(base: BaseType, json: unknown, context: string): Atom {
  switch (base.type) {
    case 'integer':
      if (typeof json === 'number' && Number.isInteger(json)) return json;
      break;
    case 'real':
      if (typeof json === 'number' && Number.isFinite(json)) return json;
      break;
    case 'boolean':
      if (typeof json === 'boolean') return json;
      break;
    case 'string':
      if (typeof json === 'string') return json;
      break;
    case 'uuid':
      if (Array.isArray(json) && json.length === 2 && json[0] === 'uuid' && isUuid(json[1])) return json[1];
      break;
  }
  throw protocolError(context, `expected ${base.type} atom`, json);
}

function decodeElements(type: ColumnType, json: unknown, context: string): Atom[] {
  if (Array.isArray(json) && json[0] === 'set') {
    const inner: unknown = json[1];
    if (json.length !== 2 || !Array.isArray(inner)) throw protocolError(context, 'malformed set', json);
    return inner.map((atom: unknown) => decodeAtom(type.key, atom, context));
  }
  // A set of exactly one element may be sent as the bare atom.
  return [decodeAtom(type.key, json, context)];
}

function decodeMap(
  type: ColumnType & { readonly value: BaseType },
  json: unknown,
  context: string,
): Map<Atom, Atom> {
  const inner: unknown = Array.isArray(json) && json.length === 2 && json[0] === 'map' ? json[1] : undefined;
  if (!Array.isArray(inner)) throw protocolError(context, 'expected a map', json);
  const map = new Map<Atom, Atom>();
  for (const pair of inner as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) throw protocolError(context, 'malformed map pair', pair);
    map.set(decodeAtom(type.key, pair[0], context), decodeAtom(type.value, pair[1], context));
  }
  return map;
}

/** Decodes a datum of column type `type`. `context` names the column in error messages. */
export function decodeDatum(type: ColumnType, json: unknown, context: string): OvsdbValue {
  const kind = columnKind(type);
  if (kind === 'map') return decodeMap(type as ColumnType & { readonly value: BaseType }, json, context);
  const elements = decodeElements(type, json, context);
  switch (kind) {
    case 'scalar':
      if (elements.length !== 1) throw protocolError(context, 'expected exactly one value', json);
      return elements[0];
    case 'optional':
      if (elements.length > 1) throw protocolError(context, 'expected at most one value', json);
      return elements[0];
    case 'set':
      return new Set(elements);
  }
}

/** The column's default value (what OVSDB stores when a column is not set on insert). */
export function defaultValue(type: ColumnType): OvsdbValue {
  switch (columnKind(type)) {
    case 'map':
      return new Map<Atom, Atom>();
    case 'set':
      return new Set<Atom>();
    case 'optional':
      return undefined;
    case 'scalar':
      return defaultAtom(type.key);
  }
}

function defaultAtom(base: BaseType): Atom {
  switch (base.type) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
  }
}

// ---- encoding (TypeScript → server) ----

export function encodeAtom(base: BaseType, value: unknown, context: string): WireAtom {
  switch (base.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'real':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'uuid':
      if (value instanceof NamedUuid) return ['named-uuid', value.name];
      if (isUuid(value)) return ['uuid', value];
      break;
  }
  throw argumentError(context, `expected ${base.type === 'uuid' ? 'a UUID or NamedUuid' : base.type}`, value);
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Object keys are strings; turn one back into an atom of the map's key type. */
function keyFromString(base: BaseType, key: string): unknown {
  switch (base.type) {
    case 'integer':
    case 'real':
      return key.trim() === '' ? key : Number(key);
    case 'boolean':
      return key === 'true' ? true : key === 'false' ? false : key;
    case 'string':
    case 'uuid':
      return key;
  }
}

function encodeMap(
  type: ColumnType & { readonly value: BaseType },
  value: unknown,
  context: string,
): WireDatum {
  let entries: [unknown, unknown][];
  if (value instanceof Map) entries = [...(value as Map<unknown, unknown>)];
  else if (isPlainObject(value)) {
    entries = Object.entries(value).map(([k, v]) => [keyFromString(type.key, k), v]);
  } else throw argumentError(context, 'expected a Map or a plain object', value);
  checkCount(type, entries.length, context, value);
  return [
    'map',
    entries.map(([k, v]) => [encodeAtom(type.key, k, context), encodeAtom(type.value, v, context)]),
  ];
}

function checkCount(type: ColumnType, n: number, context: string, value: unknown): void {
  if (n < type.min || (type.max !== 'unlimited' && n > type.max)) {
    throw argumentError(context, `expected between ${type.min} and ${type.max} elements, got ${n}`, value);
  }
}

/** Encodes `value` for a column of type `type`. */
export function encodeDatum(type: ColumnType, value: unknown, context: string): WireDatum {
  if (columnKind(type) === 'map')
    return encodeMap(type as ColumnType & { readonly value: BaseType }, value, context);
  let elements: unknown[];
  if (value === undefined) elements = [];
  else if (value instanceof Set) elements = [...(value as Set<unknown>)];
  else if (Array.isArray(value)) elements = value as unknown[];
  else if (value instanceof Map || isPlainObject(value)) {
    throw argumentError(context, 'a map was given for a column that is not a map', value);
  } else elements = [value];
  checkCount(type, elements.length, context, value);
  const atoms = elements.map((element) => encodeAtom(type.key, element, context));
  if (type.max === 1 && atoms.length === 1) return atoms[0] as WireAtom;
  return ['set', atoms];
}

/** The same type with the element count unconstrained: for diffs, mutations and conditions. */
export function relaxed(type: ColumnType): ColumnType {
  return { ...type, min: 0, max: 'unlimited' };
}
