// Where a switch or controller lives: "unix:/path" or "tcp:host:port" (ovs-vsctl's spelling).
import net from 'node:net';
import { OpenFlowError } from '../errors.js';

export type Target =
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export function parseTarget(text: string): Target {
  if (text.startsWith('unix:')) {
    const path = text.slice(5);
    if (!path) throw new OpenFlowError('OF_INVALID_ARGUMENT', `empty unix socket path in "${text}"`);
    return { kind: 'unix', path };
  }
  const m = /^tcp:(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (m) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new OpenFlowError('OF_INVALID_ARGUMENT', `bad port in "${text}"`);
    return { kind: 'tcp', host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
  }
  throw new OpenFlowError('OF_INVALID_ARGUMENT', `target "${text}" is neither unix:PATH nor tcp:HOST:PORT`);
}

export function formatTarget(t: Target): string {
  return t.kind === 'unix' ? `unix:${t.path}` : `tcp:${t.host}:${t.port}`;
}

/** Opens a stream socket to `target`; resolves once connected. */
export function connectTarget(target: Target, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.kind === 'unix' ? net.connect(target.path) : net.connect(target.port, target.host);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new OpenFlowError('OF_TIMEOUT', `connect to ${formatTarget(target)} timed out`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(new OpenFlowError('OF_DISCONNECTED', `connect to ${formatTarget(target)}: ${error.message}`));
    });
  });
}
