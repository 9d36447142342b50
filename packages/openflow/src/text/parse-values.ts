// Field values in ovs-ofctl text: the inverse of values.ts (and a little more liberal, as
// ovs-ofctl is: decimal or hex integers, CIDR or dotted masks, "+trk-new" or "trk|est" flags).
import { RESERVED_PORT_NAMES } from '../constants.js';
import type { FieldSpec } from '../fields/registry.js';
import {
  canonicalValue,
  ipv4FromNumber,
  ipv6FromBigInt,
  isFullMask,
  valueFromBigInt,
  type Value,
} from '../fields/values.js';
import { parseBigInt, parseError } from './lex.js';
import { CT_STATE_NAMES, TCP_FLAG_NAMES, TUN_FLAG_NAMES, textFormatOf } from './values.js';

export interface ParsedValue {
  value: Value;
  mask?: Value;
}

const PORT_BY_NAME = new Map<string, number>(
  [...RESERVED_PORT_NAMES].map(([n, name]) => [name.toLowerCase(), n]),
);

export function parsePort(text: string): number {
  const named = PORT_BY_NAME.get(text.toLowerCase());
  if (named !== undefined) return named;
  const n = Number(parseBigInt(text, 'port'));
  if (n > 0xffffffff) throw parseError(`port ${text}`);
  // 16-bit reserved numbers (0xfff8…) as ovs-ofctl prints them for OpenFlow 1.0.
  if (n >= 0xff00 && n <= 0xffff) return n + 0xffff0000;
  return n;
}

function parseFlags(
  names: readonly (readonly [number, string])[],
  text: string,
  maxMask: number,
): ParsedValue {
  if (/^(0x[0-9a-f]+|\d+)(\/(0x[0-9a-f]+|\d+))?$/i.test(text)) {
    const [v, m] = text.split('/');
    return m === undefined
      ? { value: Number(parseBigInt(v ?? '', 'flags')) }
      : { value: Number(parseBigInt(v ?? '', 'flags')), mask: Number(parseBigInt(m, 'flags mask')) };
  }
  const bit = (name: string): number => {
    const found = names.find(([, n]) => n === name);
    if (!found) throw parseError(`unknown flag "${name}"`);
    return found[0];
  };
  if (text.startsWith('+') || text.startsWith('-')) {
    let value = 0;
    let mask = 0;
    for (const m of text.matchAll(/([+-])(\[?[a-z0-9]+\]?)/g)) {
      const b = bit(m[2] ?? '');
      mask |= b;
      if (m[1] === '+') value |= b;
    }
    return { value, mask };
  }
  let value = 0;
  for (const n of text.split('|')) value |= bit(n.trim());
  return { value, mask: maxMask };
}

function parseFrag(text: string): ParsedValue {
  switch (text) {
    case 'no':
      return { value: 0, mask: 3 };
    case 'yes':
      return { value: 1, mask: 1 };
    case 'first':
      return { value: 1, mask: 3 };
    case 'later':
      return { value: 3, mask: 3 };
    case 'not_later':
      return { value: 0, mask: 2 };
    default:
      throw parseError(`nw_frag "${text}"`);
  }
}

function prefixMask(spec: FieldSpec, len: number): Value {
  const bits = spec.bytes * 8;
  if (!Number.isInteger(len) || len < 0 || len > bits)
    throw parseError(`prefix length /${len} for ${spec.name}`);
  const all = (1n << BigInt(bits)) - 1n;
  const m = len === 0 ? 0n : (all << BigInt(bits - len)) & all;
  return spec.kind === 'ipv4'
    ? ipv4FromNumber(Number(m))
    : spec.kind === 'ipv6'
      ? ipv6FromBigInt(m)
      : valueFromBigInt(spec, m);
}

/** Parses "value" or "value/mask" for `spec`. An all-ones mask is dropped. */
export function parseFieldValue(spec: FieldSpec, text: string): ParsedValue {
  const fmt = textFormatOf(spec);
  if (fmt === 'ct_state') return normalise(spec, parseFlags(CT_STATE_NAMES, text, 0xffffffff));
  if (fmt === 'tcp_flags') return normalise(spec, parseFlags(TCP_FLAG_NAMES, text, 0x0fff));
  if (fmt === 'frag') return parseFrag(text);
  if (fmt === 'tun_flags') return normalise(spec, parseFlags(TUN_FLAG_NAMES, text, 1));
  if (fmt === 'port') return { value: parsePort(text) };
  // IPv6 addresses contain no '/', so the first '/' separates the mask.
  const slash = text.indexOf('/');
  const vText = slash < 0 ? text : text.slice(0, slash);
  const mText = slash < 0 ? undefined : text.slice(slash + 1);
  const value = parseScalar(spec, vText);
  if (mText === undefined) return { value };
  if ((spec.kind === 'ipv4' || spec.kind === 'ipv6') && /^\d+$/.test(mText)) {
    return normalise(spec, { value, mask: prefixMask(spec, Number(mText)) });
  }
  return normalise(spec, { value, mask: parseScalar(spec, mText) });
}

function normalise(spec: FieldSpec, p: ParsedValue): ParsedValue {
  if (p.mask === undefined) return p;
  if (isFullMask(spec, p.mask)) return { value: p.value };
  return p;
}

function parseScalar(spec: FieldSpec, text: string): Value {
  try {
    switch (spec.kind) {
      case 'mac':
      case 'ipv4':
      case 'ipv6':
        return canonicalValue(spec, text);
      case 'u64':
      case 'u128':
        return parseBigInt(text, spec.name);
      default: {
        const n = parseBigInt(text, spec.name);
        if (n >> BigInt(spec.bytes * 8) !== 0n) throw parseError(`${spec.name}: ${text} does not fit`);
        return Number(n);
      }
    }
  } catch (error) {
    throw parseError(`${spec.name}: cannot parse "${text}" (${(error as Error).message})`);
  }
}
