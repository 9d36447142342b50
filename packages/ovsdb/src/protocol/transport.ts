// Connection targets in OVS syntax (`unix:PATH`, `tcp:HOST:PORT`, `tcp:[IPv6]:PORT`) and the
// default transport that opens them. The transport is injectable so tests (and users with
// exotic needs, such as TLS) can hand the client any Duplex stream.
import { createConnection, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { OvsdbError } from '../errors.js';

export type Target =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Opens a byte stream to `target`; resolves once connected. Must honour `signal`. */
export type Transport = (target: string, signal: AbortSignal) => Promise<Duplex>;

export function parseTarget(target: string): Target {
  if (target.startsWith('unix:')) {
    const path = target.slice('unix:'.length);
    if (path === '') throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `empty socket path in ${target}`);
    return { kind: 'unix', path };
  }
  if (target.startsWith('tcp:')) {
    const rest = target.slice('tcp:'.length);
    const match = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(rest) ?? /^([^:[\]]+):(\d+)$/.exec(rest);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new OvsdbError('OVSDB_INVALID_ARGUMENT', `bad tcp target ${target} (want tcp:HOST:PORT)`);
    }
    return { kind: 'tcp', host: match[1], port };
  }
  throw new OvsdbError(
    'OVSDB_INVALID_ARGUMENT',
    `unsupported target ${target} (want unix:PATH or tcp:HOST:PORT)`,
  );
}

/** The default Transport: node:net sockets. */
export const netTransport: Transport = (target, signal) => {
  const parsed = parseTarget(target);
  return new Promise<Duplex>((resolve, reject) => {
    const socket: Socket =
      parsed.kind === 'unix'
        ? createConnection({ path: parsed.path })
        : createConnection({ host: parsed.host, port: parsed.port });
    const onAbort = (): void => {
      socket.destroy();
      reject(new OvsdbError('OVSDB_TIMEOUT', `connecting to ${target} timed out`));
    };
    const onError = (error: Error): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(
        new OvsdbError('OVSDB_CONNECT_FAILED', `cannot connect to ${target}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.setNoDelay(true);
      resolve(socket);
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
};
