import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatIpv4,
  formatIpv6,
  formatMac,
  ipv4ToNumber,
  ipv6MulticastMac,
  isIpv4,
  isIpv6,
  isMac,
  normalizeIpv6,
  normalizeMac,
  numberToIpv4,
  PacketAddressError,
  parseIpv4,
  parseIpv6,
  parseMac,
  solicitedNodeMulticast,
} from '../src/index.js';

describe('MAC addresses', () => {
  it('formats lower-case colon hex and parses either separator and case', () => {
    assert.equal(formatMac(Uint8Array.from([2, 0, 0x5e, 0, 0x53, 0xab])), '02:00:5e:00:53:ab');
    assert.deepEqual(parseMac('02-00-5E-00-53-AB'), Uint8Array.from([2, 0, 0x5e, 0, 0x53, 0xab]));
    assert.equal(normalizeMac('02:00:5E:00:53:AB'), '02:00:5e:00:53:ab');
  });

  it('refuses malformed text with PACKET_INVALID_ADDRESS', () => {
    for (const bad of [
      '',
      '02:00:5e:00:53',
      '02:00:5e:00:53:ab:cd',
      '02:00:5e:00:53:ag',
      '02:00-5e:00:53:ab',
      '0200.5e00.53ab',
    ]) {
      assert.equal(isMac(bad), false, bad);
      assert.throws(
        () => parseMac(bad),
        (e: unknown) => e instanceof PacketAddressError && e.code === 'PACKET_INVALID_ADDRESS',
        bad,
      );
    }
  });

  it('round-trips every 6-byte value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes) => {
        assert.deepEqual(parseMac(formatMac(bytes)), bytes);
      }),
    );
  });
});

describe('IPv4 addresses', () => {
  it('parses strict dotted quads only', () => {
    assert.deepEqual(parseIpv4('192.0.2.1'), Uint8Array.from([192, 0, 2, 1]));
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1..2.3',
      '1.2.3.4 ',
      'a.b.c.d',
      '1.2.3.-4',
    ]) {
      assert.equal(isIpv4(bad), false, bad);
    }
    assert.equal(isIpv4('0.0.0.0'), true);
    assert.equal(isIpv4('255.255.255.255'), true);
  });

  it('converts to and from numbers', () => {
    assert.equal(ipv4ToNumber('192.0.2.1'), 0xc0000201);
    assert.equal(numberToIpv4(0xc0000201), '192.0.2.1');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        assert.equal(ipv4ToNumber(numberToIpv4(n)), n);
        assert.equal(formatIpv4(parseIpv4(numberToIpv4(n))), numberToIpv4(n));
      }),
    );
  });
});

describe('IPv6 addresses', () => {
  it('formats per RFC 5952 section 4 (its own examples)', () => {
    const cases: [string, string][] = [
      ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // 4.2.2: one zero group is not shortened
      ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // 4.2.3: the longest run
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // 4.2.3: the first of equal runs
      ['2001:DB8::AAAA', '2001:db8::aaaa'], // 4.3: lower case
      ['0:0:0:0:0:0:0:0', '::'],
      ['0:0:0:0:0:0:0:1', '::1'],
      ['fe80:0:0:0:0:0:0:0', 'fe80::'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // section 5: mapped addresses keep dotted text
      ['::ffff:c000:201', '::ffff:192.0.2.1'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
      ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ];
    for (const [input, canonical] of cases) assert.equal(normalizeIpv6(input), canonical, input);
  });

  it('refuses malformed text', () => {
    const bad = [
      '',
      ':',
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'g::1',
      '1:2:3:4:5:6:7',
      'fe80::1%eth0',
      '::1.2.3',
      '::256.0.0.1',
      '1.2.3.4::',
    ];
    for (const text of bad) assert.equal(isIpv6(text), false, text);
    assert.throws(() => parseIpv6('1::2::3'), PacketAddressError);
  });

  it("agrees with Node's WHATWG URL serializer on random addresses", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 8 }),
        (bytes, zeros) => {
          // Zero out a run of groups so compression gets exercised.
          bytes.fill(0, 0, zeros * 2);
          const text = formatIpv6(bytes);
          assert.deepEqual(parseIpv6(text), bytes);
          const mapped =
            bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
          if (!mapped) assert.equal(`[${text}]`, new URL(`http://[${text}]/`).hostname);
        },
      ),
    );
  });

  it('derives solicited-node groups and their MACs (RFC 4291 2.7.1, RFC 2464 7)', () => {
    assert.equal(solicitedNodeMulticast('2001:db8::1:800:200e:8c6c'), 'ff02::1:ff0e:8c6c');
    assert.equal(ipv6MulticastMac('ff02::1:ff0e:8c6c'), '33:33:ff:0e:8c:6c');
    assert.equal(ipv6MulticastMac('ff02::1'), '33:33:00:00:00:01');
  });
});
