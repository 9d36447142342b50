import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeIpPacket,
  encodeIpPacket,
  PacketDecodeError,
  PacketEncodeError,
  tcpOptions,
} from '../src/index.js';
import { assertDecodeError, fromHex, toHex } from './helpers.js';

describe('TCP (RFC 9293)', () => {
  // 192.0.2.1:49152 → 192.0.2.2:80, seq 1, SYN, window 64240, MSS 1460; checksum 0x58e0 was
  // computed independently of this library.
  const SYN = 'c0000050 00000001 00000000 6002 faf0 58e0 0000 020405b4';
  const network = {
    kind: 'ipv4',
    source: '192.0.2.1',
    destination: '192.0.2.2',
    ttl: 64,
    dontFragment: true,
  } as const;

  it('encodes a SYN with its pseudo-header checksum', () => {
    const bytes = encodeIpPacket({
      network,
      transport: {
        kind: 'tcp',
        sourcePort: 49152,
        destinationPort: 80,
        sequenceNumber: 1,
        flags: { syn: true },
        window: 64240,
        options: fromHex('020405b4'),
      },
    });
    assert.equal(toHex(bytes.subarray(20)), SYN.replace(/ /g, ''));
    const tcp = decodeIpPacket(bytes).transport;
    assert.ok(tcp?.kind === 'tcp');
    assert.deepEqual(tcp.flags, {
      fin: false,
      syn: true,
      rst: false,
      psh: false,
      ack: false,
      urg: false,
      ece: false,
      cwr: false,
      ae: false,
    });
    assert.equal(tcp.headerLength, 24);
    assert.equal(tcp.checksum, 0x58e0);
    assert.equal(tcp.checksumValid, true);
    assert.deepEqual(tcpOptions(tcp.options), [{ kind: 2, data: fromHex('05b4') }]);
  });

  it('detects a corrupted segment and keeps decoding it', () => {
    const bytes = encodeIpPacket({
      network,
      transport: { kind: 'tcp', sourcePort: 1, destinationPort: 2 },
      payload: fromHex('0102'),
    });
    bytes[bytes.length - 1] = 3;
    const packet = decodeIpPacket(bytes);
    assert.equal(packet.transport?.kind === 'tcp' && packet.transport.checksumValid, false);
    assert.equal(toHex(packet.payload), '0103');
  });

  it('reports a data offset below 5 and a header longer than the segment', () => {
    const bytes = encodeIpPacket({ network, transport: { kind: 'tcp', sourcePort: 1, destinationPort: 2 } });
    bytes[32] = 0x40;
    assertDecodeError(() => decodeIpPacket(bytes), 'PACKET_BAD_FIELD', 'tcp');
    bytes[32] = 0xf0;
    assertDecodeError(() => decodeIpPacket(bytes), 'PACKET_TRUNCATED', 'tcp');
  });

  it('lists options and refuses malformed ones', () => {
    // NOP, NOP, timestamps (kind 8, length 10), window scale 7, end of list.
    const list = tcpOptions(fromHex('0101080a0000000100000002030307 00'.replace(' ', '')));
    assert.deepEqual(
      list.map((o) => [o.kind, toHex(o.data)]),
      [
        [1, ''],
        [1, ''],
        [8, '0000000100000002'],
        [3, '07'],
        [0, ''],
      ],
    );
    assert.throws(() => tcpOptions(fromHex('0201')), PacketDecodeError);
    assert.throws(() => tcpOptions(fromHex('08')), PacketDecodeError);
    assert.throws(() => tcpOptions(fromHex('020a0000')), PacketDecodeError);
  });

  it('refuses options that are not whole words', () => {
    assert.throws(
      () =>
        encodeIpPacket({
          network,
          transport: { kind: 'tcp', sourcePort: 1, destinationPort: 2, options: fromHex('01') },
        }),
      PacketEncodeError,
    );
  });
});

describe('UDP (RFC 768)', () => {
  it('computes the IPv6 pseudo-header checksum (0x36bb, computed independently)', () => {
    const bytes = encodeIpPacket({
      network: { kind: 'ipv6', source: '2001:db8::1', destination: '2001:db8::2' },
      transport: { kind: 'udp', sourcePort: 5353, destinationPort: 5353 },
      payload: new TextEncoder().encode('hello'),
    });
    assert.equal(toHex(bytes.subarray(40)), '14e914e9000d36bb68656c6c6f');
    const packet = decodeIpPacket(bytes);
    assert.deepEqual(packet.transport, {
      kind: 'udp',
      sourcePort: 5353,
      destinationPort: 5353,
      length: 13,
      checksum: 0x36bb,
      checksumValid: true,
      checksumOmitted: false,
    });
  });

  it('can omit the checksum over IPv4 only', () => {
    const v4 = encodeIpPacket({
      network: { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2' },
      transport: { kind: 'udp', sourcePort: 4789, destinationPort: 4789, checksumOmitted: true },
      payload: fromHex('0800000000000100'),
    });
    assert.equal(toHex(v4.subarray(26, 28)), '0000');
    assert.throws(
      () =>
        encodeIpPacket({
          network: { kind: 'ipv6', source: '::1', destination: '::1' },
          transport: { kind: 'udp', sourcePort: 1, destinationPort: 2, checksumOmitted: true },
        }),
      PacketEncodeError,
    );
  });

  it('reports lengths below the header and beyond the packet', () => {
    const bytes = encodeIpPacket({
      network: { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2' },
      transport: { kind: 'udp', sourcePort: 1, destinationPort: 2 },
      payload: fromHex('00'),
    });
    bytes[25] = 7;
    assertDecodeError(() => decodeIpPacket(bytes), 'PACKET_BAD_LENGTH', 'udp');
    bytes[25] = 10;
    assertDecodeError(() => decodeIpPacket(bytes), 'PACKET_TRUNCATED', 'udp');
  });
});
