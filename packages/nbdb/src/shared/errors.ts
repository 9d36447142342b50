// Store errors, built one way by every driver so callers can rely on the codes and on
// `details[0].field` naming the operation ("/ops/<index>") that failed.
import { WeirError, type WeirErrorCode } from '@weir/model';

/** The error for a failed condition or a refused operation of `commit(ops)`, naming `ops[index]`. */
export function opError(code: WeirErrorCode, index: number, message: string, kind?: string): WeirError {
  return new WeirError(
    code,
    `ops[${index}]: ${message}`,
    [{ field: `/ops/${index}`, reason: message }],
    kind,
  );
}

/** Every call on a closed store (or one whose disk failed) rejects with this. */
export function unavailable(message: string): WeirError {
  return new WeirError('WEIR_STORE_UNAVAILABLE', message);
}

export function invalid(message: string, field?: string): WeirError {
  return new WeirError('WEIR_MODEL_INVALID', message, [
    field === undefined ? { reason: message } : { field, reason: message },
  ]);
}
