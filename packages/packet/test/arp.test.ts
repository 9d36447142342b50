import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ArpOperation, decodeArp, encodeArp, type Arp } from '../src/index.js';
import { assertContains, assertDecodeError, fromHex, toHex } from './helpers.js';
import { arbArp } from './arbitraries.js';

describe('ARP (RFC 826)', () => {
  // htype 1, ptype 0x0800, hlen 6, plen 4, op 1, sha, spa 192.0.2.1, tha 0, tpa 192.0.2.2.
  const request = '0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202';

  it('decodes a request laid out by hand from the RFC', () => {
    const expected: Arp = {
      kind: 'arp',
      operation: ArpOperation.Request,
      senderMac: '02:00:00:00:00:01',
      senderIp: '192.0.2.1',
      targetMac: '00:00:00:00:00:00',
      targetIp: '192.0.2.2',
    };
    assert.deepEqual(decodeArp(fromHex(request)), expected);
    assert.equal(toHex(encodeArp(expected)), request.replace(/ /g, ''));
  });

  it('refuses other hardware/protocol types as unsupported, short packets as truncated', () => {
    assertDecodeError(
      () => decodeArp(fromHex(request.replace('0001 0800', '0006 0800'))),
      'PACKET_UNSUPPORTED',
      'arp',
    );
    assertDecodeError(
      () => decodeArp(fromHex(request.replace('06 04', '06 10'))),
      'PACKET_UNSUPPORTED',
      'arp',
    );
    assertDecodeError(() => decodeArp(fromHex(request).subarray(0, 27)), 'PACKET_TRUNCATED', 'arp');
  });

  it('round-trips any packet', () => {
    fc.assert(
      fc.property(arbArp, (arp) => {
        assertContains(decodeArp(encodeArp(arp)), arp);
      }),
    );
  });
});
