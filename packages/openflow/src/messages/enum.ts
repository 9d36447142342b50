// Enum names ("add", "select", "master"…) to wire codes, refusing names that do not exist
// instead of sending 0.
import { invalid } from '../errors.js';

export function enumCode(table: Readonly<Record<string, number>>, name: unknown, what: string): number {
  const code = typeof name === 'string' ? table[name.toUpperCase()] : undefined;
  if (code === undefined)
    throw invalid(
      `${what} ${String(name)}: expected one of ${Object.keys(table)
        .map((k) => k.toLowerCase())
        .join(', ')}`,
    );
  return code;
}
