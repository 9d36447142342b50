import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { internetChecksum } from '../src/index.js';

describe('internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 section 3', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0 → folded ddf2 → complement 220d.
    assert.equal(internetChecksum(Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])), 0x220d);
  });

  it('pads an odd final byte with zero', () => {
    assert.equal(internetChecksum(Uint8Array.from([0x01])), 0xfeff);
    assert.equal(internetChecksum(Uint8Array.from([0x01, 0x00])), 0xfeff);
  });

  it('sums to zero once the checksum is stored in the data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 2, maxLength: 2000 }), fc.nat(), (data, at) => {
        const even = data.length & ~1;
        const field = (at % (even / 2)) * 2;
        data[field] = 0;
        data[field + 1] = 0;
        const sum = internetChecksum(data);
        data[field] = sum >> 8;
        data[field + 1] = sum & 0xff;
        assert.equal(internetChecksum(data), 0);
      }),
    );
  });
});
