// Octavia's attribute types, with wsme's conversions and reasons (wsme/types.py, wsme/rest/json.py,
// octavia/api/common/types.py): the request checker (body.ts) puts a reason into "Invalid input for
// field/attribute <name>. Value: '<value>'. <reason>", which octaviaclient prints verbatim.
import { isIP } from 'node:net';
import { canonicalIp } from '@weir/core';
import { Invalid, py, uuid as neutronUuid } from '../neutron/validators.js';

export { Invalid };

/** Converts a JSON value or throws Invalid with wsme's reason. */
export type OType = (value: unknown) => unknown;

/** Python's type name of a JSON value (for int()'s TypeError text). */
function pyType(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object' && v !== null) return 'dict';
  return typeof v === 'number' ? 'float' : typeof v;
}

export const string =
  (options: { max?: number; min?: number; pattern?: RegExp } = {}): OType =>
  (v) => {
    if (typeof v !== 'string') throw new Invalid('Value should be string');
    if (options.min !== undefined && v.length < options.min)
      throw new Invalid(`Value should have a minimum character requirement of ${options.min}`);
    if (options.max !== undefined && v.length > options.max)
      throw new Invalid(`Value should have a maximum character requirement of ${options.max}`);
    if (options.pattern && !options.pattern.test(v))
      throw new Invalid(`Value should match the pattern ${options.pattern.source}`);
    return v;
  };

/** wsme IntegerType: Python's int() of the value, then the range. */
export const integer =
  (min?: number, max?: number): OType =>
  (v) => {
    let n: number;
    if (typeof v === 'boolean') n = v ? 1 : 0;
    else if (typeof v === 'number') n = Math.trunc(v);
    else if (typeof v === 'string') {
      if (!/^\s*[-+]?\d+\s*$/.test(v)) throw new Invalid(`invalid literal for int() with base 10: '${v}'`);
      n = Number(v);
    } else
      throw new Invalid(
        `int() argument must be a string, a bytes-like object or a real number, not '${pyType(v)}'`,
      );
    if (!Number.isSafeInteger(n)) throw new Invalid(`invalid literal for int() with base 10: '${py(v)}'`);
    if (min !== undefined && n < min) throw new Invalid(`Value should be greater or equal to ${min}`);
    if (max !== undefined && n > max) throw new Invalid(`Value should be lower or equal to ${max}`);
    return n;
  };

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** wsme's bool: numbers and booleans as Python's bool(), and a few exact (lower-case) spellings. */
export const boolean: OType = (v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' && TRUE.has(v)) return true;
  if (typeof v === 'string' && FALSE.has(v)) return false;
  throw new Invalid(`Value not an unambiguous boolean: ${py(v)}`);
};

export const uuid: OType = (v) => {
  try {
    return neutronUuid(v);
  } catch {
    throw new Invalid('Value should be UUID format');
  }
};

export const ipAddress: OType = (v) => {
  if (typeof v !== 'string' || isIP(v) === 0) throw new Invalid('Value should be IPv4 or IPv6 format');
  return canonicalIp(v) ?? v;
};

export const oneOf =
  (values: readonly string[]): OType =>
  (v) => {
    if (typeof v !== 'string' || !values.includes(v))
      throw new Invalid(`Value should be one of: ${values.join(', ')}`);
    return v;
  };

/** wsme ArrayType of an item type. */
export const listOf =
  (item: OType): OType =>
  (v) => {
    if (!Array.isArray(v)) throw new Invalid(`Value not a valid list: ${py(v)}`);
    return v.map((x) => item(x));
  };

/** Tags: strings of 1 to 255 characters; a set, as Octavia stores them; Weir keeps at most 64. */
export const tags: OType = (v) => {
  const list = listOf(string({ min: 1, max: 255 }))(v) as string[];
  const unique = [...new Set(list)];
  if (unique.length > 64) throw new Invalid('Value should have at most 64 items');
  return unique;
};

/** A nested object type (session_persistence): its own unknown-key and per-field checks. */
export interface Field {
  readonly type: OType;
  readonly mandatory?: boolean;
}

export class NestedInvalid extends Error {
  override readonly name = 'NestedInvalid';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class UnknownAttributes extends Error {
  override readonly name = 'UnknownAttributes';
  constructor(
    /** Dotted path of the object holding them, innermost last. */
    readonly path: string[],
    readonly keys: readonly string[],
  ) {
    super(keys.join(', '));
  }
}

export const object =
  (fields: Readonly<Record<string, Field>>): OType =>
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new Invalid(`Value should be a JSON object`);
    const given = v as Record<string, unknown>;
    const unknown = Object.keys(given).filter((k) => !Object.hasOwn(fields, k));
    if (unknown.length > 0) throw new UnknownAttributes([], unknown.sort());
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields)) {
      const value = given[key];
      if (value === undefined || value === null) {
        if (field.mandatory) throw new NestedInvalid(key, null, 'Mandatory field missing.');
        continue;
      }
      try {
        out[key] = field.type(value);
      } catch (error) {
        if (error instanceof Invalid) throw new NestedInvalid(key, value, error.message);
        if (error instanceof UnknownAttributes) throw new UnknownAttributes([key, ...error.path], error.keys);
        throw error;
      }
    }
    return out;
  };

/** Octavia's URLPathType: an absolute path of visible ASCII characters. */
export const urlPath: OType = (v) => {
  if (typeof v !== 'string' || !/^\/[\x21-\x7e]*$/.test(v))
    throw new Invalid('Value must be a valid URL Path string');
  return v;
};
