// Round-trip properties over generated valid messages of every type:
//  - decodeMessage(encodeMessage(m, xid)) returns xid and the canonical form of m (helpers.ts
//    models the canonicalisation independently of the codec);
//  - encoding is a fixed point: encode(decode(encode(m))) is byte-identical to encode(m);
//  - the order of match fields and instructions does not change the bytes;
//  - flow and group text: parse(format(decode(encode(m)))) encodes to the same bytes, over the
//    subset of fields and actions whose text is complete (TEXT_EXCLUSIONS below).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  OFPP,
  Writer,
  decodeMessage,
  encodeMessage,
  encodeMessageInto,
  flowMod,
  formatFlowStats,
  formatGroup,
  parseFlow,
  parseGroup,
  type FlowMod,
  type Match,
  type MatchEntry,
  type OpenFlowMessage,
} from '../src/index.js';
import { normalizeMatch } from '../src/match/oxm.js';
import {
  MESSAGE_TYPES,
  arbFlowMod,
  arbGroupMod,
  arbMatch,
  arbMessage,
  messageArbitraries,
  u32,
} from './arbitraries.js';
import { canonicalMatch, canonicalMessage, flowStatsOf, show } from './helpers.js';

const SEED = 0x0f13;
const HEAVY = new Set([
  'flow_mod',
  'group_mod',
  'multipart_reply',
  'multipart_request',
  'bundle_add',
  'flow_removed',
]);

// TEXT_EXCLUSIONS — what the text round trip leaves out, and why:
//  - flow_mod attributes the dump-flows line does not carry: command (always add), cookie mask,
//    buffer id, out_port, out_group;
//  - raw actions and unknown OXM fields (no text form);
//  - CONTROLLER actions with only a max_len: "CONTROLLER:N" is also the text of output:CONTROLLER
//    (ovs-ofctl prints both the same way), so they re-parse as OFPAT_OUTPUT;
//  - masked set_field: a contiguous mask re-parses as a load (as in ovs-ofctl), a full one as an
//    unmasked set_field; output_reg max_len (not printed);
//  - an empty apply_actions instruction (prints nothing);
//  - nat flags and ports without an address range and a range whose maximum equals its minimum
//    (not printed, as in ovs-ofctl); conntrack tuple fields (they need ct_state=+est…, covered by
//    the vectors);
//  - ambiguous ovs-ofctl text: ct_state with mask exactly 0xff prints like an exact match; nw_frag
//    "no"/"later" with partial masks; nw_frag=<error>;
//  - inputs that hit bugs listed in text.test.ts (tun_flags, mpls, vlan_tci, tcp_flags bits
//    0x200..0x800, IPv4-mapped IPv6 nat ranges, 16-bit in_port >= 0xff00 in learn).

function rt(m: OpenFlowMessage, xid: number): OpenFlowMessage {
  const env = decodeMessage(encodeMessage(m, xid));
  assert.equal(env.version, 4);
  assert.equal(env.xid, xid);
  return env.message;
}

describe('decode(encode(m)) is the canonical form of m, for every message type', () => {
  const arbs = messageArbitraries({ ovs: false });
  for (const type of MESSAGE_TYPES) {
    it(type, () => {
      fc.assert(
        fc.property(arbs[type] as fc.Arbitrary<OpenFlowMessage>, u32, (m, xid) => {
          assert.deepStrictEqual(rt(m, xid), canonicalMessage(m), show(m));
        }),
        { numRuns: HEAVY.has(type) ? 300 : 150, seed: SEED },
      );
    });
  }

  it('also for the Open vSwitch-valid subset', () => {
    fc.assert(
      fc.property(arbMessage(), u32, (m, xid) => {
        assert.deepStrictEqual(rt(m, xid), canonicalMessage(m), show(m));
      }),
      { numRuns: 400, seed: SEED },
    );
  });
});

describe('encoding is a fixed point', () => {
  it('encode(decode(encode(m))) is byte-identical to encode(m)', () => {
    fc.assert(
      fc.property(arbMessage({ ovs: false }), u32, (m, xid) => {
        const bytes = encodeMessage(m, xid);
        const again = encodeMessage(decodeMessage(bytes).message, xid);
        assert.equal(again.toString('hex'), bytes.toString('hex'), show(m));
      }),
      { numRuns: 1500, seed: SEED },
    );
  });

  it('the order of match fields and instructions does not change the bytes', () => {
    fc.assert(
      fc.property(arbFlowMod({ ovs: false }), (m) => {
        // Unknown OXM fields go last in the order given: only known ones are reordered here.
        const known = m.match.filter((e) => e.field !== 'unknown');
        const unknown = m.match.filter((e) => e.field === 'unknown');
        const reordered: FlowMod = {
          ...m,
          match: [...unknown, ...known.reverse()],
          instructions: [...m.instructions].reverse(),
        };
        assert.equal(encodeMessage(reordered, 1).toString('hex'), encodeMessage(m, 1).toString('hex'));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('encodeMessageInto appends exactly what encodeMessage returns', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbMessage({ ovs: false }), u32), { maxLength: 6 }), (batch) => {
        const w = new Writer(16);
        for (const [m, xid] of batch) encodeMessageInto(w, m, xid);
        const joined = Buffer.concat(batch.map(([m, xid]) => encodeMessage(m, xid)));
        assert.equal(w.toBuffer().toString('hex'), joined.toString('hex'));
      }),
      { numRuns: 150, seed: SEED },
    );
  });
});

describe('match canonicalisation', () => {
  it('the independent model agrees with normalizeMatch (up to the sign of register values)', () => {
    // normalizeMatch can return a negative reg value for an xxreg word with bit 31 set (see the
    // todo below); the wire bytes are unaffected, so compare unsigned.
    const unsigned = (m: readonly MatchEntry[]): MatchEntry[] =>
      m.map((e) =>
        e.field !== 'unknown' && typeof e.value === 'number'
          ? ({ ...e, value: e.value >>> 0 } as MatchEntry)
          : e,
      );
    fc.assert(
      fc.property(arbMatch({ ovs: false }), (match) => {
        assert.deepStrictEqual(unsigned(normalizeMatch(match)), canonicalMatch(match), show(match));
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('normalizeMatch keeps register values unsigned when splitting an xxreg', () => {
    const out = normalizeMatch([{ field: 'xxreg0', value: 0x80000000n, mask: 0x80000000n }]);
    assert.deepStrictEqual([...out], [{ field: 'reg3', value: 0x80000000, mask: 0x80000000 }]);
  });

  it('full masks are dropped, masked-off value bits cleared, xxregs split into regs', () => {
    const m = flowMod({
      match: [
        { field: 'xxreg1', value: (0xabn << 96n) | 0x1234n, mask: (0xffffffffn << 96n) | 0xff00n },
        { field: 'eth_type', value: 0x0800 },
        { field: 'ip_dst', value: '10.1.2.3', mask: '255.255.255.255' },
        { field: 'ip_src', value: '10.1.2.3', mask: '255.255.0.0' },
        { field: 'vlan_vid', value: 0x1005, mask: 0x1fff },
        { field: 'metadata', value: 0xffn, mask: 0xf0n },
      ],
    });
    const got = rt(m, 1) as FlowMod;
    assert.deepStrictEqual(got.match, [
      { field: 'eth_type', value: 0x0800 },
      { field: 'vlan_vid', value: 0x1005 },
      { field: 'ip_src', value: '10.1.0.0', mask: '255.255.0.0' },
      { field: 'ip_dst', value: '10.1.2.3' },
      { field: 'reg4', value: 0xab },
      { field: 'reg7', value: 0x1200, mask: 0xff00 },
      { field: 'metadata', value: 0xf0n, mask: 0xf0n },
    ]);
  });

  it('non-canonical address spellings encode like the canonical ones', () => {
    const spell = (m: Match): Match =>
      m.map((e) => {
        if (e.field === 'unknown' || typeof e.value !== 'string') return e;
        const v =
          e.value.includes(':') && !e.value.includes('.') && e.value.split(':').length === 6
            ? e.value.toUpperCase().replace(/\b0([0-9A-F])\b/g, '$1') // MAC: upper case, no leading zeros
            : e.value.includes(':') && !e.value.includes('.')
              ? expandIpv6(e.value).toUpperCase()
              : e.value;
        return { ...e, value: v } as typeof e;
      });
    fc.assert(
      fc.property(arbMatch(), (match) => {
        const a = encodeMessage(flowMod({ match }), 1);
        const b = encodeMessage(flowMod({ match: spell(match) }), 1);
        assert.equal(b.toString('hex'), a.toString('hex'), show(match));
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

function expandIpv6(text: string): string {
  const [head = '', tail] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const words =
    tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return words.map((w) => w.padStart(4, '0')).join(':');
}

describe('flow and group text round trips (ovs-ofctl dialect)', () => {
  it('parseFlow(formatFlowStats(flow)) encodes to the bytes of the flow', () => {
    fc.assert(
      fc.property(arbFlowMod({ text: true }), (m) => {
        const bytes = encodeMessage(m, 5);
        const decoded = decodeMessage(bytes).message as FlowMod;
        const text = formatFlowStats(flowStatsOf(decoded));
        const again = encodeMessage(parseFlow(text), 5);
        assert.equal(again.toString('hex'), bytes.toString('hex'), text);
      }),
      { numRuns: 500, seed: SEED },
    );
  });

  it('dump-flows lines with statistics parse back to the same flow', () => {
    fc.assert(
      fc.property(
        arbFlowMod({ text: true }),
        u32,
        fc.integer({ min: 0, max: 999_999_999 }),
        (m, sec, nsec) => {
          const bytes = encodeMessage(m, 5);
          const decoded = decodeMessage(bytes).message as FlowMod;
          const stats = {
            ...flowStatsOf(decoded),
            durationSec: sec,
            durationNsec: nsec,
            packetCount: 7n,
            byteCount: 700n,
          };
          const text = formatFlowStats(stats, { stats: true });
          assert.match(
            text,
            /^cookie=0x[0-9a-f]+, duration=\d+(\.\d+)?s, table=\d+, n_packets=7, n_bytes=700, /,
          );
          assert.equal(encodeMessage(parseFlow(text), 5).toString('hex'), bytes.toString('hex'), text);
        },
      ),
      { numRuns: 200, seed: SEED },
    );
  });

  it('parseGroup(formatGroup(group)) encodes to the bytes of the group', () => {
    fc.assert(
      fc.property(arbGroupMod({ text: true }), (m) => {
        const bytes = encodeMessage(m, 5);
        const decoded = decodeMessage(bytes).message;
        assert.equal(decoded.type, 'group_mod');
        if (decoded.type !== 'group_mod') return;
        const text = formatGroup(decoded);
        const again = encodeMessage({ type: 'group_mod', command: m.command, ...parseGroup(text) }, 5);
        assert.equal(again.toString('hex'), bytes.toString('hex'), text);
      }),
      { numRuns: 250, seed: SEED },
    );
  });
});

describe('round-trip bugs', () => {
  it('output max_len survives decoding for ports other than CONTROLLER', () => {
    const m = flowMod({
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 128 }] }],
    });
    const bytes = encodeMessage(m, 1);
    assert.equal(encodeMessage(decodeMessage(bytes).message, 1).toString('hex'), bytes.toString('hex'));
  });

  it('a 16-bit resubmit port that is accepted decodes to the same port', () => {
    const m = flowMod({
      instructions: [{ type: 'apply_actions', actions: [{ type: 'resubmit', port: 0xff00 }] }],
    });
    let decoded: OpenFlowMessage | undefined;
    try {
      decoded = rt(m, 1);
    } catch {
      return; // rejecting 0xff00 (not a valid port) would also be correct
    }
    assert.deepStrictEqual(decoded, canonicalMessage(m));
  });

  it('an output to CONTROLLER keeps its max_len (default 65535)', () => {
    const m = flowMod({
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP.CONTROLLER }] }],
    });
    assert.deepStrictEqual((rt(m, 1) as FlowMod).instructions, [
      { type: 'apply_actions', actions: [{ type: 'output', port: OFPP.CONTROLLER, maxLen: 0xffff }] },
    ]);
  });
});
