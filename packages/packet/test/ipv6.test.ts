import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeIpPacket, encodeIpPacket, IpProtocol, PacketEncodeError, type Ipv6 } from '../src/index.js';
import { assertDecodeError, fromHex, toHex } from './helpers.js';

// Laid out by hand from RFC 8200 and RFC 6275: fixed header (2001:db8::1 → 2001:db8::2), then
// hop-by-hop (PadN), destination options (PadN), a type 2 routing header (one segment left,
// home address 2001:db8::99), an atomic fragment header (id 0xabcd), and UDP 1234 → 5678 whose
// checksum (0xedfa, computed independently) uses the routing header's final destination.
const CHAINED =
  '6000000000 3c 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002' +
  '3c00010400000000' +
  '2b00010400000000' +
  '2c020201 00000000 20010db8000000000000000000000099' +
  '110000000000abcd' +
  '04d2162e000cedfa abcdef01';

describe('IPv6 (RFC 8200)', () => {
  it('walks hop-by-hop, destination options, routing and fragment headers to UDP', () => {
    const packet = decodeIpPacket(fromHex(CHAINED));
    const expected: Ipv6 = {
      kind: 'ipv6',
      dscp: 0,
      ecn: 0,
      flowLabel: 0,
      hopLimit: 64,
      source: '2001:db8::1',
      destination: '2001:db8::2',
      extensionHeaders: [
        { type: 'hop-by-hop', options: fromHex('010400000000') },
        { type: 'destination-options', options: fromHex('010400000000') },
        {
          type: 'routing',
          routingType: 2,
          segmentsLeft: 1,
          data: fromHex('0000000020010db8000000000000000000000099'),
        },
        { type: 'fragment', fragmentOffset: 0, moreFragments: false, identification: 0xabcd },
      ],
      protocol: IpProtocol.UDP,
      payloadLength: 60,
    };
    assert.deepEqual(packet.network, expected);
    assert.deepEqual(packet.transport, {
      kind: 'udp',
      sourcePort: 1234,
      destinationPort: 5678,
      length: 12,
      checksum: 0xedfa,
      checksumValid: true,
      checksumOmitted: false,
    });
    assert.equal(toHex(packet.payload), 'abcdef01');
    assert.equal(toHex(encodeIpPacket(packet)), CHAINED.replace(/ /g, ''));
  });

  it('stops at a real fragment: the upper layer stays undecoded', () => {
    const bytes = encodeIpPacket({
      network: {
        kind: 'ipv6',
        source: '2001:db8::1',
        destination: '2001:db8::2',
        protocol: IpProtocol.UDP,
        extensionHeaders: [
          { type: 'fragment', fragmentOffset: 1448, moreFragments: true, identification: 7 },
        ],
      },
      payload: fromHex('0102030405060708'),
    });
    const packet = decodeIpPacket(bytes);
    assert.equal(packet.transport, undefined);
    assert.equal(packet.network.protocol, IpProtocol.UDP);
    assert.equal(toHex(packet.payload), '0102030405060708');
    assert.equal(toHex(bytes.subarray(40, 48)), '110005a900000007');
  });

  it('marks a zero UDP checksum invalid over IPv6', () => {
    const bytes = fromHex(CHAINED.replace('edfa', '0000'));
    const packet = decodeIpPacket(bytes);
    assert.equal(packet.transport?.kind === 'udp' && packet.transport.checksumValid, false);
  });

  it('reports malformed packets with typed errors', () => {
    const good = fromHex(CHAINED);
    const patched = (offset: number, value: number): Uint8Array => {
      const copy = good.slice();
      copy[offset] = value;
      return copy;
    };
    assertDecodeError(() => decodeIpPacket(good.subarray(0, 39)), 'PACKET_TRUNCATED', 'ipv6');
    assertDecodeError(() => decodeIpPacket(good.subarray(0, 99)), 'PACKET_TRUNCATED', 'ipv6');
    // Hop-by-hop claiming 8 × 8 bytes: runs past the payload length.
    assertDecodeError(() => decodeIpPacket(patched(41, 8)), 'PACKET_BAD_LENGTH', 'ipv6');
    // Payload length 0 with a hop-by-hop header: a jumbogram.
    assertDecodeError(() => decodeIpPacket(patched(5, 0)), 'PACKET_UNSUPPORTED', 'ipv6');
    // Version nibble in a frame's IPv6 EtherType is checked by the IPv6 decoder.
    assertDecodeError(() => decodeIpPacket(patched(0, 0x70)), 'PACKET_BAD_FIELD');
  });

  it('refuses extension headers of impossible sizes on encode', () => {
    const network = {
      kind: 'ipv6',
      source: '::1',
      destination: '::1',
      protocol: 59,
      extensionHeaders: [{ type: 'hop-by-hop', options: new Uint8Array(5) }],
    } as const;
    assert.throws(() => encodeIpPacket({ network }), PacketEncodeError);
    assert.throws(
      () => encodeIpPacket({ network: { ...network, extensionHeaders: [] }, payload: new Uint8Array(65536) }),
      (e: unknown) => e instanceof PacketEncodeError && e.code === 'PACKET_TOO_LARGE',
    );
  });
});
