import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describePriority,
  isControllerError,
  isPriority,
  priority,
  PRIORITY_BANDS,
  type PriorityBand,
} from '../src/index.js';

describe('priority bands', () => {
  it('orders bands and offsets so that every band beats the one below it', () => {
    assert.equal(priority('miss').value, 0);
    assert.equal(priority('low').value, 1000);
    assert.equal(priority('normal', 24).value, 2024);
    assert.equal(priority('high', 999).value, 3999);
    assert.equal(priority('override').value, 4000);
    const bands = Object.keys(PRIORITY_BANDS) as PriorityBand[];
    for (let i = 1; i < bands.length; i++) {
      const below = bands[i - 1] as PriorityBand;
      const above = bands[i] as PriorityBand;
      assert.ok(
        priority(above).value > priority(below, below === 'miss' ? 0 : 999).value,
        `${above} > ${below}`,
      );
    }
  });

  it('refuses offsets outside the band and unknown bands', () => {
    const refused = (f: () => unknown): void =>
      assert.throws(f, (e) => isControllerError(e, 'WEIR_PIPELINE_PRIORITY'));
    refused(() => priority('normal', 1000));
    refused(() => priority('normal', -1));
    refused(() => priority('normal', 1.5));
    refused(() => priority('miss', 1));
    refused(() => priority('urgent' as PriorityBand));
  });

  it('tells a made priority from a number or a look-alike object', () => {
    assert.equal(isPriority(priority('low')), true);
    assert.equal(isPriority(1000), false);
    assert.equal(isPriority({ band: 'low', offset: 0, value: 1000 }), false);
  });

  it('describes installed priorities by band', () => {
    assert.equal(describePriority(0), 'miss');
    assert.equal(describePriority(2000), 'normal');
    assert.equal(describePriority(2024), 'normal+24');
    assert.equal(describePriority(4500), 'override+500');
    assert.equal(describePriority(32768), '32768');
  });
});
