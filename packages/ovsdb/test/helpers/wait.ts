// Polling with a deadline, for conditions that settle through sockets (never a bare sleep).
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 5_000, message = 'condition' }: { timeoutMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${message}${last instanceof Error ? `: ${last.message}` : ''}`);
    }
    await sleep(10);
  }
}
