// Atomic batches through the ONF bundle extension (OpenFlow 1.3): open, add every message,
// commit. Either every message takes effect or none does. Messages are streamed with
// backpressure, so 100,000 flow-mods cost bounded memory; an error names the failing message.
import { OpenFlowError } from '../errors.js';
import { errorName } from '../messages/describe-error.js';
import type { BundleFlags, OpenFlowMessage } from '../messages/types.js';
import type { OpenFlowConnection } from './connection.js';
import { SwitchError } from './connection.js';

export class BundleError extends OpenFlowError {
  override readonly name = 'BundleError';
  constructor(
    message: string,
    /** Index (in the submitted list) of the message the switch rejected, when it said which. */
    readonly failedIndex: number | undefined,
    /** The switch's error names, in arrival order (e.g. OFPBAC_BAD_OUT_PORT, OFPBFC_MSG_FAILED). */
    readonly switchErrors: readonly string[],
  ) {
    super('OF_SWITCH_ERROR', message);
  }
}

export interface BundleOptions {
  readonly flags?: BundleFlags;
  /** Timeout for the commit reply; large bundles take a while to apply. Default 120 s. */
  readonly commitTimeoutMs?: number;
  /**
   * Also send a barrier right behind the commit and resolve only when it came back: everything
   * before it (this bundle, and whatever was sent earlier) is then processed — in the same round
   * trip as the commit instead of one more.
   */
  readonly barrier?: boolean;
}

let nextBundleId = 1;

/**
 * Applies `messages` as one bundle. Resolves when the switch confirmed the commit; rejects with a
 * BundleError (and the switch discards the bundle) if any message was refused.
 */
export async function sendBundle(
  conn: OpenFlowConnection,
  messages: readonly OpenFlowMessage[],
  options: BundleOptions = {},
): Promise<void> {
  const flags = options.flags ?? { atomic: true, ordered: true };
  const bundleId = nextBundleId;
  nextBundleId = (nextBundleId % 0x7fffffff) + 1;
  // Open, adds, commit (and barrier) are sent back to back, not one round trip each: a switch
  // processes one connection's messages in order, so the adds reach an open bundle, and a failed
  // open shows as errors on the adds and the commit, which are reported below as for any refusal.
  // Corked until the commit (and barrier) are queued: one write for a small bundle, not four.
  conn.cork();
  const opened = conn.request(
    { type: 'bundle_control', bundleId, controlType: 'open_request', flags },
    'bundle open',
  );
  // Observed so an early rejection is not an unhandled one; awaited (and rethrown) below.
  opened.catch(() => undefined);
  const first = conn.reserveXids(Math.max(1, messages.length));
  const last = first + messages.length - 1;
  const errors: { index: number; name: string }[] = [];
  const unwatch = conn.watchErrors(first, last, (env) => {
    errors.push({
      index: env.xid - first,
      name: errorName({
        errorType: env.message.errorType,
        code: env.message.code,
        ...(env.message.experimenter === undefined ? {} : { experimenter: env.message.experimenter }),
      }),
    });
  });
  try {
    await conn.sendBatch(
      (function* () {
        for (const message of messages) yield { type: 'bundle_add' as const, bundleId, flags, message };
      })(),
      first,
    );
    try {
      const committed = conn.request(
        { type: 'bundle_control', bundleId, controlType: 'commit_request', flags },
        'bundle commit',
        options.commitTimeoutMs ?? 120_000,
      );
      committed.catch(() => undefined);
      const barrier = options.barrier === true ? conn.barrier(options.commitTimeoutMs ?? 120_000) : undefined;
      barrier?.catch(() => undefined);
      conn.uncork();
      await opened;
      await committed;
      await barrier;
    } catch (error) {
      if (!(error instanceof SwitchError)) throw error;
      // The switch already discarded the bundle. Errors about single messages arrive before the
      // commit reply (same connection, in order), so `errors` is complete here.
      const failed = errors[0];
      const names = [...errors.map((e) => e.name), error.errorName];
      throw new BundleError(
        `bundle of ${messages.length} messages failed: ${names.join(', ')}${failed ? ` (message ${failed.index}: ${messages[failed.index]?.type})` : ''}`,
        failed?.index,
        names,
      );
    }
    if (errors.length > 0) {
      // Add-time errors without a failed commit should not happen; never report success then.
      throw new BundleError(
        `bundle messages refused: ${errors.map((e) => e.name).join(', ')}`,
        errors[0]?.index,
        errors.map((e) => e.name),
      );
    }
  } catch (error) {
    conn.uncork();
    if (!(error instanceof BundleError) && !conn.isClosed) {
      // Best effort: make sure the switch drops a half-filled bundle.
      await conn
        .request(
          { type: 'bundle_control', bundleId, controlType: 'discard_request', flags },
          'bundle discard',
        )
        .catch(() => undefined);
    }
    throw error;
  } finally {
    conn.uncork();
    unwatch();
  }
}
