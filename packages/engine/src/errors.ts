// The one catalogue of error codes this library throws. Codes are stable API (callers and logs
// match on them, README.md lists them, a test checks that the two agree); messages may change.

export const ENGINE_ERROR_CODES = {
  ENGINE_WIRING: 'the graph is wired wrongly: duplicate name, missing or unknown input, empty reason',
  ENGINE_CYCLE: 'the wiring has a cycle; the message names it',
  ENGINE_UNKNOWN_NODE: "a handle that does not belong to this engine's graph",
  ENGINE_RUN_FAILED: 'a handler, recompute or diff threw during run(); `failures` lists each one',
  ENGINE_STALE: 'the data of a node that is waiting for a recompute (before the first run, after a failure)',
  ENGINE_REENTRANT: 'run() or an input write while a run is in progress (from inside a node)',
  ENGINE_CHANGE_SEQUENCE:
    'tracked changes that contradict each other (adding a key twice, removing an absent key)',
  ENGINE_BAD_RESULT: 'a handler returned something other than "handled" or "unhandled"',
} as const;

export type EngineErrorCode = keyof typeof ENGINE_ERROR_CODES;

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** Where in a node's processing an exception was thrown. */
export type FailurePhase = 'handler' | 'recompute' | 'diff';

export interface NodeFailure {
  /** The node whose code threw. */
  readonly node: string;
  readonly phase: FailurePhase;
  /** For a handler: the input slot whose changes it was handling. */
  readonly slot?: string;
  readonly error: unknown;
}

/**
 * Thrown by run() after the whole pass when one or more nodes threw. The failed nodes and every
 * node downstream of them are stale (their data is not readable) and recompute on the next run.
 */
export class EngineRunError extends EngineError {
  constructor(
    readonly failures: readonly NodeFailure[],
    /** Nodes skipped in this run because an input failed; they recompute on the next run. */
    readonly skipped: readonly string[],
  ) {
    const first = failures[0];
    const where = failures.map((f) => `${f.node} (${f.phase}${f.slot === undefined ? '' : ` of ${f.slot}`})`);
    super('ENGINE_RUN_FAILED', `engine run failed in ${where.join(', ')}: ${describe(first?.error)}`, {
      cause: first?.error,
    });
    this.name = 'EngineRunError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
