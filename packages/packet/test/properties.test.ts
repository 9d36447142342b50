// Property tests: for every layer combination the generators produce, encoding then decoding
// gives back every field that was encoded, checksums verify, and re-encoding the decoded frame
// gives the same bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeFrame, decodeIpPacket, encodeFrame, encodeIpPacket, type FrameInit } from '../src/index.js';
import {
  arbArp,
  arbDhcp,
  arbEthernet,
  arbIcmpv4,
  arbIcmpv6,
  arbIpv4Header,
  arbIpv6Header,
  arbTcp,
  arbUdp,
} from './arbitraries.js';
import { assertContains, toHex } from './helpers.js';

const bytes = fc.uint8Array({ maxLength: 100 });

function roundTrip(init: FrameInit): void {
  const encoded = encodeFrame(init);
  const frame = decodeFrame(encoded);
  assertContains(frame, init);
  for (const layer of [frame.network, frame.transport]) {
    if (layer && 'checksumValid' in layer) assert.equal(layer.checksumValid, true, `${layer.kind} checksum`);
  }
  assert.equal(toHex(encodeFrame(frame)), toHex(encoded));
}

const layers: [string, fc.Arbitrary<FrameInit>][] = [
  ['Ethernet/VLAN + ARP', fc.record({ ethernet: arbEthernet, network: arbArp })],
  [
    'IPv4 + UDP',
    fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbUdp, payload: bytes }),
  ],
  [
    'IPv4 + TCP',
    fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbTcp, payload: bytes }),
  ],
  ['IPv4 + ICMPv4', fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbIcmpv4 })],
  [
    'IPv4 + UDP + DHCPv4',
    fc.record({
      ethernet: arbEthernet,
      network: arbIpv4Header,
      transport: fc.record({
        kind: fc.constant('udp' as const),
        sourcePort: fc.constantFrom(67, 68),
        destinationPort: fc.constantFrom(67, 68),
      }),
      application: arbDhcp,
    }),
  ],
  [
    'IPv6 (+ extension headers) + UDP',
    fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbUdp, payload: bytes }),
  ],
  [
    'IPv6 (+ extension headers) + TCP',
    fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbTcp, payload: bytes }),
  ],
  [
    'IPv6 (+ extension headers) + ICMPv6/ND',
    fc.record({ ethernet: arbEthernet, network: arbIpv6Header, transport: arbIcmpv6 }),
  ],
  [
    'IPv4 + unknown protocol',
    fc.record({
      ethernet: arbEthernet,
      network: arbIpv4Header.map((h) => ({ ...h, protocol: 132 })),
      payload: bytes,
    }),
  ],
  [
    'IPv6 + no next header',
    fc.record({
      ethernet: arbEthernet,
      network: arbIpv6Header.map((h) => ({ ...h, protocol: 59 })),
      payload: bytes,
    }),
  ],
  [
    'unknown EtherType + trailer-free payload',
    fc.record({ ethernet: arbEthernet.map((e) => ({ ...e, etherType: 0x88cc })), payload: bytes }),
  ],
];

describe('round trips (fast-check)', () => {
  for (const [name, arbitrary] of layers) {
    it(`decode(encode(x)) contains x and re-encodes identically: ${name}`, () => {
      fc.assert(fc.property(arbitrary, roundTrip), { numRuns: 200 });
    });
  }

  it('IP packets without a link layer round-trip too', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ network: arbIpv4Header, transport: arbTcp, payload: bytes }),
          fc.record({ network: arbIpv6Header, transport: arbIcmpv6 }),
        ),
        (packet) => {
          const encoded = encodeIpPacket(packet);
          const decoded = decodeIpPacket(encoded);
          assertContains(decoded, packet);
          assert.equal(toHex(encodeIpPacket(decoded)), toHex(encoded));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('checksums catch any single flipped bit in a checksummed region', () => {
    fc.assert(
      fc.property(
        fc.record({ ethernet: arbEthernet, network: arbIpv4Header, transport: arbUdp, payload: bytes }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (init, at, bit) => {
          const encoded = encodeFrame(init);
          const start = 14 + 4 * (init.ethernet.vlans?.length ?? 0);
          const offset = start + (at % (encoded.length - start));
          encoded[offset] = (encoded[offset] ?? 0) ^ (1 << bit);
          let frame;
          try {
            frame = decodeFrame(encoded);
          } catch {
            return; // a flipped length or version bit can make the packet undecodable: also detected
          }
          const ipValid = frame.network?.kind === 'ipv4' && frame.network.checksumValid;
          const udpValid = frame.transport?.kind === 'udp' && frame.transport.checksumValid;
          assert.ok(
            !(ipValid && udpValid) || (frame.transport?.kind === 'udp' && frame.transport.checksumOmitted),
            `flip at ${offset} went unnoticed`,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
