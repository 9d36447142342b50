// Optimistic concurrency for the Open_vSwitch helpers: read, decide, then write in ONE
// transaction guarded by `wait` operations that fail if what we read has changed. A guard
// failure (or a unique-index violation at commit) means someone else wrote first; we re-read
// and decide again, which usually finds the work already done.
import { OvsdbError, OvsdbTransactionError } from '../errors.js';

/** Thrown inside an attempt when the result shows a conflict (e.g. a mutate matched 0 rows). */
export class ConflictRetry extends Error {
  override readonly name = 'ConflictRetry';
}

export function isConflict(error: unknown): boolean {
  if (error instanceof ConflictRetry) return true;
  if (!(error instanceof OvsdbTransactionError)) return false;
  if (error.operation === 'wait' && error.ovsdbError === 'timed out') return true;
  return error.operationIndex === undefined && error.ovsdbError === 'constraint violation';
}

export interface RetryOptions {
  /** Attempts before giving up with the last conflict. Default 5. */
  readonly maxAttempts?: number;
}

export async function retryOnConflict<T>(options: RetryOptions, attempt: () => Promise<T>): Promise<T> {
  const max = Math.max(1, options.maxAttempts ?? 5);
  let last: unknown;
  for (let i = 0; i < max; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConflict(error)) throw error;
      last = error;
    }
  }
  if (last instanceof OvsdbError) throw last;
  throw new OvsdbError('OVSDB_TXN_FAILED', `gave up after ${max} conflicting attempts`, { cause: last });
}
