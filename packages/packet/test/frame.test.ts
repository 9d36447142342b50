import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFrame, encodeFrame, PacketEncodeError, type FrameInit } from '../src/index.js';
import { fromHex, toHex } from './helpers.js';

const ethernet = { destination: '02:00:00:00:00:02', source: '02:00:00:00:00:01' } as const;
const ipv4 = { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2' } as const;

describe('frames: decodeFrame / encodeFrame', () => {
  it('derives EtherType and IP protocol from the layers and fills in lengths', () => {
    const bytes = encodeFrame({
      ethernet,
      network: ipv4,
      transport: { kind: 'udp', sourcePort: 1000, destinationPort: 2000 },
      payload: fromHex('cafe'),
    });
    assert.equal(toHex(bytes.subarray(12, 14)), '0800');
    const frame = decodeFrame(bytes);
    assert.ok(frame.network?.kind === 'ipv4' && frame.transport?.kind === 'udp');
    assert.equal(frame.network.protocol, 17);
    assert.equal(frame.network.totalLength, 30);
    assert.equal(frame.transport.length, 10);
    assert.equal(toHex(frame.payload), 'cafe');
    assert.deepEqual(frame.layout, { network: 14, transport: 34, payload: 42, trailer: 44 });
    assert.equal(frame.application, undefined);
  });

  it('pads to a minimum length and reads the padding back as a trailer', () => {
    const init: FrameInit = {
      ethernet,
      network: {
        kind: 'arp',
        operation: 1,
        senderMac: ethernet.source,
        senderIp: '192.0.2.1',
        targetMac: '00:00:00:00:00:00',
        targetIp: '192.0.2.2',
      },
    };
    const bytes = encodeFrame(init, { minimumLength: 60 });
    assert.equal(bytes.length, 60);
    const frame = decodeFrame(bytes);
    assert.equal(frame.trailer.length, 18);
    assert.equal(toHex(encodeFrame(frame)), toHex(bytes));
  });

  it('decodes DHCP only between ports 67/68 over IPv4', () => {
    const dhcp = {
      kind: 'dhcpv4',
      op: 1,
      xid: 7,
      chaddr: ethernet.source,
      options: [{ kind: 'message-type', value: 1 }],
    } as const;
    const relay = decodeFrame(
      encodeFrame({
        ethernet,
        network: ipv4,
        transport: { kind: 'udp', sourcePort: 67, destinationPort: 67 },
        application: dhcp,
      }),
    );
    assert.equal(relay.application?.xid, 7);
    assert.equal(relay.payload.length, 0);
    const other = decodeFrame(
      encodeFrame({
        ethernet,
        network: ipv4,
        transport: { kind: 'udp', sourcePort: 68, destinationPort: 5000 },
        payload: fromHex('01'),
      }),
    );
    assert.equal(other.application, undefined);
  });

  it('leaves unknown IP protocols as payload', () => {
    const frame = decodeFrame(
      encodeFrame({ ethernet, network: { ...ipv4, protocol: 47 }, payload: fromHex('00006558') }),
    );
    assert.equal(frame.transport, undefined);
    assert.equal(frame.layout.transport, undefined);
    assert.equal(toHex(frame.payload), '00006558');
  });

  it('refuses contradicting or impossible layer combinations', () => {
    const udp = { kind: 'udp', sourcePort: 1, destinationPort: 2 } as const;
    const cases: FrameInit[] = [
      { ethernet: { ...ethernet, etherType: 0x86dd }, network: ipv4 },
      { ethernet, network: { ...ipv4, protocol: 6 }, transport: udp },
      {
        ethernet,
        network: { kind: 'ipv6', source: '::1', destination: '::1' },
        transport: { kind: 'icmpv4', type: 'echo-request', identifier: 1, sequence: 1 },
      },
      {
        ethernet,
        network: ipv4,
        transport: { kind: 'icmpv6', type: 'echo-request', identifier: 1, sequence: 1 },
      },
      {
        ethernet,
        network: ipv4,
        transport: { kind: 'icmpv4', type: 'echo-request', identifier: 1, sequence: 1 },
        payload: fromHex('00'),
      },
      {
        ethernet,
        network: ipv4,
        transport: { kind: 'tcp', sourcePort: 1, destinationPort: 2 },
        application: { kind: 'dhcpv4', op: 1, xid: 1, chaddr: '', options: [] },
      },
      {
        ethernet,
        network: ipv4,
        transport: udp,
        application: { kind: 'dhcpv4', op: 1, xid: 1, chaddr: '', options: [] },
        payload: fromHex('00'),
      },
      { ethernet: { ...ethernet, etherType: 0x88cc }, transport: udp },
      {
        ethernet,
        network: {
          kind: 'arp',
          operation: 1,
          senderMac: ethernet.source,
          senderIp: '0.0.0.0',
          targetMac: ethernet.source,
          targetIp: '0.0.0.0',
        },
        payload: fromHex('00'),
      },
    ];
    for (const init of cases) {
      assert.throws(
        () => encodeFrame(init),
        PacketEncodeError,
        JSON.stringify(init, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v)),
      );
    }
  });

  it('returns views into the input, not copies', () => {
    const bytes = encodeFrame({
      ethernet,
      network: ipv4,
      transport: { kind: 'udp', sourcePort: 1, destinationPort: 2 },
      payload: fromHex('aa'),
    });
    const frame = decodeFrame(bytes);
    assert.equal(frame.bytes, bytes);
    assert.equal(frame.payload.buffer, bytes.buffer);
    bytes[bytes.length - 1] = 0xbb;
    assert.equal(frame.payload[0], 0xbb);
  });

  it('accepts a Node Buffer', () => {
    const buffer = Buffer.from(
      encodeFrame({ ethernet, network: ipv4, transport: { kind: 'udp', sourcePort: 1, destinationPort: 2 } }),
    );
    const sliced = Buffer.concat([Buffer.alloc(3), buffer]).subarray(3);
    assert.equal(decodeFrame(sliced).transport?.kind, 'udp');
  });
});
