// The one catalogue of Weir error codes (in the manner of fastify's lib/errors.js): every error a
// model, store or core function throws is a WeirError with one of these stable codes. Messages may
// change; codes may not. The API maps each code to an HTTP status and a Neutron error type (a test
// there checks every code is mapped).

export const ERROR_CODES = {
  // Validation of objects and requests.
  WEIR_MODEL_INVALID:
    'an object or request is malformed: a field is missing, of the wrong type or out of range',
  // The store.
  WEIR_STORE_CONFLICT:
    'a compare-and-swap lost: the object changed (or appeared, or vanished) since it was read',
  WEIR_STORE_NOT_FOUND: 'no object with that table and id',
  WEIR_STORE_EXISTS: 'an object with that id already exists',
  WEIR_STORE_CLAIMED: 'a unique value (address, MAC, segment…) is already held by another object',
  WEIR_STORE_COMPACTED: 'a watch asked to resume from a revision the store no longer keeps',
  WEIR_STORE_UNAVAILABLE: 'the store cannot be reached, or was closed',
  WEIR_STORE_CORRUPT: 'the embedded store found data on disk it cannot read',
  WEIR_STORE_TOO_LARGE: 'an object or transaction exceeds the store limits',
  // Domain rules (Neutron semantics).
  WEIR_CORE_NOT_FOUND: 'a referenced resource does not exist (or is not visible to the caller)',
  WEIR_CORE_IN_USE: 'a resource cannot be deleted or changed while others depend on it',
  WEIR_CORE_CONFLICT: 'the request contradicts existing state (overlapping CIDR, duplicate, wrong owner…)',
  WEIR_CORE_BAD_REQUEST:
    'the request is well-formed but violates a rule (address outside the subnet, bad range…)',
  WEIR_CORE_IP_EXHAUSTED: 'no free address is left in the requested subnet(s)',
  WEIR_CORE_PREFIX_EXHAUSTED:
    'a subnet pool has no free prefix of the requested size, or the requested prefix is not free in it',
  WEIR_CORE_IP_IN_USE: 'the requested address is already allocated',
  WEIR_CORE_MAC_IN_USE: 'the requested MAC address is already in use on the network',
  WEIR_CORE_QUOTA: 'the project has reached its quota for this resource',
  WEIR_CORE_FORBIDDEN: 'the caller may not do this (policy)',
  WEIR_CORE_RETRY_EXHAUSTED: 'concurrent writers kept winning; the operation gave up after its retries',
} as const;

export type WeirErrorCode = keyof typeof ERROR_CODES;

export interface WeirErrorDetail {
  /** JSON pointer to the offending field, e.g. "/fixedIps/0/ipAddress". */
  readonly field?: string;
  readonly reason: string;
}

export class WeirError extends Error {
  override readonly name: string = 'WeirError';

  constructor(
    readonly code: WeirErrorCode,
    message: string,
    /** Field-level reasons (validation) or other structured context. */
    readonly details: readonly WeirErrorDetail[] = [],
    /** A machine-readable subtype the API uses to pick Neutron's exact error type. */
    readonly kind?: string,
  ) {
    super(message);
  }
}

export function isWeirError(error: unknown, code?: WeirErrorCode): error is WeirError {
  return error instanceof WeirError && (code === undefined || error.code === code);
}
