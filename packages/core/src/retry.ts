// Optimistic concurrency: read, compute the operations, commit with conditions; when another
// writer got there first (a CAS, an existence check or a claim lost), read again and recompute.
// No lock is ever held: correctness comes from the store's atomic conditions.
import { isWeirError, WeirError } from '@weir/model';
import type { CoreContext } from './context.js';

/** Thrown by an attempt to ask for another round (e.g. a random address turned out taken). */
export class Retry extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

const RETRIABLE = new Set([
  'WEIR_STORE_CONFLICT',
  'WEIR_STORE_CLAIMED',
  'WEIR_STORE_EXISTS',
  'WEIR_STORE_NOT_FOUND',
]);

/**
 * Runs `attempt` until it succeeds. An attempt re-reads everything it depends on; store conflicts
 * and `Retry` trigger another round after a short randomised backoff. Domain errors pass through.
 * `isRetriable` lets a caller decide that e.g. a claim conflict on an explicitly requested address
 * is the user's error, not a race.
 */
export async function withRetries<T>(
  ctx: CoreContext,
  what: string,
  attempt: (round: number) => Promise<T>,
  isRetriable: (error: WeirError) => boolean = () => true,
): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await attempt(round);
    } catch (error) {
      const retriable =
        error instanceof Retry || (isWeirError(error) && RETRIABLE.has(error.code) && isRetriable(error));
      if (!retriable) throw error;
      if (round >= ctx.config.maxRetries) {
        throw new WeirError(
          'WEIR_CORE_RETRY_EXHAUSTED',
          `${what}: gave up after ${round + 1} attempts (${(error as Error).message})`,
        );
      }
      ctx.stats.retries++;
      // Back off a little, more with each round, with jitter so racing writers spread out.
      const delay = Math.min(50, round) * (0.5 + ctx.random(1000) / 1000);
      if (delay >= 1) await new Promise((r) => setTimeout(r, delay));
      else await new Promise((r) => setImmediate(r));
    }
  }
}

/** Index of the op a store error points at ("/ops/3" → 3), when the driver said. */
export function failedOp(error: WeirError): number | undefined {
  const field = error.details[0]?.field;
  const m = field ? /^\/ops\/(\d+)$/.exec(field) : null;
  return m ? Number(m[1]) : undefined;
}
