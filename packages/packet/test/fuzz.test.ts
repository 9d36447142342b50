// Hostile input: random bytes, every truncation of every captured frame, and random mutations of
// valid frames must either decode or throw PacketDecodeError — never another exception, never
// hang. Node reads past a Uint8Array as undefined rather than throwing, so a view over a larger
// buffer (filled with a marker) also checks that no decoder looks beyond its bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeArp, decodeDhcp, decodeFrame, decodeIpPacket, encodeFrame, tcpOptions } from '../src/index.js';
import { arbFrame } from './arbitraries.js';
import { decodesOrThrowsTyped, loadHexFixtures } from './helpers.js';

const captured = loadHexFixtures('captured.hex');

const decoders: [string, (bytes: Uint8Array) => unknown][] = [
  ['decodeFrame', decodeFrame],
  ['decodeIpPacket', decodeIpPacket],
  ['decodeDhcp', decodeDhcp],
  ['decodeArp', decodeArp],
  ['tcpOptions', tcpOptions],
];

/** The bytes as a view in the middle of a larger buffer whose other bytes are 0xa5. */
function fenced(bytes: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(bytes.length + 64).fill(0xa5);
  buffer.set(bytes, 32);
  return buffer.subarray(32, 32 + bytes.length);
}

/** Decoding the fenced copy must give the same outcome (value or error) as decoding a tight copy. */
function sameOutcome(decode: (bytes: Uint8Array) => unknown, bytes: Uint8Array, label: string): void {
  let tight: unknown;
  let loose: unknown;
  const tightError = decodesOrThrowsTyped(() => (tight = decode(bytes.slice())), label);
  const looseError = decodesOrThrowsTyped(() => (loose = decode(fenced(bytes))), label);
  assert.equal(
    looseError?.code,
    tightError?.code,
    `${label}: a view over a larger buffer decoded differently`,
  );
  assert.equal(looseError?.offset, tightError?.offset, label);
  if (!tightError)
    assert.deepStrictEqual(loose, tight, `${label}: a view over a larger buffer decoded differently`);
}

describe('fuzzing', () => {
  it('random bytes only ever produce PacketDecodeError', () => {
    for (const [name, decode] of decoders) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => sameOutcome(decode, bytes, name)),
        { numRuns: 2000 },
      );
    }
  });

  it('random bytes behind a plausible Ethernet/IP prefix only ever produce PacketDecodeError', () => {
    const prefixes = [
      '020000000002 020000000001 0800 45',
      '020000000002 020000000001 86dd 60',
      '020000000002 020000000001 8100 0001 88a8 0002 0806 0001 0800 0604',
      '020000000002 020000000001 0800 4500 0148 0000 0000 4011 0000 00000000 ffffffff 0044 0043 0134 0000',
    ].map((p) => Uint8Array.from(Buffer.from(p.replace(/ /g, ''), 'hex')));
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 400 }), (prefix, tail) => {
        const bytes = new Uint8Array(prefix.length + tail.length);
        bytes.set(prefix);
        bytes.set(tail, prefix.length);
        sameOutcome(decodeFrame, bytes, 'prefixed');
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation of every captured frame decodes or reports a typed error', () => {
    let errors = 0;
    for (const [name, frame] of captured) {
      decodeFrame(frame); // the whole frame is fine
      for (let length = 0; length < frame.length; length++) {
        const error = decodesOrThrowsTyped(
          () => decodeFrame(frame.subarray(0, length)),
          `${name}[0, ${length})`,
        );
        if (error) {
          errors++;
          assert.ok(
            error.offset >= 0 && error.offset <= length,
            `${name}: offset ${error.offset} outside [0, ${length}]`,
          );
        }
      }
    }
    assert.ok(errors > 1000, 'truncations are noticed');
  });

  it('random mutations of valid frames only ever produce PacketDecodeError', () => {
    fc.assert(
      fc.property(
        arbFrame,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (init, edits, cut) => {
          const bytes = encodeFrame(init);
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          sameOutcome(decodeFrame, bytes, 'mutated');
          sameOutcome(decodeFrame, bytes.subarray(0, cut % (bytes.length + 1)), 'mutated and cut');
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('mutations of the captured frames only ever produce PacketDecodeError', () => {
    const frames = [...captured.values()];
    fc.assert(
      fc.property(
        fc.constantFrom(...frames),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }),
        (frame, edits) => {
          const bytes = frame.slice();
          for (const [at, value] of edits) bytes[at % bytes.length] = value;
          sameOutcome(decodeFrame, bytes, 'captured+mutated');
        },
      ),
      { numRuns: 3000 },
    );
  });
});
