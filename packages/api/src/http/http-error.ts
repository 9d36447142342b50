// One error type for the HTTP edge. Handlers throw WeirErrors (from model, store and core) or
// HttpErrors (request-shape problems found here); `toHttpError` maps both to a status, an error
// type and a message, and each API (Neutron, Octavia, Keystone) renders that in its own shape.
import { isWeirError, type WeirErrorCode } from '@weir/model';

export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    /** Neutron's exception type (NeutronError.type); also the Keystone title. */
    readonly type: string,
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

export const badRequest = (message: string, type = 'HTTPBadRequest'): HttpError =>
  new HttpError(400, type, message);

export const STATUS_OF_CODE: Readonly<Record<WeirErrorCode, number>> = {
  WEIR_MODEL_INVALID: 400,
  WEIR_STORE_CONFLICT: 409,
  WEIR_STORE_NOT_FOUND: 404,
  WEIR_STORE_EXISTS: 409,
  WEIR_STORE_CLAIMED: 409,
  // Only watches see compaction; a request that does is a server fault.
  WEIR_STORE_COMPACTED: 500,
  WEIR_STORE_UNAVAILABLE: 503,
  WEIR_STORE_CORRUPT: 500,
  WEIR_STORE_TOO_LARGE: 413,
  WEIR_CORE_NOT_FOUND: 404,
  WEIR_CORE_IN_USE: 409,
  WEIR_CORE_CONFLICT: 409,
  WEIR_CORE_BAD_REQUEST: 400,
  WEIR_CORE_IP_EXHAUSTED: 409,
  // Neutron's SubnetAllocationError is a bare NeutronException, which its API answers with 500
  // (type and message kept); clients and tempest see exactly that.
  WEIR_CORE_PREFIX_EXHAUSTED: 500,
  WEIR_CORE_IP_IN_USE: 409,
  WEIR_CORE_MAC_IN_USE: 409,
  WEIR_CORE_QUOTA: 409,
  WEIR_CORE_FORBIDDEN: 403,
  // Concurrent writers kept winning for 64 attempts: the client may simply retry.
  WEIR_CORE_RETRY_EXHAUSTED: 503,
};

/** Error kinds whose status is not the one of their code (Neutron's own choices). */
const STATUS_OF_KIND: Readonly<Record<string, number>> = {
  RevisionNumberConstraintFailed: 412,
};

const DEFAULT_TYPE: Readonly<Partial<Record<WeirErrorCode, string>>> = {
  WEIR_MODEL_INVALID: 'HTTPBadRequest',
  WEIR_STORE_CONFLICT: 'Conflict',
  WEIR_STORE_UNAVAILABLE: 'ServiceUnavailable',
  WEIR_STORE_TOO_LARGE: 'HTTPRequestEntityTooLarge',
  WEIR_CORE_RETRY_EXHAUSTED: 'ServiceUnavailable',
};

/**
 * Maps anything thrown by a handler. Unknown errors become a 500 whose message says nothing of
 * the internals (the caller logs the original).
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (isWeirError(error)) {
    const status =
      (error.kind === undefined ? undefined : STATUS_OF_KIND[error.kind]) ?? STATUS_OF_CODE[error.code];
    const type = error.kind ?? DEFAULT_TYPE[error.code] ?? 'HTTPBadRequest';
    return new HttpError(status, type, error.message);
  }
  return new HttpError(
    500,
    'HTTPInternalServerError',
    'Request Failed: internal server error while processing your request.',
  );
}
