// Assertions and watch recorders shared by the conformance suites.
import assert from 'node:assert/strict';
import { isWeirError, type WeirErrorCode } from '@weir/model';
import type { Store, Watch, WatchBatch, WatchEvent, WatchFilter } from '../../src/store.js';

/** Asserts `promise` rejects with a WeirError of `code`, and, if given, `details[0].field`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: WeirErrorCode,
  field?: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isWeirError(error), `expected a WeirError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
    if (field !== undefined)
      assert.equal(error.details[0]?.field, field, `error details: ${JSON.stringify(error.details)}`);
    return true;
  });
}

/** Like `rejectsWith` but the field need only start with `prefix` (validation errors name the attribute). */
export async function rejectsInvalid(promise: Promise<unknown>, prefix: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isWeirError(error, 'WEIR_MODEL_INVALID'), `expected WEIR_MODEL_INVALID, got ${String(error)}`);
    assert.ok(
      error.details.some((d) => d.field?.startsWith(prefix)),
      `expected a detail under ${prefix}: ${JSON.stringify(error.details)}`,
    );
    return true;
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Records the batches of one watch. */
export class WatchRecorder {
  readonly batches: WatchBatch[] = [];
  readonly watch: Watch;

  constructor(store: Store, filter: WatchFilter = {}) {
    this.watch = store.watch(filter, (b) => this.batches.push(b));
  }

  get events(): WatchEvent[] {
    return this.batches.flatMap((b) => b.events);
  }

  /** Waits until a batch at `revision` or later has arrived. */
  async until(revision: number, timeoutMs = 5000): Promise<void> {
    await eventually(
      () => this.batches.some((b) => b.revision >= revision),
      timeoutMs,
      `a watch batch at revision ${revision}`,
    );
  }

  async untilCount(events: number, timeoutMs = 5000): Promise<void> {
    await eventually(() => this.events.length >= events, timeoutMs, `${events} watch events`);
  }

  close(): void {
    this.watch.close();
  }
}

/** A short pause that lets asynchronous deliveries that should NOT happen show up. */
export const settle = (ms = 100): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A compact description of an event, for deepEqual over sequences. */
export function describeEvent(e: WatchEvent): string {
  if (e.type === 'reset') return 'reset';
  if (e.type === 'delete') return `delete ${e.table} ${e.prev.id}@${e.prev.version}`;
  return `put ${e.table} ${e.object.id}@${e.object.version}${e.prev ? ` prev@${e.prev.version}` : ''}`;
}

export const sortIds = (items: readonly { id: string }[]): string[] => items.map((i) => i.id).sort();
