// Stored objects are plain JSON: what a caller passes in is copied as JSON would copy it (so it
// keeps no reference into the store, and `undefined` properties vanish exactly as they would on
// etcd or on disk), and what the embedded drivers hand out is deeply frozen (so a caller cannot
// change the store through a reference it was given).

const MAX_DEPTH = 64;

/**
 * A deep-frozen copy of `value` with JSON's semantics (what JSON.parse(JSON.stringify(value))
 * gives: `toJSON` honoured, `undefined` and functions dropped from objects and nulled in arrays,
 * non-finite numbers nulled), made in one pass — several times faster than the round trip through
 * a string, and the copy comes out frozen at no extra cost. Throws TypeError on BigInt or on
 * nesting deeper than 64 levels (a cycle).
 */
export function frozenJsonCopy<T>(value: T): T {
  return copy(value, 0) as T;
}

function copy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      throw new TypeError('a BigInt cannot be stored');
    case 'object':
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw new TypeError(`nesting deeper than ${MAX_DEPTH} levels (a cycle?)`);
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') return copy((withToJson.toJSON as () => unknown)(), depth + 1);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1) ?? null;
    return Object.freeze(out);
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = copy((value as Record<string, unknown>)[key], depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return Object.freeze(out);
}

/** Freezes `value` and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
