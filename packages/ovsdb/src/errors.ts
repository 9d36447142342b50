// One error class for the whole library, with stable machine-readable codes.
// Callers branch on `error.code`, never on message text: messages may be reworded, codes may not.
// The catalogue below is the single source of truth; a unit test checks that README.md lists
// every code (see test/errors.test.ts).

/** Every code an OvsdbError can carry, with the one-line meaning shown in the README. */
export const OVSDB_ERROR_CODES = {
  OVSDB_TXN_FAILED: 'A transaction was rejected: an operation (or the commit) failed; nothing was applied.',
  OVSDB_RPC_ERROR: 'The server answered a request with a JSON-RPC error (unknown database, bad syntax…).',
  OVSDB_PROTOCOL: 'The server sent data that is not valid RFC 7047 (bad JSON, wrong shape, unknown id…).',
  OVSDB_MESSAGE_TOO_LARGE: 'A message from the server exceeded `maxMessageBytes`.',
  OVSDB_TIMEOUT: 'A request, the connection attempt or the inactivity probe got no answer in time.',
  OVSDB_DISCONNECTED: 'The connection closed (or was never up) before the request completed.',
  OVSDB_CONNECT_FAILED: 'Could not open the transport (socket missing, connection refused…).',
  OVSDB_CLOSED: 'The client, connection or replica was closed by its owner.',
  OVSDB_INVALID_ARGUMENT: 'The caller passed a value that does not fit the schema or the API.',
  OVSDB_INCONSISTENT: 'Monitor updates contradict the replica (e.g. modify of an unknown row).',
} as const;

export type OvsdbErrorCode = keyof typeof OVSDB_ERROR_CODES;

export interface OvsdbErrorOptions {
  readonly cause?: unknown;
  /** Free-form, JSON-serialisable context (server error object, offending value…). */
  readonly details?: unknown;
}

export class OvsdbError extends Error {
  override readonly name: string = 'OvsdbError';
  readonly details: unknown;

  constructor(
    readonly code: OvsdbErrorCode,
    message: string,
    options: OvsdbErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details;
  }
}

/** Details of the operation that made a transaction fail. */
export interface TransactionFailure {
  /**
   * Index (0-based) of the failing operation in the request, or undefined when the failure is
   * reported after the last operation (commit-time checks such as referential integrity or a
   * unique index violation).
   */
  readonly operationIndex: number | undefined;
  /** The `op` of the failing operation (`"wait"`, `"insert"`…), when known. */
  readonly operation: string | undefined;
  /** The OVSDB error string, e.g. `"timed out"`, `"constraint violation"`, `"aborted"`. */
  readonly ovsdbError: string;
  /** The server's human-readable `details`, if any. */
  readonly ovsdbDetails: string | undefined;
}

/** OVSDB_TXN_FAILED: the whole transaction was rolled back by the server. */
export class OvsdbTransactionError extends OvsdbError implements TransactionFailure {
  override readonly name = 'OvsdbTransactionError';
  readonly operationIndex: number | undefined;
  readonly operation: string | undefined;
  readonly ovsdbError: string;
  readonly ovsdbDetails: string | undefined;

  constructor(failure: TransactionFailure, options: OvsdbErrorOptions = {}) {
    const where =
      failure.operationIndex === undefined
        ? 'at commit'
        : `in operation ${failure.operationIndex} (${failure.operation ?? '?'})`;
    const detail = failure.ovsdbDetails === undefined ? '' : `: ${failure.ovsdbDetails}`;
    super('OVSDB_TXN_FAILED', `transaction failed ${where}: ${failure.ovsdbError}${detail}`, options);
    this.operationIndex = failure.operationIndex;
    this.operation = failure.operation;
    this.ovsdbError = failure.ovsdbError;
    this.ovsdbDetails = failure.ovsdbDetails;
  }
}

export function isOvsdbError(error: unknown, code?: OvsdbErrorCode): error is OvsdbError {
  return error instanceof OvsdbError && (code === undefined || error.code === code);
}

/** Wraps anything thrown into an OvsdbError with `code`, keeping OvsdbErrors as they are. */
export function toOvsdbError(error: unknown, code: OvsdbErrorCode, message: string): OvsdbError {
  if (error instanceof OvsdbError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new OvsdbError(code, `${message}: ${reason}`, { cause: error });
}
