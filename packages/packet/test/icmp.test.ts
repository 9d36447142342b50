import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeFrame,
  decodeIpPacket,
  encodeFrame,
  encodeIpPacket,
  Icmpv4UnreachableCode,
  PacketEncodeError,
  type Icmpv6,
} from '../src/index.js';
import { assertDecodeError, fromHex, toHex } from './helpers.js';

const V4 = { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2' } as const;

describe('ICMPv4 (RFC 792)', () => {
  it('encodes an echo request byte for byte (type 8, checksum over the message)', () => {
    const bytes = encodeIpPacket({
      network: V4,
      transport: {
        kind: 'icmpv4',
        type: 'echo-request',
        identifier: 0x1234,
        sequence: 1,
        data: fromHex('61626364'),
      },
    });
    // 08 00 | checksum | 1234 0001 | "abcd", by hand:
    // 0x0800 + 0x1234 + 0x0001 + 0x6162 + 0x6364 = 0xdefb, complemented 0x2104.
    assert.equal(toHex(bytes.subarray(20)), '0800210412340001' + '61626364');
    const packet = decodeIpPacket(bytes);
    assert.deepEqual(packet.transport, {
      kind: 'icmpv4',
      type: 'echo-request',
      code: 0,
      identifier: 0x1234,
      sequence: 1,
      data: fromHex('61626364'),
      checksum: 0x2104,
      checksumValid: true,
    });
  });

  it('carries the next-hop MTU of fragmentation needed (RFC 1191) and the quoted datagram', () => {
    const original = fromHex('45000054000040004001b6c2c0000201c63364020800');
    const bytes = encodeIpPacket({
      network: { ...V4, dscp: 48 },
      transport: {
        kind: 'icmpv4',
        type: 'destination-unreachable',
        code: Icmpv4UnreachableCode.FragmentationNeeded,
        nextHopMtu: 1280,
        original,
      },
    });
    assert.equal(toHex(bytes.subarray(20, 28)).replace(/^0304....0000/, 'x'), 'x0500');
    const icmp = decodeIpPacket(bytes).transport;
    assert.ok(icmp?.kind === 'icmpv4' && icmp.type === 'destination-unreachable');
    assert.equal(icmp.nextHopMtu, 1280);
    assert.equal(toHex(icmp.original), toHex(original));
    assert.equal(icmp.checksumValid, true);
  });

  it('keeps other message types as bytes and flags a bad checksum', () => {
    // Redirect (type 5, code 1): gateway address then the quoted header.
    const bytes = encodeIpPacket({
      network: V4,
      transport: { kind: 'icmpv4', type: 'other', icmpType: 5, code: 1, body: fromHex('c0000263' + '4500') },
    });
    bytes[bytes.length - 1] = 1;
    const icmp = decodeIpPacket(bytes).transport;
    assert.ok(icmp?.kind === 'icmpv4' && icmp.type === 'other');
    assert.equal(icmp.icmpType, 5);
    assert.equal(icmp.checksumValid, false);
  });

  it('refuses a type that has its own variant as "other", and short messages on decode', () => {
    assert.throws(
      () => encodeIpPacket({ network: V4, transport: { kind: 'icmpv4', type: 'other', icmpType: 8 } }),
      PacketEncodeError,
    );
    const short = encodeIpPacket({ network: { ...V4, protocol: 1 }, payload: fromHex('080000') });
    assertDecodeError(() => decodeIpPacket(short), 'PACKET_TRUNCATED', 'icmpv4');
    const echo = encodeIpPacket({ network: { ...V4, protocol: 1 }, payload: fromHex('0800f7ff0000') });
    assertDecodeError(() => decodeIpPacket(echo), 'PACKET_TRUNCATED', 'icmpv4');
  });
});

// A router advertisement laid out by hand from RFC 4861 section 4.2 (fe80::1 → ff02::1, hop limit
// 255, cur hop limit 64, M set, router lifetime 1800) with source link-layer address, MTU 1450 and
// prefix 2001:db8:1::/64 (L and A, valid 86400, preferred 14400) options; checksum computed
// independently (0x2b8a).
const RA =
  '6000000000403aff fe800000000000000000000000000001 ff020000000000000000000000000001' +
  '86002b8a 40 80 0708 00000000 00000000' +
  '0101020000000001' +
  '0501000000 0005aa'.replace(' ', '') +
  '030440c0 00015180 00003840 00000000 20010db8000100000000000000000000';

describe('ICMPv6 and neighbor discovery (RFC 4443, RFC 4861)', () => {
  it('decodes a hand-made router advertisement with its options', () => {
    const packet = decodeIpPacket(fromHex(RA));
    const expected: Icmpv6 = {
      kind: 'icmpv6',
      type: 'router-advertisement',
      code: 0,
      curHopLimit: 64,
      managed: true,
      otherConfig: false,
      flagBits: 0,
      routerLifetime: 1800,
      reachableTime: 0,
      retransTimer: 0,
      options: [
        { type: 'source-link-layer-address', address: '02:00:00:00:00:01' },
        { type: 'mtu', mtu: 1450 },
        {
          type: 'prefix-information',
          prefixLength: 64,
          onLink: true,
          autonomous: true,
          validLifetime: 86400,
          preferredLifetime: 14400,
          prefix: '2001:db8:1::',
        },
      ],
      checksum: 0x2b8a,
      checksumValid: true,
    };
    assert.deepEqual(packet.transport, expected);
    assert.equal(toHex(encodeIpPacket(packet)), RA.replace(/ /g, ''));
  });

  it('computes the checksum over the IPv6 pseudo-header: changing an address invalidates it', () => {
    const bytes = fromHex(RA);
    bytes[23] = 2; // source fe80::2
    const icmp = decodeIpPacket(bytes).transport;
    assert.equal(icmp?.kind === 'icmpv6' && icmp.checksumValid, false);
  });

  it('encodes NS/NA with their flags and link-layer options', () => {
    const frame = encodeFrame({
      ethernet: { destination: '33:33:ff:00:00:02', source: '02:00:00:00:00:01' },
      network: { kind: 'ipv6', source: 'fe80::1', destination: 'ff02::1:ff00:2', hopLimit: 255 },
      transport: {
        kind: 'icmpv6',
        type: 'neighbor-solicitation',
        target: '2001:db8::2',
        options: [{ type: 'source-link-layer-address', address: '02:00:00:00:00:01' }],
      },
    });
    const ns = decodeFrame(frame).transport;
    assert.ok(ns?.kind === 'icmpv6' && ns.type === 'neighbor-solicitation');
    assert.equal(ns.target, '2001:db8::2');
    assert.equal(ns.checksumValid, true);
    const na = encodeIpPacket({
      network: { kind: 'ipv6', source: '2001:db8::2', destination: 'fe80::1', hopLimit: 255 },
      transport: {
        kind: 'icmpv6',
        type: 'neighbor-advertisement',
        router: true,
        solicited: true,
        override: false,
        target: '2001:db8::2',
      },
    });
    assert.equal(toHex(na.subarray(44, 48)), 'c0000000');
  });

  it('refuses malformed ND options', () => {
    const bytes = fromHex(RA);
    const zeroLength = bytes.slice();
    zeroLength[57] = 0; // first option's length
    assertDecodeError(() => decodeIpPacket(zeroLength), 'PACKET_BAD_OPTION', 'icmpv6');
    const overrun = bytes.slice();
    overrun[57] = 9;
    assertDecodeError(() => decodeIpPacket(overrun), 'PACKET_BAD_OPTION', 'icmpv6');
    const badMtu = bytes.slice();
    badMtu[65] = 2; // MTU option claiming 16 bytes
    assertDecodeError(() => decodeIpPacket(badMtu), 'PACKET_BAD_OPTION', 'icmpv6');
    assert.throws(
      () =>
        encodeIpPacket({
          network: { kind: 'ipv6', source: '::', destination: 'ff02::2' },
          transport: {
            kind: 'icmpv6',
            type: 'router-solicitation',
            options: [{ type: 'other', optionType: 9, data: new Uint8Array(5) }],
          },
        }),
      PacketEncodeError,
    );
  });
});
