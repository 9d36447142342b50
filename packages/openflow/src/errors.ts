// One error type for the whole library, with stable codes a caller can switch on.
// Decoding never throws anything else: a malformed or truncated message from a switch becomes
// an OpenFlowError, never a RangeError from a Buffer read.

export type OpenFlowErrorCode =
  /** Fewer bytes than a structure needs. */
  | 'OF_TRUNCATED'
  /** A length field disagrees with the bytes present or with the structure's rules. */
  | 'OF_BAD_LENGTH'
  /** A well-formed element this library does not know (unknown action subtype, OXM field…). */
  | 'OF_UNSUPPORTED'
  /** A value outside what the protocol allows (bad enum, reserved bits set…). */
  | 'OF_BAD_VALUE'
  /** The caller asked to encode something invalid (value too wide, missing field…). */
  | 'OF_INVALID_ARGUMENT'
  /** Flow text that cannot be parsed. */
  | 'OF_PARSE'
  /** The switch answered a request with an OpenFlow ERROR message. */
  | 'OF_SWITCH_ERROR'
  /** The connection closed or was never established. */
  | 'OF_DISCONNECTED'
  /** A request got no reply in time. */
  | 'OF_TIMEOUT'
  /** Version negotiation failed or the peer broke the protocol. */
  | 'OF_PROTOCOL';

export class OpenFlowError extends Error {
  constructor(
    readonly code: OpenFlowErrorCode,
    message: string,
    /** Byte offset in the message being decoded, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'OpenFlowError';
  }
}

export function invalid(message: string): OpenFlowError {
  return new OpenFlowError('OF_INVALID_ARGUMENT', message);
}
