import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { OvsdbError } from '../src/errors.js';
import { JsonSplitter } from '../src/protocol/json-splitter.js';

const encoder = new TextEncoder();

function splitAll(bytes: Uint8Array, cuts: readonly number[], max = 1 << 20): string[] {
  const splitter = new JsonSplitter({ maxMessageBytes: max });
  const out: string[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return out;
}

// Messages chosen to trip a naive splitter: braces and brackets inside strings, escaped quotes
// and backslashes, a string ending in an escaped backslash, multi-byte UTF-8, nesting.
const TRICKY = [
  { id: 1, method: 'echo', params: ['{', '}', '[', ']'] },
  { s: 'quote " inside', t: 'back\\\\slash\\\\', u: '\\\\"' },
  { nested: [[[{ a: [] }]], {}], empty: '' },
  { unicode: 'héllo → 世界 🎉', esc: '\u0000\u001f\\u' },
  [1, 2, { x: 'y}' }],
];

describe('JsonSplitter', () => {
  it('splits concatenated messages at every possible byte boundary', () => {
    const texts = TRICKY.map((m) => JSON.stringify(m));
    const bytes = encoder.encode(texts.join(' \n'));
    for (let cut = 0; cut <= bytes.length; cut++) {
      const out = splitAll(bytes, [cut]);
      assert.deepEqual(out, texts, `cut at ${cut}`);
    }
  });

  it('survives one byte at a time', () => {
    const texts = TRICKY.map((m) => JSON.stringify(m));
    const bytes = encoder.encode(texts.join(''));
    const cuts = Array.from({ length: bytes.length }, (_, i) => i);
    assert.deepEqual(splitAll(bytes, cuts), texts);
  });

  it('splits arbitrary JSON values cut at arbitrary points (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.object(), fc.array(fc.jsonValue())), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (values, rawCuts) => {
          const texts = values.map((v) => JSON.stringify(v));
          const bytes = encoder.encode(texts.join(''));
          const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          assert.deepEqual(splitAll(bytes, cuts), texts);
        },
      ),
    );
  });

  it('rejects a message larger than the cap, even before it completes', () => {
    const splitter = new JsonSplitter({ maxMessageBytes: 64 });
    const big = encoder.encode(`{"a":"${'x'.repeat(100)}`);
    assert.throws(
      () => splitter.push(big),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_MESSAGE_TOO_LARGE',
    );
    // Once failed, it stays failed: the stream position is lost.
    assert.throws(() => splitter.push(encoder.encode('{}')), OvsdbError);
  });

  it('accepts a message exactly at the cap', () => {
    const text = `{"a":"${'x'.repeat(10)}"}`;
    const splitter = new JsonSplitter({ maxMessageBytes: encoder.encode(text).length });
    assert.deepEqual(splitter.push(encoder.encode(text)), [text]);
  });

  it('rejects a top-level scalar or garbage', () => {
    for (const bad of ['42', '"x"', 'null', 'x{}']) {
      const splitter = new JsonSplitter({ maxMessageBytes: 1024 });
      assert.throws(
        () => splitter.push(encoder.encode(bad)),
        (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
        bad,
      );
    }
  });

  it('rejects mismatched brackets at once instead of waiting for more data', () => {
    for (const bad of ['{"a": [}', '[1, 2}', '{]']) {
      const splitter = new JsonSplitter({ maxMessageBytes: 1024 });
      assert.throws(
        () => splitter.push(encoder.encode(bad)),
        (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
        bad,
      );
    }
  });

  it('rejects invalid UTF-8 inside a message', () => {
    const splitter = new JsonSplitter({ maxMessageBytes: 1024 });
    const bytes = Uint8Array.from([...encoder.encode('{"a":"'), 0xff, 0xfe, ...encoder.encode('"}')]);
    assert.throws(
      () => splitter.push(bytes),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_PROTOCOL',
    );
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const text = JSON.stringify({ s: '€' });
    const bytes = encoder.encode(text);
    const euro = bytes.indexOf(0xe2);
    assert.deepEqual(splitAll(bytes, [euro + 1, euro + 2]), [text]);
  });

  it('reports the bytes held for an incomplete message', () => {
    const splitter = new JsonSplitter({ maxMessageBytes: 1024 });
    assert.deepEqual(splitter.push(encoder.encode('{"a": [1, ')), []);
    assert.equal(splitter.bufferedBytes, 10);
    assert.deepEqual(splitter.push(encoder.encode('2]}')), ['{"a": [1, 2]}']);
    assert.equal(splitter.bufferedBytes, 0);
  });
});
