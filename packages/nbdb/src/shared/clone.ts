// Stored objects are plain JSON: what a caller passes in is copied through JSON (so it keeps no
// reference into the store, and `undefined` properties vanish exactly as they would on etcd or on
// disk), and what the embedded drivers hand out is deeply frozen (so a caller cannot change the
// store through a reference it was given).

/** A JSON copy of `value`: no shared references, no `undefined` properties, no prototypes. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Freezes `value` and everything reachable from it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
