// Small helpers for the "merge these keys into a string map" semantics of the helpers'
// externalIds / otherConfig options.

export type StringMap = ReadonlyMap<string, string>;

/** `current` with `updates` applied (keys not in `updates` are kept). */
export function mergeMap(
  current: StringMap,
  updates: Readonly<Record<string, string>> | undefined,
): StringMap {
  if (updates === undefined) return current;
  const next = new Map(current);
  for (const [key, value] of Object.entries(updates)) next.set(key, value);
  return next;
}

export function mapsEqual(a: StringMap, b: StringMap): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

export function recordToMap(record: Readonly<Record<string, string>> | undefined): StringMap {
  return new Map(Object.entries(record ?? {}));
}
