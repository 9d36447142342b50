// A scriptable OVSDB server on a unix socket, for protocol tests that a real ovsdb-server
// cannot provide: hostile data, monitor_cond_since with found=true, dropped connections.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonSplitter } from '../../src/protocol/json-splitter.js';

export interface ReceivedRequest {
  readonly id: unknown;
  readonly method: string;
  readonly params: readonly unknown[];
}

/** What the handler returns: a result, `{ error }` for an error reply, or NO_REPLY. */
export const NO_REPLY = Symbol('no reply');
export type Handler = (request: ReceivedRequest, session: FakeSession) => unknown;

export class FakeSession {
  readonly received: ReceivedRequest[] = [];
  readonly replies: unknown[] = [];
  private readonly splitter = new JsonSplitter({ maxMessageBytes: 1 << 26 });

  constructor(
    readonly socket: Socket,
    private readonly handler: Handler,
  ) {
    socket.on('data', (chunk) => {
      for (const text of this.splitter.push(chunk))
        this.onMessage(JSON.parse(text) as Record<string, unknown>);
    });
    socket.on('error', () => undefined);
  }

  send(message: unknown): void {
    this.sendRaw(JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }

  private onMessage(message: Record<string, unknown>): void {
    if (typeof message['method'] !== 'string') {
      this.replies.push(message);
      return;
    }
    const request: ReceivedRequest = {
      id: message['id'],
      method: message['method'],
      params: Array.isArray(message['params']) ? (message['params'] as unknown[]) : [],
    };
    this.received.push(request);
    if (request.id === null) return;
    const result = this.handler(request, this);
    if (result === NO_REPLY) return;
    if (typeof result === 'object' && result !== null && 'error' in result) {
      this.send({ id: request.id, result: null, error: result.error });
    } else {
      this.send({ id: request.id, result, error: null });
    }
  }
}

export class FakeOvsdbServer {
  readonly sessions: FakeSession[] = [];
  private readonly waiting: ((session: FakeSession) => void)[] = [];

  private constructor(
    private readonly server: Server,
    private readonly dir: string,
    readonly path: string,
    public handler: Handler,
  ) {
    server.on('connection', (socket) => {
      const session = new FakeSession(socket, (request, s) => this.handler(request, s));
      this.sessions.push(session);
      for (const wake of this.waiting.splice(0)) wake(session);
    });
  }

  static async start(handler: Handler = defaultHandler): Promise<FakeOvsdbServer> {
    const dir = await mkdtemp(join(tmpdir(), 'ovsdb-fake-'));
    const path = join(dir, 'db.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return new FakeOvsdbServer(server, dir, path, handler);
  }

  get target(): string {
    return `unix:${this.path}`;
  }

  /** The session that connects next (or the n-th overall, if it already exists). */
  session(index: number): Promise<FakeSession> {
    const existing = this.sessions[index];
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve) => {
      const check = (): void => {
        const s = this.sessions[index];
        if (s) resolve(s);
        else this.waiting.push(check);
      };
      this.waiting.push(check);
    });
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

export const defaultHandler: Handler = (request) => {
  switch (request.method) {
    case 'list_dbs':
      return ['Test'];
    case 'echo':
      return request.params;
    default:
      return { error: 'unknown method' };
  }
};
