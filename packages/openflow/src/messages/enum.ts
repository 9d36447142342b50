// Enum names ("add", "select", "master"…) to wire codes, refusing names that do not exist
// instead of sending 0.
import { invalid } from '../errors.js';

const lowered = new WeakMap<Readonly<Record<string, number>>, ReadonlyMap<string, number>>();

function byLowerName(table: Readonly<Record<string, number>>): ReadonlyMap<string, number> {
  let m = lowered.get(table);
  if (!m) {
    m = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
    lowered.set(table, m);
  }
  return m;
}

export function enumCode(table: Readonly<Record<string, number>>, name: unknown, what: string): number {
  const code = typeof name === 'string' ? byLowerName(table).get(name) : undefined;
  if (code === undefined)
    throw invalid(
      `${what} ${String(name)}: expected one of ${Object.keys(table)
        .map((k) => k.toLowerCase())
        .join(', ')}`,
    );
  return code;
}
