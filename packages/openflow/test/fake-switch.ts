// A scriptable fake OpenFlow 1.3 switch for channel tests: it speaks just enough (HELLO,
// FEATURES, ECHO, BARRIER) and can be told to misbehave (stay silent, send garbage, offer the
// wrong version, drop the connection) so the controller side's failure handling is exercised.
import { rmSync } from 'node:fs';
import net from 'node:net';
import { decodeMessage, encodeMessage, MessageFramer, type OpenFlowMessage } from '../src/index.js';

export interface FakeSwitchBehaviour {
  /** Versions offered in HELLO (default [4]). */
  versions?: number[];
  answerEcho?: boolean;
  answerBarrier?: boolean;
}

export class FakeSwitch {
  readonly path = `/tmp/weir-fakesw-${process.pid}-${Math.random().toString(36).slice(2, 8)}.sock`;
  private server: net.Server | undefined;
  readonly sockets = new Set<net.Socket>();
  readonly received: { xid: number; message: OpenFlowMessage }[] = [];
  receivedBytes = 0;
  connections = 0;
  behaviour: Required<FakeSwitchBehaviour>;

  constructor(behaviour: FakeSwitchBehaviour = {}) {
    this.behaviour = { versions: [4], answerEcho: true, answerBarrier: true, ...behaviour };
  }

  get target(): string {
    return `unix:${this.path}`;
  }

  async start(): Promise<void> {
    this.server = net.createServer((s) => this.accept(s));
    await new Promise<void>((resolve) => this.server?.listen(this.path, resolve));
  }

  private accept(s: net.Socket): void {
    this.connections++;
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
    s.write(encodeMessage({ type: 'hello', versions: this.behaviour.versions }, 1));
    const framer = new MessageFramer();
    s.on('data', (chunk: Buffer) => {
      this.receivedBytes += chunk.length;
      let msgs: Buffer[];
      try {
        msgs = framer.push(chunk);
      } catch {
        s.destroy();
        return;
      }
      for (const raw of msgs) {
        const env = decodeMessage(raw);
        this.received.push({ xid: env.xid, message: env.message });
        const m = env.message;
        if (m.type === 'features_request') {
          this.send(
            s,
            {
              type: 'features_reply',
              datapathId: 0xfeedn,
              nBuffers: 0,
              nTables: 254,
              auxiliaryId: 0,
              capabilities: 0x4f,
            },
            env.xid,
          );
        } else if (m.type === 'echo_request' && this.behaviour.answerEcho) {
          this.send(s, { type: 'echo_reply', data: m.data }, env.xid);
        } else if (m.type === 'barrier_request' && this.behaviour.answerBarrier) {
          this.send(s, { type: 'barrier_reply' }, env.xid);
        }
      }
    });
  }

  send(s: net.Socket, m: OpenFlowMessage, xid: number): void {
    s.write(encodeMessage(m, xid));
  }

  /** Writes raw bytes to every connected controller. */
  writeRaw(bytes: Buffer): void {
    for (const s of this.sockets) s.write(bytes);
  }

  broadcast(m: OpenFlowMessage, xid = 0): void {
    for (const s of this.sockets) this.send(s, m, xid);
  }

  dropAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.path, { force: true });
  }
}
