// Converters and validators for Neutron attributes, with Neutron's own reasons (neutron-lib's
// validators and converters), because the openstack CLI prints them verbatim. Each one returns the
// converted value or throws an Invalid carrying the reason; the engine adds the attribute's name:
// "Invalid input for <attr>. Reason: <reason>."
import { isIP } from 'node:net';
import { canonicalIp as canonical, formatPrefix, parsePrefix } from '@weir/core';

export class Invalid extends Error {
  override readonly name = 'Invalid';
}

export type Check = (value: unknown) => unknown;

/** Python's rendering of a value inside a message ('%s' % value). */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `'${k}': ${pyRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : typeof value;
}

function pyRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : py(value);
}

export const string =
  (maxLength = 255): Check =>
  (v) => {
    if (typeof v !== 'string') throw new Invalid(`'${py(v)}' is not a valid string`);
    if (v.length > maxLength) throw new Invalid(`'${v}' exceeds maximum length of ${maxLength}`);
    return v;
  };

export const nullable =
  (check: Check): Check =>
  (v) =>
    v === null ? null : check(v);

const TRUE = new Set(['true', '1', 'yes', 'y', 'on', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'off', 'f']);

/** neutron-lib convert_to_boolean: booleans, 0/1, and their usual spellings. */
export const boolean: Check = (v) => {
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1) return v === 1;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  throw new Invalid(`'${py(v)}' cannot be converted to boolean`);
};

/** neutron-lib convert_to_int + validate_range. */
export const integer =
  (min?: number, max?: number): Check =>
  (v) => {
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (typeof v === 'boolean' || !Number.isSafeInteger(n)) throw new Invalid(`'${py(v)}' is not an integer`);
    if (min !== undefined && n < min) throw new Invalid(`'${n}' is too small - must be at least '${min}'`);
    if (max !== undefined && n > max)
      throw new Invalid(`'${n}' is too large - must be no larger than '${max}'`);
    return n;
  };

/** neutron-lib convert_to_int + validate_non_negative (prefix lengths, quotas). */
export const nonNegative: Check = (v) => {
  const n = integer()(v) as number;
  if (n < 0) throw new Invalid(`'${n}' should be non-negative`);
  return n;
};

/** neutron-lib validate_not_empty_string: a string with something besides blanks. */
export const notEmptyString =
  (maxLength = 255): Check =>
  (v) => {
    const text = string(maxLength)(v) as string;
    if (text.trim() === '') throw new Invalid(`'${text}' Blank strings are not permitted`);
    return text;
  };

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A UUID, returned in canonical lower-case hyphenated form. */
export const uuid: Check = (v) => {
  if (typeof v !== 'string' || !UUID.test(v)) throw new Invalid(`'${py(v)}' is not a valid UUID`);
  const hex = v.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** A Keystone project id (32 hex digits) or a UUID, as Neutron's project_id accepts. */
export const projectId: Check = (v) => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(v)) {
    throw new Invalid(`'${py(v)}' is not a valid project id`);
  }
  return v;
};

export const ipAddress: Check = (v) => {
  if (typeof v !== 'string' || isIP(v) === 0) throw new Invalid(`'${py(v)}' is not a valid IP address`);
  return canonicalIp(v);
};

export const cidr: Check = (v) => {
  if (typeof v !== 'string' || parsePrefix(v, false) === undefined) {
    throw new Invalid(`'${py(v)}' is not a valid IP subnet`);
  }
  const strict = parsePrefix(v, true);
  if (strict === undefined) {
    const recommended = formatPrefix(parsePrefix(v, false) as NonNullable<ReturnType<typeof parsePrefix>>);
    throw new Invalid(`'${v}' isn't a recognized IP subnet cidr, '${recommended}' is recommended`);
  }
  return formatPrefix(strict);
};

/** An address or a prefix (allowed address pairs, remote prefixes). */
export const ipOrCidr: Check = (v) => {
  if (typeof v === 'string' && isIP(v) !== 0) return canonicalIp(v);
  if (typeof v === 'string' && v.includes('/')) return cidr(v);
  throw new Invalid(`'${py(v)}' is neither a valid IP address, nor is it a valid IP subnet`);
};

const MAC = /^([0-9a-f]{2})([:-])[0-9a-f]{2}(\2[0-9a-f]{2}){4}$/i;

export const macAddress: Check = (v) => {
  if (typeof v !== 'string' || !MAC.test(v)) throw new Invalid(`'${py(v)}' is not a valid MAC address`);
  const mac = v.toLowerCase().replace(/-/g, ':');
  if (mac === '00:00:00:00:00:00' || (parseInt(mac.slice(0, 2), 16) & 1) === 1) {
    throw new Invalid(`'${v}' is not a valid MAC address`);
  }
  return mac;
};

export const oneOf =
  (values: readonly (string | number | null)[]): Check =>
  (v) => {
    if (!values.includes(v as string)) throw new Invalid(`${py(v)} is not in ${py(values)}`);
    return v;
  };

export const listOf =
  (check: Check, maxItems = 1000): Check =>
  (v) => {
    if (!Array.isArray(v)) throw new Invalid(`'${py(v)}' is not a list`);
    if (v.length > maxItems) throw new Invalid(`'${py(v)}' has more than ${maxItems} items`);
    return v.map((item) => check(item));
  };

/** A list without duplicates (neutron-lib _validate_list_of_items / unique). */
export const uniqueListOf =
  (check: Check, maxItems = 1000): Check =>
  (v) => {
    const items = listOf(check, maxItems)(v) as unknown[];
    const seen = new Set<string>();
    for (const item of items) {
      const key = JSON.stringify(item);
      if (seen.has(key)) throw new Invalid(`Duplicate items in the list: '${py(item)}'`);
      seen.add(key);
    }
    return items;
  };

export interface DictField {
  readonly check: Check;
  readonly required?: boolean;
}

/** A dictionary with known keys (fixed IPs, pools, routes, address pairs…). */
export const dict =
  (fields: Readonly<Record<string, DictField>>): Check =>
  (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new Invalid(`'${py(v)}' is not a dictionary`);
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (!(key in fields)) throw new Invalid(`Unexpected keys supplied: ${key}`);
    }
    for (const [key, field] of Object.entries(fields)) {
      const value = (v as Record<string, unknown>)[key];
      if (value === undefined) {
        if (field.required)
          throw new Invalid(`Validation of dictionary's keys failed. Expected keys: {'${key}'}`);
        continue;
      }
      out[key] = field.check(value);
    }
    return out;
  };

export const tag = string(255);
export const tags: Check = (v) => {
  const list = uniqueListOf(tag, 64)(v) as string[];
  for (const t of list)
    if (t.includes(',') || t.includes('/')) throw new Invalid(`'${t}' is not a valid tag`);
  return list;
};

function canonicalIp(v: string): string {
  return canonical(v) ?? v;
}
