// Hostile input. Decoding, framing and text parsing must either succeed or throw an OpenFlowError
// with a documented code — never another exception (a RangeError, TypeError…), never an
// OpenFlowError that decodeMessage's safety net made out of one ("malformed message: …"), never a
// hang (each test has a timeout). Whatever decodes must re-encode or be refused with an
// OpenFlowError, and what re-encodes must be a fixed point.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  MessageFramer,
  NX_VENDOR_ID,
  ONF_VENDOR_ID,
  decodeMessage,
  encodeMessage,
  formatFlowStats,
  formatGroup,
  parseFlow,
  parseGroup,
  type OpenFlowErrorCode,
  type OpenFlowMessage,
} from '../src/index.js';
import { MESSAGE_TYPES, arbFlowMod, arbGroupDesc, arbMessage, messageArbitraries } from './arbitraries.js';
import { DECODE_CODES, flowStatsOf, onlyOpenFlowError } from './helpers.js';

const SEED = 0xf022;
const TIMEOUT = { timeout: 60_000 };
const ENCODE_CODES: readonly OpenFlowErrorCode[] = ['OF_INVALID_ARGUMENT', 'OF_UNSUPPORTED'];
const PARSE_CODES: readonly OpenFlowErrorCode[] = ['OF_PARSE', 'OF_INVALID_ARGUMENT'];

/** Small deterministic PRNG (xorshift32) for the exhaustive mutation loops. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const stats = { decoded: 0, refusedReencode: 0, reencoded: 0 };

/**
 * Decodes hostile bytes. Success must yield a message that re-encodes (or is refused with an
 * OpenFlowError) and whose re-encoding is a fixed point.
 */
function hostile(bytes: Buffer, label: () => string): void {
  let message: OpenFlowMessage | undefined;
  let xid = 0;
  onlyOpenFlowError(
    () => {
      const env = decodeMessage(bytes);
      message = env.message;
      xid = env.xid;
    },
    DECODE_CODES,
    label,
  );
  if (message === undefined) return;
  stats.decoded++;
  const decoded = message;
  let again: Buffer | undefined;
  const refused = onlyOpenFlowError(
    () => (again = encodeMessage(decoded, xid)),
    ENCODE_CODES,
    () => `${label()} (re-encoding what decoded)`,
  );
  if (refused || again === undefined) {
    stats.refusedReencode++;
    return;
  }
  stats.reencoded++;
  const first = again;
  const env2 = decodeMessage(first);
  let second: Buffer | undefined;
  let problem: string | undefined;
  try {
    second = encodeMessage(env2.message, xid);
  } catch (error) {
    problem = `re-encoding its own output failed: ${(error as Error).message}`;
  }
  if (second && !second.equals(first))
    problem = 'encode(decode(encode(decode(x)))) differs from encode(decode(x))';
  if (problem === undefined) return;
  const known = KNOWN_NON_FIXED_POINTS.find((k) => k.pattern.test(problem));
  assert.ok(known, `${label()}: ${problem}`);
  known.hits.push(`${label()}: ${problem}`);
}

/**
 * Bugs that make decode → encode not a fixed point: counted here and reported by the todo tests
 * at the end, so the fuzz stays green for them and fails for anything new.
 */
const KNOWN_NON_FIXED_POINTS: { pattern: RegExp; hits: string[] }[] = [
  // validateMatch checks vlan_pcp's prerequisite on vlan_vid's unmasked value, so it accepts
  // vlan_vid=0x1000/0x0000 + vlan_pcp, writes vlan_vid=0/0, and then refuses its own output.
  { pattern: /vlan_pcp requires vlan_vid/, hits: [] },
];

function hex(b: Buffer): string {
  return b.toString('hex');
}

/** A message with its header length set to the buffer's length. */
function withLength(b: Buffer): Buffer {
  const out = Buffer.from(b);
  if (out.length >= 4) out.writeUInt16BE(Math.min(out.length, 0xffff), 2);
  return out;
}

describe('decodeMessage on random bytes', () => {
  it('20,000 random byte strings', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) =>
        hostile(Buffer.from(b), () => hex(Buffer.from(b))),
      ),
      { numRuns: 20_000, seed: SEED },
    );
  });

  it('20,000 random bodies behind a well-formed OpenFlow 1.3 header', TIMEOUT, () => {
    const experimenter = fc.tuple(
      fc.constantFrom(NX_VENDOR_ID, ONF_VENDOR_ID),
      fc.constantFrom(16, 20, 28, 30, 2300, 2301, 7),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 35 }),
        fc.option(experimenter, { nil: undefined, freq: 3 }),
        fc.uint8Array({ maxLength: 260 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (type, exp, body, xid) => {
          const head = Buffer.alloc(exp ? 16 : 8);
          head[0] = 4;
          head[1] = exp ? 4 : type;
          head.writeUInt32BE(xid, 4);
          if (exp) {
            head.writeUInt32BE(exp[0], 8);
            head.writeUInt32BE(exp[1], 12);
          }
          const b = withLength(Buffer.concat([head, body]));
          hostile(b, () => hex(b));
        },
      ),
      { numRuns: 20_000, seed: SEED },
    );
  });
});

describe('decodeMessage on damaged valid messages of every type', () => {
  // A few valid messages of each type, from both generator strengths.
  const valid: Buffer[] = [];
  const codecArbs = messageArbitraries({ ovs: false });
  const ovsArbs = messageArbitraries();
  for (const type of MESSAGE_TYPES) {
    const a = codecArbs[type] as fc.Arbitrary<OpenFlowMessage>;
    const b = ovsArbs[type] as fc.Arbitrary<OpenFlowMessage>;
    for (const m of [
      ...fc.sample(a, { numRuns: 4, seed: SEED }),
      ...fc.sample(b, { numRuns: 3, seed: SEED }),
    ])
      valid.push(encodeMessage(m, 0x01020304));
  }

  it(
    `every truncation of ${valid.length} messages, with and without a matching header length`,
    TIMEOUT,
    () => {
      for (const bytes of valid) {
        for (let k = 0; k < bytes.length; k++) {
          const cut = bytes.subarray(0, k);
          hostile(Buffer.from(cut), () => `${hex(bytes)} cut at ${k}`);
          hostile(withLength(cut), () => `${hex(bytes)} cut at ${k}, length patched`);
        }
      }
    },
  );

  it('three single-byte corruptions at every offset', TIMEOUT, () => {
    const rand = prng(SEED);
    for (const bytes of valid) {
      for (let i = 0; i < bytes.length; i++) {
        for (const v of [0x00, 0xff, (bytes[i] as number) ^ (1 + rand(255))]) {
          const b = Buffer.from(bytes);
          b[i] = v;
          hostile(b, () => `${hex(bytes)} with byte ${i} = ${v}`);
        }
      }
    }
  });

  it('length fields: every 16-bit word set to boundary values', TIMEOUT, () => {
    for (const bytes of valid) {
      for (let i = 2; i + 1 < bytes.length; i += 2) {
        if (i > 2 && i < 8) continue; // the xid
        const orig = bytes.readUInt16BE(i);
        const values = [
          0,
          1,
          3,
          4,
          7,
          8,
          9,
          15,
          16,
          24,
          bytes.length,
          bytes.length - i,
          0xffff,
          orig - 8,
          orig + 8,
          orig + 1,
        ];
        for (const v of values) {
          const b = Buffer.from(bytes);
          b.writeUInt16BE(v & 0xffff, i);
          hostile(b, () => `${hex(bytes)} with u16 at ${i} = ${v & 0xffff}`);
        }
      }
    }
  });

  it('random multi-byte damage to generated messages', TIMEOUT, () => {
    fc.assert(
      fc.property(
        arbMessage({ ovs: false }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (m, edits) => {
          const b = encodeMessage(m, 9);
          for (const [at, v] of edits) if (b.length > 8) b[8 + (at % (b.length - 8))] = v;
          hostile(b, () => hex(b));
        },
      ),
      { numRuns: 4000, seed: SEED },
    );
  });

  it('decode → encode is a fixed point for every damaged message that decodes', () => {
    for (const k of KNOWN_NON_FIXED_POINTS)
      assert.deepStrictEqual(k.hits.slice(0, 2), [], `${k.hits.length} hits`);
  });

  it('exercised the decoder (sanity check of the fuzz itself)', () => {
    // Many damaged inputs must still decode, or the loops above would test nothing but headers.
    assert.ok(stats.decoded > 10_000, JSON.stringify(stats));
    assert.ok(stats.reencoded > 5_000, JSON.stringify(stats));
  });
});

describe('MessageFramer', () => {
  it('random chunks of random bytes: whole messages out, or OF_PROTOCOL', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const framer = new MessageFramer();
        let pushed = 0;
        let framed = 0;
        for (const c of chunks) {
          pushed += c.length;
          let out: Buffer[] = [];
          const error = onlyOpenFlowError(
            () => (out = framer.push(Buffer.from(c))),
            ['OF_PROTOCOL'],
            () => chunks.map((x) => Buffer.from(x).toString('hex')).join('|'),
          );
          if (error) return;
          for (const m of out) {
            assert.ok(m.length >= 8);
            assert.equal(m.readUInt16BE(2), m.length);
            framed += m.length;
          }
          assert.ok(framed <= pushed);
        }
      }),
      { numRuns: 5000, seed: SEED },
    );
  });

  it('a stream of valid messages cut anywhere yields exactly those messages', TIMEOUT, () => {
    fc.assert(
      fc.property(
        fc.array(arbMessage({ ovs: false }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (messages, cuts) => {
          const encoded = messages.map((m, i) => encodeMessage(m, i));
          const stream = Buffer.concat(encoded);
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const framer = new MessageFramer();
          const out: Buffer[] = [];
          let at = 0;
          for (const p of [...points, stream.length]) {
            out.push(...framer.push(stream.subarray(at, p)));
            at = p;
          }
          assert.deepStrictEqual(
            out.map((b) => b.toString('hex')),
            encoded.map((b) => b.toString('hex')),
          );
        },
      ),
      { numRuns: 500, seed: SEED },
    );
  });
});

// --- Text ---------------------------------------------------------------------------------------

const fixtureLines = (file: string): string[] =>
  readFileSync(new URL(`fixtures/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

const FLOW_TEXTS = [
  ...fixtureLines('flows.txt'),
  ...fc.sample(arbFlowMod(), { numRuns: 60, seed: SEED }).map((m) => formatFlowStats(flowStatsOf(m))),
];
const GROUP_TEXTS = [
  ...fixtureLines('groups.txt'),
  ...fc.sample(arbGroupDesc(), { numRuns: 40, seed: SEED }).map((g) => formatGroup(g)),
];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFX=,:()[]./-+|> \t';

/** 1–4 random edits: delete, insert, replace, duplicate a slice, truncate. */
const arbEdited = (texts: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.nat(), fc.constantFrom(...ALPHABET)), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([text, edits]) => {
      let t = text;
      for (const [kind, a, b, ch] of edits) {
        const i = t.length ? a % t.length : 0;
        const j = t.length ? b % t.length : 0;
        if (kind === 0) t = t.slice(0, i) + t.slice(i + 1);
        else if (kind === 1) t = t.slice(0, i) + ch + t.slice(i);
        else if (kind === 2) t = t.slice(0, i) + ch + t.slice(i + 1);
        else if (kind === 3)
          t = t.slice(0, Math.max(i, j)) + t.slice(Math.min(i, j), Math.max(i, j)) + t.slice(Math.max(i, j));
        else t = t.slice(0, i);
      }
      return t;
    });

const arbFlowish = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 120 });

function parses(parse: () => OpenFlowMessage | undefined, label: () => string): void {
  let m: OpenFlowMessage | undefined;
  onlyOpenFlowError(() => (m = parse()), PARSE_CODES, label);
  if (m === undefined) return;
  const parsed = m;
  // What parses must encode, or be refused with OF_INVALID_ARGUMENT.
  onlyOpenFlowError(
    () => encodeMessage(parsed, 1),
    ENCODE_CODES,
    () => `${label()} (encoding the parsed flow)`,
  );
}

describe('parseFlow and parseGroup on garbage', () => {
  it('random strings', TIMEOUT, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), arbFlowish), (text) => {
        parses(
          () => parseFlow(text),
          () => JSON.stringify(text),
        );
        parses(
          () => ({ type: 'group_mod', command: 'add', ...parseGroup(text) }),
          () => JSON.stringify(text),
        );
      }),
      { numRuns: 6000, seed: SEED },
    );
  });

  it('valid flow texts with random edits', TIMEOUT, () => {
    fc.assert(
      fc.property(arbEdited(FLOW_TEXTS), (text) =>
        parses(
          () => parseFlow(text),
          () => JSON.stringify(text),
        ),
      ),
      { numRuns: 8000, seed: SEED },
    );
  });

  it('valid group texts with random edits', TIMEOUT, () => {
    fc.assert(
      fc.property(arbEdited(GROUP_TEXTS), (text) =>
        parses(
          () => ({ type: 'group_mod', command: 'add', ...parseGroup(text) }),
          () => JSON.stringify(text),
        ),
      ),
      { numRuns: 4000, seed: SEED },
    );
  });

  it('delete commands (no actions) on edited texts', TIMEOUT, () => {
    fc.assert(
      fc.property(arbEdited(FLOW_TEXTS), (text) =>
        parses(
          () => parseFlow(text.replace(/actions=.*/, ''), 'delete_strict'),
          () => JSON.stringify(text),
        ),
      ),
      { numRuns: 2000, seed: SEED },
    );
  });
});
