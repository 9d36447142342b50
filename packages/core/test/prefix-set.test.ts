// Prefix sets against what netaddr does for Neutron (cidr_merge, IPSet difference, and the
// SubnetAllocator's smallest-block-first choice), on examples worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrefix, parsePrefix, type Prefix } from '../src/index.js';
import { compact, difference, firstFit, intersects, isSubset, prefixesOf, setOf } from '../src/prefix-set.js';

const p = (text: string): Prefix => {
  const prefix = parsePrefix(text);
  assert.ok(prefix, text);
  return prefix;
};
const set = (...texts: string[]): ReturnType<typeof setOf> => setOf(texts.map(p));
const texts = (prefixes: readonly Prefix[]): string[] => prefixes.map(formatPrefix);

describe('prefix sets', () => {
  it('compacts like cidr_merge: merges overlaps and adjacent halves, keeps address order', () => {
    assert.deepEqual(texts(compact([p('10.0.1.0/24'), p('10.0.0.0/24'), p('10.0.0.0/25')])), ['10.0.0.0/23']);
    assert.deepEqual(texts(compact([p('192.168.0.0/24'), p('192.168.1.0/24'), p('172.16.0.0/21')])), [
      '172.16.0.0/21',
      '192.168.0.0/23',
    ]);
    // Adjacent but not a buddy pair: stays two prefixes.
    assert.deepEqual(texts(compact([p('10.0.1.0/24'), p('10.0.2.0/24')])), ['10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(texts(compact([p('2001:db8::/64'), p('2001:db8:0:1::/64')])), ['2001:db8::/63']);
    assert.deepEqual(texts(compact([p('0.0.0.0/1'), p('128.0.0.0/1')])), ['0.0.0.0/0']);
  });

  it('subtracts into the fewest aligned prefixes', () => {
    const rest = difference(set('10.0.0.0/24'), set('10.0.0.64/26'));
    assert.deepEqual(texts(prefixesOf(rest)), ['10.0.0.0/26', '10.0.0.128/25']);
    assert.deepEqual(texts(prefixesOf(difference(set('10.0.0.0/24'), set('10.0.0.1/32')))), [
      '10.0.0.0/32',
      '10.0.0.2/31',
      '10.0.0.4/30',
      '10.0.0.8/29',
      '10.0.0.16/28',
      '10.0.0.32/27',
      '10.0.0.64/26',
      '10.0.0.128/25',
    ]);
    assert.deepEqual(difference(set('10.0.0.0/24'), set('10.0.0.0/16')), []);
    assert.ok(isSubset(set('10.0.0.0/26', '10.0.0.128/25'), rest));
    assert.ok(!intersects(set('10.0.0.64/26'), rest));
    assert.ok(!isSubset(set('10.0.0.0/25'), rest));
  });

  it('never mixes IPv4 and IPv6 addresses with the same number', () => {
    const v4 = set('0.0.0.0/8');
    const v6 = set('::/104');
    assert.ok(!intersects(v4, v6));
    assert.deepEqual(difference(v4, v6), v4);
    assert.equal(set('0.0.0.0/8', '::/104').length, 2);
  });

  it('chooses the smallest free block first, by address among equals (Neutron)', () => {
    // Free: 10.0.0.0/25 and 10.0.0.192/26 — a /26 comes from the /26 hole, not the /25.
    const free = difference(set('10.0.0.0/24'), set('10.0.0.128/26'));
    assert.equal(formatPrefix(firstFit(free, 26, 4) as Prefix), '10.0.0.192/26');
    assert.equal(formatPrefix(firstFit(free, 25, 4) as Prefix), '10.0.0.0/25');
    assert.equal(firstFit(free, 24, 4), undefined);
    assert.equal(firstFit(free, 26, 6), undefined);
    assert.equal(formatPrefix(firstFit(set('10.0.0.0/24', '10.0.2.0/24'), 24, 4) as Prefix), '10.0.0.0/24');
  });
});
