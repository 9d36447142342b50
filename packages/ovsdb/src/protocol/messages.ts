// JSON-RPC 1.0 message shapes as used by RFC 7047, and their validation at the boundary.
// Everything the server sends is `unknown` until classified here.
import { OvsdbError } from '../errors.js';

/** A request or notification from the peer (`id` null for notifications). */
export interface IncomingRequest {
  readonly kind: 'request';
  readonly id: unknown;
  readonly method: string;
  readonly params: readonly unknown[];
}

export interface IncomingResponse {
  readonly kind: 'response';
  readonly id: unknown;
  readonly result: unknown;
  /** null when the request succeeded. */
  readonly error: unknown;
}

export type IncomingMessage = IncomingRequest | IncomingResponse;

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one JSON text and classifies it; throws OVSDB_PROTOCOL for anything else. */
export function parseMessage(text: string): IncomingMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OvsdbError('OVSDB_PROTOCOL', 'received invalid JSON', { cause: error });
  }
  if (!isRecord(value))
    throw new OvsdbError('OVSDB_PROTOCOL', 'received a JSON-RPC message that is not an object');
  if ('method' in value) {
    const { method, params } = value;
    if (typeof method !== 'string')
      throw new OvsdbError('OVSDB_PROTOCOL', 'JSON-RPC "method" is not a string');
    if (!Array.isArray(params)) {
      throw new OvsdbError('OVSDB_PROTOCOL', `JSON-RPC "params" of ${method} is not an array`);
    }
    return { kind: 'request', id: value['id'] ?? null, method, params };
  }
  if ('id' in value && ('result' in value || 'error' in value)) {
    return {
      kind: 'response',
      id: value['id'],
      result: value['result'] ?? null,
      error: value['error'] ?? null,
    };
  }
  throw new OvsdbError('OVSDB_PROTOCOL', 'received a JSON-RPC message that is neither request nor response');
}

/** A readable summary of a JSON-RPC `error` member (a string or `{error, details}`). */
export function describeRpcError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isRecord(error)) {
    const name = typeof error['error'] === 'string' ? error['error'] : 'error';
    return typeof error['details'] === 'string' ? `${name}: ${error['details']}` : name;
  }
  return JSON.stringify(error) ?? String(error);
}
