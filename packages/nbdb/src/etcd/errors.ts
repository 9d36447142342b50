// etcd and gRPC failures, as the store's error codes. Everything the etcd3 client throws passes
// through `storeError`, so callers only ever see WeirErrors:
//   - the server (or gRPC) refusing a request for its size → WEIR_STORE_TOO_LARGE;
//   - a revision older than the last compaction → WEIR_STORE_COMPACTED;
//   - anything about reaching the server (refused, reset, deadline, closed) → WEIR_STORE_UNAVAILABLE.
import { WeirError, isWeirError } from '@weir/model';

const TOO_LARGE = [
  'too many operations in txn request', // --max-txn-ops
  'request is too large', // --max-request-bytes, checked by etcd
  'received message larger than max', // --max-request-bytes + gRPC overhead, checked by gRPC
  'trying to send message larger than max',
];
const COMPACTED = 'required revision has been compacted';

export function storeError(error: unknown, what: string): WeirError {
  if (isWeirError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (TOO_LARGE.some((m) => message.includes(m))) {
    return new WeirError('WEIR_STORE_TOO_LARGE', `${what}: etcd refused the request: ${message}`);
  }
  if (message.includes(COMPACTED)) {
    return new WeirError('WEIR_STORE_COMPACTED', `${what}: ${message}`);
  }
  return new WeirError('WEIR_STORE_UNAVAILABLE', `${what}: etcd: ${message}`);
}

/**
 * True when a failed call certainly never reached etcd (no connection was up), so even a write
 * may be sent again. A call that failed after it was sent may or may not have been applied.
 */
export function neverSent(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    message.includes('No connection established') ||
    message.includes('ECONNREFUSED') ||
    message.includes('circuit breaker is open')
  );
}

/** Worth retrying a read: the server is unreachable for a moment (restart, leader change). */
export function transient(error: unknown): boolean {
  if (isWeirError(error)) return false;
  const message = error instanceof Error ? error.message : '';
  if (TOO_LARGE.some((m) => message.includes(m)) || message.includes(COMPACTED)) return false;
  return (
    neverSent(error) ||
    /UNAVAILABLE|DEADLINE_EXCEEDED|ECONNRESET|EPIPE|Connection dropped|leader changed|no leader|timed out/i.test(
      message,
    )
  );
}
