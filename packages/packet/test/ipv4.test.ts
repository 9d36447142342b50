import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeIpPacket,
  encodeIpPacket,
  IpProtocol,
  isIpv4Fragment,
  PacketEncodeError,
  type Ipv4,
} from '../src/index.js';
import { assertDecodeError, fromHex, toHex } from './helpers.js';

// The widely reproduced example header (192.168.0.1 → 192.168.0.199, UDP, DF, checksum b861)
// followed by a UDP datagram with no checksum filling the 115 bytes it announces.
const HEADER = '4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7';
const UDP = `0035 0035 005f 0000 ${'00'.repeat(87)}`;

describe('IPv4 (RFC 791)', () => {
  it('decodes a known header and verifies its checksum', () => {
    const packet = decodeIpPacket(fromHex(HEADER + UDP));
    const expected: Ipv4 = {
      kind: 'ipv4',
      dscp: 0,
      ecn: 0,
      identification: 0,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: IpProtocol.UDP,
      source: '192.168.0.1',
      destination: '192.168.0.199',
      options: new Uint8Array(0),
      headerLength: 20,
      totalLength: 115,
      checksum: 0xb861,
      checksumValid: true,
    };
    assert.deepEqual(packet.network, expected);
    // UDP over IPv4 with checksum 0 means "no checksum": valid, and kept that way on re-encode.
    assert.ok(packet.transport?.kind === 'udp');
    assert.equal(packet.transport.checksumValid, true);
    assert.equal(packet.transport.checksumOmitted, true);
    assert.equal(toHex(encodeIpPacket(packet)), (HEADER + UDP).replace(/ /g, ''));
  });

  it('flags a wrong header checksum without refusing the packet', () => {
    const packet = decodeIpPacket(fromHex(HEADER.replace('b861', 'b862') + UDP));
    assert.equal(packet.network.kind === 'ipv4' && packet.network.checksumValid, false);
    assert.equal(packet.network.kind === 'ipv4' && packet.network.checksum, 0xb862);
    // Re-encoding computes a correct checksum.
    assert.equal(toHex(encodeIpPacket(packet)).slice(20, 24), 'b861');
  });

  it('keeps options and reads DSCP, ECN and fragment fields', () => {
    // IHL 6: one option word (router alert 94 04 0000); tos 0xb9 = DSCP 46 (EF), ECN 1;
    // flags/offset 0x20b9 = MF, offset 185 × 8 = 1480.
    const bytes = encodeIpPacket({
      network: {
        kind: 'ipv4',
        source: '198.51.100.1',
        destination: '203.0.113.9',
        protocol: 253,
        dscp: 46,
        ecn: 1,
        identification: 0x1234,
        moreFragments: true,
        fragmentOffset: 1480,
        ttl: 1,
        options: fromHex('94040000'),
      },
      payload: fromHex('deadbeef'),
    });
    assert.equal(toHex(bytes.subarray(0, 10)), '46b9001c123420b901fd');
    const packet = decodeIpPacket(bytes);
    assert.ok(packet.network.kind === 'ipv4');
    assert.equal(packet.network.headerLength, 24);
    assert.equal(toHex(packet.network.options), '94040000');
    assert.equal(packet.network.fragmentOffset, 1480);
    assert.ok(isIpv4Fragment(packet.network));
    assert.equal(packet.network.checksumValid, true);
    // A fragment's upper layer is not decoded: its data is the payload.
    assert.equal(packet.transport, undefined);
    assert.equal(toHex(packet.payload), 'deadbeef');
  });

  it('reports malformed headers with typed errors', () => {
    const good = fromHex(HEADER + UDP);
    const withByte = (offset: number, value: number): Uint8Array => {
      const copy = good.slice();
      copy[offset] = value;
      return copy;
    };
    assertDecodeError(() => decodeIpPacket(withByte(0, 0x55)), 'PACKET_BAD_FIELD');
    assertDecodeError(() => decodeIpPacket(withByte(0, 0x44)), 'PACKET_BAD_FIELD', 'ipv4');
    assertDecodeError(() => decodeIpPacket(withByte(0, 0x4f).subarray(0, 40)), 'PACKET_TRUNCATED', 'ipv4');
    assertDecodeError(() => decodeIpPacket(withByte(3, 0x10)), 'PACKET_BAD_LENGTH', 'ipv4');
    assertDecodeError(() => decodeIpPacket(good.subarray(0, 114)), 'PACKET_TRUNCATED', 'ipv4');
    assertDecodeError(() => decodeIpPacket(good.subarray(0, 19)), 'PACKET_TRUNCATED', 'ipv4');
    assertDecodeError(() => decodeIpPacket(new Uint8Array(0)), 'PACKET_TRUNCATED');
  });

  it('treats bytes beyond the total length as a trailer', () => {
    const packet = decodeIpPacket(fromHex(HEADER + UDP + '0000'));
    assert.equal(toHex(packet.trailer), '0000');
  });

  it('refuses values that do not fit on encode', () => {
    const base = { kind: 'ipv4', source: '192.0.2.1', destination: '192.0.2.2', protocol: 253 } as const;
    for (const bad of [
      { ttl: 256 },
      { dscp: 64 },
      { fragmentOffset: 12 },
      { options: new Uint8Array(3) },
      { options: new Uint8Array(44) },
    ]) {
      assert.throws(
        () => encodeIpPacket({ network: { ...base, ...bad } }),
        PacketEncodeError,
        JSON.stringify(bad),
      );
    }
    assert.throws(
      () => encodeIpPacket({ network: base, payload: new Uint8Array(65516) }),
      (e: unknown) => e instanceof PacketEncodeError && e.code === 'PACKET_TOO_LARGE',
    );
    const { protocol: _protocol, ...withoutProtocol } = base;
    assert.throws(() => encodeIpPacket({ network: withoutProtocol }), PacketEncodeError);
  });
});
