// Passive mode: listen where switches dial in (`ovs-vsctl set-controller br-int unix:…` or
// `tcp:127.0.0.1:6653`). Every switch that completes the handshake is announced with `switch`;
// the switch itself redials after a drop, so reconnection is its side of the contract.
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { OpenFlowError } from '../errors.js';
import { OpenFlowConnection, type ConnectionOptions } from './connection.js';
import { parseTarget, type Target } from './transport.js';

type ListenerEvents = {
  switch: [OpenFlowConnection];
  /** A connection that failed its handshake (wrong version, garbage, timeout). */
  rejected: [OpenFlowError];
};

export class OpenFlowListener extends EventEmitter<ListenerEvents> {
  private server: net.Server | undefined;
  private readonly target: Target;
  private readonly connections = new Set<OpenFlowConnection>();

  constructor(
    target: string,
    private readonly options: ConnectionOptions = {},
  ) {
    super();
    this.target = parseTarget(target);
  }

  async listen(): Promise<void> {
    const server = net.createServer((socket) => {
      OpenFlowConnection.open(socket, this.options)
        .then((conn) => {
          this.connections.add(conn);
          conn.once('close', () => this.connections.delete(conn));
          this.emit('switch', conn);
        })
        .catch((error: unknown) => {
          socket.destroy();
          this.emit(
            'rejected',
            error instanceof OpenFlowError ? error : new OpenFlowError('OF_PROTOCOL', String(error)),
          );
        });
    });
    this.server = server;
    if (this.target.kind === 'unix') rmSync(this.target.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const t = this.target;
      if (t.kind === 'unix') server.listen(t.path, resolve);
      else server.listen(t.port, t.host, resolve);
    });
  }

  /** The bound TCP port (useful with port 0). */
  get port(): number | undefined {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : undefined;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.target.kind === 'unix') rmSync(this.target.path, { force: true });
  }
}
