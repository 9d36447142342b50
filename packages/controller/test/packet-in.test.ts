// Packet-ins are external input: rate-limited per source, decoded before any app sees them,
// malformed ones counted and dropped, routed to the app that asked for them (by cookie), and a
// handler that throws costs a counter, never the controller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope, OpenFlowMessage } from '@weir/openflow';
import { buildArpReply, decodeFrame, encodeFrame, type FrameInit } from '@weir/packet';
import { PacketInDispatcher, makeCookie } from '../src/index.js';

const ARP_REQUEST: FrameInit = {
  ethernet: { destination: 'ff:ff:ff:ff:ff:ff', source: 'fa:16:3e:00:00:01' },
  network: {
    kind: 'arp',
    operation: 1,
    senderMac: 'fa:16:3e:00:00:01',
    senderIp: '10.0.0.1',
    targetMac: '00:00:00:00:00:00',
    targetIp: '10.0.0.2',
  },
};

function packetIn(
  data: Buffer,
  options: { app?: 'dhcp' | 'l2'; srcPortKey?: number; inPort?: number } = {},
): Envelope {
  const message: OpenFlowMessage = {
    type: 'packet_in',
    bufferId: 0xffffffff,
    totalLen: data.length,
    reason: 'action',
    tableId: 5,
    cookie: makeCookie({ generation: 1, app: options.app ?? 'dhcp', owner: { kind: 'port', key: 7 } }),
    match: [
      { field: 'in_port', value: options.inPort ?? 3 },
      ...(options.srcPortKey === undefined ? [] : [{ field: 'reg6' as const, value: options.srcPortKey }]),
    ],
    data,
  };
  return { xid: 0, message } as Envelope;
}

describe('packet-in dispatcher', () => {
  const frame = Buffer.from(encodeFrame(ARP_REQUEST));

  it('decodes and routes to the app named by the cookie; its replies are returned', () => {
    const d = new PacketInDispatcher();
    const seen: string[] = [];
    d.register('dhcp', (f, ctx) => {
      seen.push(`${f.network?.kind ?? '?'}@${ctx.inPort ?? '?'}`);
      const reply = buildArpReply(f, { mac: 'fa:16:3e:00:00:02' });
      return [
        {
          type: 'packet_out',
          bufferId: 0xffffffff,
          inPort: 0xfffffffd,
          actions: [{ type: 'output', port: 3 }],
          data: Buffer.from(encodeFrame(reply)),
        },
      ];
    });
    const out = d.handle(packetIn(frame, { srcPortKey: 7 }));
    assert.deepEqual(seen, ['arp@3']);
    assert.equal(out.length, 1);
    const m = out[0];
    assert.ok(m?.type === 'packet_out');
    const decoded = decodeFrame(m.data);
    assert.ok(decoded.network?.kind === 'arp' && decoded.network.operation === 2);
    assert.equal(d.stats.answered, 1);
  });

  it('a packet-in for an app without a handler is counted as unhandled', () => {
    const d = new PacketInDispatcher();
    assert.deepEqual(d.handle(packetIn(frame, { app: 'l2' })), []);
    assert.equal(d.stats.unhandled, 1);
  });

  it('malformed frames are counted and dropped; the handler never sees them', () => {
    const d = new PacketInDispatcher();
    let called = 0;
    d.register('dhcp', () => {
      called++;
      return [];
    });
    for (const bad of [Buffer.alloc(0), Buffer.from([1, 2, 3]), Buffer.concat([frame.subarray(0, 20)])]) {
      assert.deepEqual(d.handle(packetIn(bad)), []);
    }
    assert.equal(d.stats.malformed, 3);
    assert.equal(called, 0);
  });

  it('a throwing handler is counted; the dispatcher goes on', () => {
    const d = new PacketInDispatcher();
    d.register('dhcp', () => {
      throw new Error('bug');
    });
    assert.deepEqual(d.handle(packetIn(frame)), []);
    assert.equal(d.stats.handlerErrors, 1);
  });

  it('rate-limits per source: a flooding port is cut to its rate, another port is not affected', () => {
    let now = 0;
    const d = new PacketInDispatcher({ ratePerSource: 10, burst: 20, now: () => now });
    d.register('dhcp', () => []);
    for (let i = 0; i < 100; i++) {
      d.handle(packetIn(frame, { srcPortKey: 1 }));
    }
    assert.equal(d.stats.rateLimited, 80, 'a burst of 20, then nothing');
    // Another source has its own bucket.
    d.handle(packetIn(frame, { srcPortKey: 2 }));
    assert.equal(d.stats.rateLimited, 80);
    // One second later, the flooding source has 10 more.
    now += 1000;
    for (let i = 0; i < 20; i++) d.handle(packetIn(frame, { srcPortKey: 1 }));
    assert.equal(d.stats.rateLimited, 90);
    // Without a port key (before classification) the in_port is the source.
    for (let i = 0; i < 25; i++) d.handle(packetIn(frame, { inPort: 9 }));
    assert.equal(d.stats.rateLimited, 95);
  });

  it('ignores messages that are not packet-ins', () => {
    const d = new PacketInDispatcher();
    assert.deepEqual(d.handle({ xid: 1, message: { type: 'barrier_reply' } } as Envelope), []);
    assert.equal(d.stats.received, 0);
  });
});
