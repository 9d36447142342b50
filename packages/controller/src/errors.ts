// The one catalogue of error codes the controller throws (in the manner of fastify's
// lib/errors.js and packages/model/src/errors.ts). Codes are stable — tests, logs and callers match
// on them, README.md lists them and a test checks that the two agree; messages may change.

export const CONTROLLER_ERROR_CODES = {
  WEIR_PIPELINE_DECLARATION:
    'the pipeline declaration contradicts itself (unknown or backward jump, duplicate name, bad miss action)',
  WEIR_PIPELINE_UNKNOWN_TABLE: 'a table name or number that the pipeline does not declare',
  WEIR_PIPELINE_CONTRACT:
    "a flow breaks its table's contract: a match, set-field, jump or action kind the table does not allow",
  WEIR_PIPELINE_PRIORITY: 'a raw number, an unknown band or an out-of-range offset used as a flow priority',
  WEIR_PIPELINE_COOKIE: 'a flow without a cookie owner, or a cookie part outside its bit width',
  WEIR_PIPELINE_VALUE: 'a value too wide for the register field or mark it is written to or matched against',
} as const;

export type ControllerErrorCode = keyof typeof CONTROLLER_ERROR_CODES;

/** What went wrong, for a person reading a failed test or a log line. */
export interface PipelineErrorContext {
  /** Display name of the table the flow was built for. */
  readonly table?: string;
  /** The offending field, action or jump target, as it would be named in the contract. */
  readonly subject?: string;
  /** Which contract rule refused it: "match", "set", "jump", "output", "controller", "group", "ct", … */
  readonly rule?: string;
}

export class ControllerError extends Error {
  override readonly name: string = 'ControllerError';

  constructor(
    readonly code: ControllerErrorCode,
    message: string,
    readonly context: PipelineErrorContext = {},
  ) {
    super(message);
  }
}

export function isControllerError(error: unknown, code?: ControllerErrorCode): error is ControllerError {
  return error instanceof ControllerError && (code === undefined || error.code === code);
}
