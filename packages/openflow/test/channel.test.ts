// The switch channel against a scripted fake switch: handshake, version refusal, keepalive,
// timeouts, multipart collection, malformed input, reconnection with backoff, backpressure.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  OpenFlowError,
  OpenFlowListener,
  SwitchClient,
  encodeMessage,
  flowMod,
  type Envelope,
  type OpenFlowConnection,
} from '../src/index.js';
import { FakeSwitch } from './fake-switch.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fake(behaviour: ConstructorParameters<typeof FakeSwitch>[0] = {}): Promise<FakeSwitch> {
  const sw = new FakeSwitch(behaviour);
  await sw.start();
  cleanups.push(() => sw.stop());
  return sw;
}

function client(target: string, options: ConstructorParameters<typeof SwitchClient>[1] = {}): SwitchClient {
  const c = new SwitchClient(target, { minBackoffMs: 20, maxBackoffMs: 100, ...options });
  cleanups.push(() => c.stop());
  c.start();
  return c;
}

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

describe('switch channel', () => {
  it('completes the handshake and learns the datapath id', async () => {
    const sw = await fake();
    const conn = await client(sw.target).ready();
    assert.equal(conn.datapathId, 0xfeedn);
    assert.equal(conn.features.nTables, 254);
    assert.ok(sw.received.some((r) => r.message.type === 'hello'));
  });

  it('refuses a switch that does not speak OpenFlow 1.3, telling it why', async () => {
    const sw = await fake({ versions: [1] });
    const c = client(sw.target);
    const [error] = await new Promise<[OpenFlowError, number]>((resolve) =>
      c.once('retry', (e, d) => resolve([e, d])),
    );
    assert.equal(error.code, 'OF_PROTOCOL');
    await until(() => sw.received.some((r) => r.message.type === 'error'));
    const refusal = sw.received.find((r) => r.message.type === 'error')?.message;
    assert.ok(
      refusal?.type === 'error' && refusal.errorType === 0 && refusal.code === 0,
      'OFPET_HELLO_FAILED/INCOMPATIBLE',
    );
  });

  it('answers the switch’s echo requests with the same xid and payload', async () => {
    const sw = await fake();
    await client(sw.target).ready();
    sw.broadcast({ type: 'echo_request', data: Buffer.from('ping') }, 0x1234);
    await until(() => sw.received.some((r) => r.xid === 0x1234 && r.message.type === 'echo_reply'));
    const reply = sw.received.find((r) => r.xid === 0x1234)?.message;
    assert.ok(reply?.type === 'echo_reply' && reply.data.toString() === 'ping');
  });

  it('closes a connection whose switch stops answering echo requests', async () => {
    const sw = await fake({ answerEcho: false });
    const c = client(sw.target, { echoIntervalMs: 150, echoTimeoutMs: 200 });
    const conn = await c.ready();
    const reason = await new Promise<OpenFlowError | undefined>((resolve) => conn.once('close', resolve));
    assert.equal(reason?.code, 'OF_TIMEOUT');
    assert.ok(sw.received.some((r) => r.message.type === 'echo_request'));
  });

  it('times out a request that gets no reply, and rejects pending requests on disconnect', async () => {
    const sw = await fake({ answerBarrier: false });
    const conn = await client(sw.target, { requestTimeoutMs: 150 }).ready();
    await assert.rejects(
      conn.barrier(),
      (e: unknown) => e instanceof OpenFlowError && e.code === 'OF_TIMEOUT',
    );
    const pending = conn.barrier(5000);
    sw.dropAll();
    await assert.rejects(pending, (e: unknown) => e instanceof OpenFlowError && e.code === 'OF_DISCONNECTED');
  });

  it('collects multipart replies until the last part', async () => {
    const sw = await fake();
    const conn = await client(sw.target).ready();
    const request = conn.multipart({ kind: 'port_desc' });
    await until(() => sw.received.some((r) => r.message.type === 'multipart_request'));
    const xid = sw.received.find((r) => r.message.type === 'multipart_request')?.xid ?? 0;
    const port = (n: number) => ({
      portNo: n,
      hwAddr: '02:00:00:00:00:0' + n,
      name: `p${n}`,
      config: 0,
      state: 0,
      curr: 0,
      advertised: 0,
      supported: 0,
      peer: 0,
      currSpeed: 0,
      maxSpeed: 0,
    });
    sw.broadcast({ type: 'multipart_reply', more: true, body: { kind: 'port_desc', ports: [port(1)] } }, xid);
    sw.broadcast(
      { type: 'multipart_reply', more: true, body: { kind: 'port_desc', ports: [port(2), port(3)] } },
      xid,
    );
    sw.broadcast(
      { type: 'multipart_reply', more: false, body: { kind: 'port_desc', ports: [port(4)] } },
      xid,
    );
    const parts = await request;
    assert.deepEqual(
      parts.flatMap((p) => (p.kind === 'port_desc' ? p.ports.map((x) => x.name) : [])),
      ['p1', 'p2', 'p3', 'p4'],
    );
  });

  it('survives a malformed message from the switch: counts it, reports it, keeps working', async () => {
    const sw = await fake();
    const conn = await client(sw.target).ready();
    const errors: OpenFlowError[] = [];
    conn.on('decodeError', (e) => errors.push(e));
    // A PACKET_IN whose ofp_match claims more bytes than the message holds.
    const bad = Buffer.from('040a001c00000007ffffffff004001000000000000000000010040', 'hex');
    bad.writeUInt16BE(bad.length, 2);
    sw.writeRaw(bad);
    // An unknown experimenter message is not an error: it is delivered as `unknown`.
    const unknownMsg = new Promise<Envelope>((resolve) => conn.once('message', resolve));
    sw.writeRaw(Buffer.from('0404001400000009000000aa0000000101020304', 'hex'));
    await conn.barrier();
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof OpenFlowError);
    assert.equal(conn.decodeErrors, 1);
    const u = (await unknownMsg).message;
    assert.ok(u.type === 'unknown' && u.experimenter === 0xaa);
  });

  it('drops a connection whose framing is broken, then reconnects with backoff', async () => {
    const sw = await fake();
    const c = client(sw.target);
    const conn = await c.ready();
    const closed = new Promise<OpenFlowError | undefined>((resolve) => conn.once('close', resolve));
    const reconnected = new Promise<OpenFlowConnection>((resolve) => c.once('connected', resolve));
    sw.writeRaw(Buffer.from('0400000300000001', 'hex')); // length 3 < header
    assert.equal((await closed)?.code, 'OF_PROTOCOL');
    const again = await reconnected;
    assert.notEqual(again, conn);
    assert.equal(sw.connections, 2);
    await again.barrier();
  });

  it('keeps retrying while the switch is down and connects when it comes up', async () => {
    const sw = new FakeSwitch();
    const c = client(sw.target);
    const retries: number[] = [];
    c.on('retry', (_e, delay) => retries.push(delay));
    await until(() => retries.length >= 3);
    assert.ok((retries[2] ?? 0) > (retries[0] ?? 0), `backoff grows: ${retries.join(',')}`);
    await sw.start();
    cleanups.push(() => sw.stop());
    const conn = await c.ready(3000);
    assert.equal(conn.datapathId, 0xfeedn);
  });

  it('streams 100,000 flow-mods with bounded buffering and in order', async () => {
    const sw = await fake();
    const conn = await client(sw.target).ready();
    const n = 100_000;
    const first = conn.reserveXids(n);
    let maxBuffered = 0;
    const socket = (conn as unknown as { socket: net.Socket }).socket;
    const probe = setInterval(() => (maxBuffered = Math.max(maxBuffered, socket.writableLength)), 1);
    function* flows() {
      for (let i = 0; i < n; i++)
        yield flowMod({ tableId: 1, priority: 10, match: [{ field: 'reg0', value: i }] });
    }
    await conn.sendBatch(flows(), first);
    await conn.barrier(30_000);
    clearInterval(probe);
    const mods = sw.received.filter((r) => r.message.type === 'flow_mod');
    assert.equal(mods.length, n);
    assert.ok(
      mods.every((m, i) => m.xid === first + i),
      'xids are consecutive and in order',
    );
    // Never more than a couple of chunks queued in the socket (chunk size 256 KiB by default).
    assert.ok(maxBuffered < 2 * 1024 * 1024, `socket buffered ${maxBuffered} bytes`);
  });
});

describe('passive listener', () => {
  it('accepts a switch that dials in and rejects a peer that speaks garbage', async () => {
    const path = `/tmp/weir-ofl-${process.pid}.sock`;
    const listener = new OpenFlowListener(`unix:${path}`, { handshakeTimeoutMs: 500 });
    await listener.listen();
    cleanups.push(() => listener.close());
    const accepted = new Promise<OpenFlowConnection>((resolve) => listener.once('switch', resolve));
    // A switch dialling in: speak as the fake switch does, over a client socket.
    const sock = net.connect(path);
    cleanups.push(() => void sock.destroy());
    sock.on('data', (chunk: Buffer) => {
      for (let at = 0; at + 8 <= chunk.length; at += chunk.readUInt16BE(at + 2)) {
        const type = chunk[at + 1];
        const xid = chunk.readUInt32BE(at + 4);
        if (type === 5)
          sock.write(
            encodeMessage(
              {
                type: 'features_reply',
                datapathId: 7n,
                nBuffers: 0,
                nTables: 254,
                auxiliaryId: 0,
                capabilities: 0,
              },
              xid,
            ),
          );
        if (chunk.readUInt16BE(at + 2) < 8) break;
      }
    });
    sock.write(encodeMessage({ type: 'hello', versions: [4] }, 1));
    assert.equal((await accepted).datapathId, 7n);

    const rejected = new Promise<OpenFlowError>((resolve) => listener.once('rejected', resolve));
    const garbage = net.connect(path);
    cleanups.push(() => void garbage.destroy());
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    const error = await rejected;
    assert.ok(error instanceof OpenFlowError);
  });
});
