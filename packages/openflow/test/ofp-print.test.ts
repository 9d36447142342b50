// `ovs-ofctl ofp-print` as an oracle for our encoder and our text.
//  1. One representative of every message type: Open vSwitch decodes our bytes without complaint
//     and prints the message type, the xid and the key values (exactly our text where we have a
//     formatter: flow_mod, group_mod, flow-stats and group-desc replies, bundled flow_mod).
//  2. Generated flow_mods, group_mods, flow-stats replies and packet-outs (Open vSwitch-valid
//     subset of the arbitraries): Open vSwitch decodes every one, and our text equals its text.
//     Inputs that would hit a known divergence are rewritten first (avoidKnownDivergences); each
//     divergence has its own todo test at the end, with a minimal reproduction. (Errors,
//     packet-ins, NXT_PACKET_IN2/NXT_RESUME are not generated here: ofp-print interprets their
//     payloads — the failing request, total_len, the continuation — which our API treats as
//     opaque bytes; the representatives above carry meaningful ones.)
// Requires ovs-ofctl (Debian openvswitch-switch); fails with a clear message without it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  OFPP,
  decodeMessage,
  encodeMessage,
  flowMod,
  formatActions,
  formatFlowMod,
  formatFlowStats,
  formatGroup,
  parseFlow,
  parseGroup,
  type Action,
  type FlowMod,
  type FlowStats,
  type GroupMod,
  type Instruction,
  type OpenFlowMessage,
  type PortDesc,
} from '../src/index.js';
import { arbFlowMod, arbFlowStats, arbGroupMod, messageArbitraries } from './arbitraries.js';
import { ofpPrintAll, requireOvsOfctl, show, type Printed } from './helpers.js';

const XID = 0x5eed;
/** Override with OFP_SEED=… to explore other samples. */
const SEED = Number(process.env.OFP_SEED ?? 0x0f5);

/** Open vSwitch's own complaints in ofp-print output. */
function problem(text: string): string | undefined {
  const m = /decode error[^\n]*|\*\*\*[^\n]*|\bbad\b[^\n]*|too short[^\n]*|truncated[^\n]*/i.exec(text);
  return m?.[0];
}

/** The text after "(xid=0x…):" on the first line, and the following lines. */
function bodyOf(text: string): string {
  return text.slice(text.indexOf('):') + 2);
}

function groupCommand(m: GroupMod): string {
  return m.command === 'add' ? 'ADD' : m.command === 'modify' ? 'MOD' : 'DEL';
}

// --- Known divergences -------------------------------------------------------------------------

function mapActions(actions: readonly Action[], f: (a: Action) => Action): Action[] {
  return actions.map((a) => {
    const b = f(a);
    return b.type === 'ct' && b.exec ? { ...b, exec: mapActions(b.exec, f) } : b;
  });
}

function mapInstructions(ins: readonly Instruction[], f: (a: Action) => Action): Instruction[] {
  return ins.map((i) => {
    if (i.type !== 'apply_actions' && i.type !== 'write_actions') return i;
    // Divergence D8: an empty write_actions prints "write_actions(drop)" in ovs-ofctl.
    const actions = mapActions(i.actions, f);
    return i.type === 'write_actions' && actions.length === 0
      ? { type: 'write_actions', actions: [{ type: 'set_queue', queueId: 1 }] }
      : { type: i.type, actions };
  });
}

function avoidInAction(a: Action): Action {
  // D3: tun_flags text; D9: a learned 16-bit in_port >= 0xff00; D10: resubmit(port,,ct).
  if (a.type === 'set_field' && a.field === 'tun_flags')
    return { type: 'set_field', field: 'tun_flags', value: a.value };
  if (a.type === 'resubmit' && a.ct && a.port !== undefined && a.table === undefined)
    return { ...a, table: 0 };
  if (a.type === 'learn') {
    return {
      ...a,
      specs: a.specs.map((s) =>
        s.kind === 'match' && 'value' in s && s.dst.field === 'in_port'
          ? { ...s, value: s.value & 0xfeffn }
          : s,
      ),
    };
  }
  return a;
}

function avoidInMatch<T extends { match: FlowMod['match'] }>(m: T): T {
  return {
    ...m,
    match: m.match
      // D3: tun_flags prints as "+oam"/"-oam" in ovs-ofctl.
      .filter((e) => e.field !== 'tun_flags')
      // D2: tcp_flags bits 0x200..0x800 print as "[200]"… in ovs-ofctl.
      .map((e) =>
        e.field === 'tcp_flags'
          ? { ...e, value: e.value & 0x1ff, ...(e.mask === undefined ? {} : { mask: e.mask & 0x1ff || 1 }) }
          : e,
      ),
  };
}

function avoidKnownDivergences(m: FlowMod): FlowMod {
  let x = avoidInMatch(m);
  // D4: ovs-ofctl ignores an add's cookie mask, and does not print a modify's unmasked cookie.
  if (x.command === 'add' && x.cookieMask !== 0n) x = { ...x, cookieMask: 0n };
  if ((x.command === 'modify' || x.command === 'modify_strict') && x.cookieMask === 0n)
    x = { ...x, cookie: 0n };
  // D5: ovs-ofctl prints table 255 as "table:255", not "table:all".
  if (x.tableId === 255) x = { ...x, tableId: 254 };
  return { ...x, instructions: mapInstructions(x.instructions, avoidInAction) };
}

function avoidInFlowStats(f: FlowStats): FlowStats {
  return {
    ...avoidInMatch(f),
    // D11: ovs-ofctl prints no decimals for whole seconds and nine for sub-millisecond durations.
    durationNsec: Math.max(1, Math.floor(f.durationNsec / 1e6)) * 1e6,
    // D12: ovs-ofctl prints an unavailable counter (2^64-1) as "?".
    packetCount: f.packetCount === 0xffffffffffffffffn ? 1n : f.packetCount,
    byteCount: f.byteCount === 0xffffffffffffffffn ? 1n : f.byteCount,
    instructions: mapInstructions(f.instructions, avoidInAction),
  };
}

function avoidInGroup(m: GroupMod): GroupMod {
  return {
    ...m,
    buckets: m.buckets.map((b) => ({
      ...b,
      // D1: a select bucket of weight 1 (the default) prints without "weight:1," in ovs-ofctl.
      weight: m.groupType === 'select' && b.weight === 1 ? 2 : b.weight,
      actions: mapActions(b.actions, avoidInAction),
    })),
  };
}

// --- 1. One representative of every message type -----------------------------------------------

const frame = Buffer.from(
  'ffffffffffff020000000001' + '0800' + '4500001c000000004001f9e00a0000010a000002' + '0800f7ff00000000',
  'hex',
);
const port: PortDesc = {
  portNo: 1,
  hwAddr: '02:00:00:00:00:01',
  name: 'p1',
  config: 1,
  state: 4,
  curr: 0x840,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 10_000_000,
  maxSpeed: 0,
};
/** A continuation as Open vSwitch nests it: 4 bytes of padding, then NXCPT_BRIDGE (a UUID). */
const continuation = Buffer.from(
  '00000000' + '80000014' + '0123456789abcdef0123456789abcdef' + '00000000',
  'hex',
);
const flowStats: FlowStats = {
  tableId: 3,
  durationSec: 1,
  durationNsec: 500_000_000,
  priority: 100,
  idleTimeout: 30,
  hardTimeout: 0,
  flags: { sendFlowRem: true },
  cookie: 0x5n,
  packetCount: 7n,
  byteCount: 700n,
  match: parseFlow('ip,nw_dst=10.0.0.0/8,actions=drop').match,
  instructions: parseFlow(
    'actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1/0x1->ct_mark)),output:1',
  ).instructions,
};
const group = parseGroup(
  'group_id=7,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=set_field:0x3->reg7,resubmit(,20)',
);
const pipelineFlow = parseFlow(
  'table=10,priority=150,ct_state=+trk,ct_mark=0x1/0x1,ip,nw_dst=10.0.0.10,actions=ct(commit,table=20,zone=5,nat(dst=10.0.1.1-10.0.1.3:8080))',
);

interface Representative {
  readonly message: OpenFlowMessage;
  /** Substrings ofp-print must show. */
  readonly shows: readonly string[];
}

const REPRESENTATIVES: Record<string, Representative> = {
  hello: {
    message: { type: 'hello', versions: [1, 4] },
    shows: ['OFPT_HELLO', 'version bitmap: 0x01, 0x04'],
  },
  error: {
    message: { type: 'error', errorType: 2, code: 4, data: encodeMessage({ type: 'barrier_request' }, XID) },
    shows: ['OFPT_ERROR', 'OFPBAC_BAD_OUT_PORT', 'OFPT_BARRIER_REQUEST'],
  },
  'error (experimenter)': {
    message: {
      type: 'error',
      errorType: 0xffff,
      code: 2300,
      experimenter: 0x4f4e4600,
      data: encodeMessage({ type: 'barrier_request' }, XID),
    },
    shows: ['OFPT_ERROR', 'OFPBFC_UNKNOWN'],
  },
  echo_request: {
    message: { type: 'echo_request', data: Buffer.from('ping') },
    shows: ['OFPT_ECHO_REQUEST', '4 bytes of payload'],
  },
  echo_reply: {
    message: { type: 'echo_reply', data: Buffer.from('pong!') },
    shows: ['OFPT_ECHO_REPLY', '5 bytes of payload'],
  },
  features_request: { message: { type: 'features_request' }, shows: ['OFPT_FEATURES_REQUEST'] },
  features_reply: {
    message: {
      type: 'features_reply',
      datapathId: 0xc1n,
      nBuffers: 256,
      nTables: 254,
      auxiliaryId: 0,
      capabilities: 0x4f,
    },
    shows: [
      'OFPT_FEATURES_REPLY',
      'dpid:00000000000000c1',
      'n_tables:254, n_buffers:256',
      'capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS',
    ],
  },
  get_config_request: { message: { type: 'get_config_request' }, shows: ['OFPT_GET_CONFIG_REQUEST'] },
  get_config_reply: {
    message: { type: 'get_config_reply', flags: 0, missSendLen: 128 },
    shows: ['OFPT_GET_CONFIG_REPLY', 'frags=normal miss_send_len=128'],
  },
  set_config: {
    message: { type: 'set_config', flags: 1, missSendLen: 0xffff },
    shows: ['OFPT_SET_CONFIG', 'frags=drop miss_send_len=65535'],
  },
  packet_in: {
    message: {
      type: 'packet_in',
      bufferId: 0xffffffff,
      totalLen: frame.length,
      reason: 'no_match',
      tableId: 2,
      cookie: 0xabn,
      match: [
        { field: 'in_port', value: 3 },
        { field: 'tun_id', value: 0x64n },
      ],
      data: frame,
    },
    shows: [
      'OFPT_PACKET_IN',
      'table_id=2 cookie=0xab total_len=42 tun_id=0x64,in_port=3 (via no_match) data_len=42',
      'nw_src=10.0.0.1,nw_dst=10.0.0.2',
    ],
  },
  flow_removed: {
    message: {
      type: 'flow_removed',
      cookie: 0xabn,
      priority: 100,
      reason: 0,
      tableId: 3,
      durationSec: 5,
      durationNsec: 1000,
      idleTimeout: 30,
      hardTimeout: 0,
      packetCount: 7n,
      byteCount: 700n,
      match: parseFlow('tcp,tp_dst=80,actions=drop').match,
    },
    shows: [
      'OFPT_FLOW_REMOVED',
      'priority=100,tcp,tp_dst=80 reason=idle table_id=3 cookie:0xab duration5.000001s idle30 pkts7 bytes700',
    ],
  },
  port_status: {
    message: { type: 'port_status', reason: 'add', port },
    shows: [
      'OFPT_PORT_STATUS',
      'ADD: 1(p1): addr:02:00:00:00:00:01',
      'config:     PORT_DOWN',
      'speed: 10000 Mbps now',
    ],
  },
  packet_out: {
    message: {
      type: 'packet_out',
      bufferId: 0xffffffff,
      inPort: OFPP.CONTROLLER,
      actions: [{ type: 'output', port: 2 }],
      data: frame,
    },
    shows: ['OFPT_PACKET_OUT', 'in_port=CONTROLLER actions=output:2 data_len=42', 'icmp,'],
  },
  flow_mod: { message: pipelineFlow, shows: ['OFPT_FLOW_MOD', formatFlowMod(pipelineFlow)] },
  group_mod: {
    message: { type: 'group_mod', command: 'add', ...group },
    shows: ['OFPT_GROUP_MOD', `ADD ${formatGroup(group)}`],
  },
  'multipart_request (desc)': {
    message: { type: 'multipart_request', more: false, body: { kind: 'desc' } },
    shows: ['OFPST_DESC request'],
  },
  'multipart_request (flow)': {
    message: {
      type: 'multipart_request',
      more: false,
      body: {
        kind: 'flow',
        tableId: 3,
        outPort: 2,
        outGroup: 0xffffffff,
        cookie: 0x10n,
        cookieMask: 0xf0n,
        match: parseFlow('ip,actions=drop').match,
      },
    },
    shows: ['OFPST_FLOW request', 'ip', 'table=3', 'out_port=2'],
  },
  'multipart_request (group_desc)': {
    message: { type: 'multipart_request', more: false, body: { kind: 'group_desc' } },
    shows: ['OFPST_GROUP_DESC request'],
  },
  'multipart_request (port_desc)': {
    message: { type: 'multipart_request', more: false, body: { kind: 'port_desc' } },
    shows: ['OFPST_PORT_DESC request', 'port=ANY'],
  },
  'multipart_reply (desc)': {
    message: {
      type: 'multipart_reply',
      more: false,
      body: {
        kind: 'desc',
        desc: {
          manufacturer: 'Nicira, Inc.',
          hardware: 'Open vSwitch',
          software: '3.1.0',
          serialNumber: 'None',
          datapath: 'br-int',
        },
      },
    },
    shows: [
      'OFPST_DESC reply',
      'Manufacturer: Nicira, Inc.',
      'Hardware: Open vSwitch',
      'Software: 3.1.0',
      'Serial Num: None',
      'DP Description: br-int',
    ],
  },
  'multipart_reply (flow)': {
    message: { type: 'multipart_reply', more: false, body: { kind: 'flow', flows: [flowStats] } },
    shows: ['OFPST_FLOW reply', ` ${formatFlowStats(flowStats, { stats: true })}`],
  },
  'multipart_reply (group_desc)': {
    message: { type: 'multipart_reply', more: true, body: { kind: 'group_desc', groups: [group] } },
    shows: ['OFPST_GROUP_DESC reply', 'flags=[more]', ` ${formatGroup(group)}`],
  },
  'multipart_reply (port_desc)': {
    message: { type: 'multipart_reply', more: false, body: { kind: 'port_desc', ports: [port] } },
    shows: ['OFPST_PORT_DESC reply', '1(p1): addr:02:00:00:00:00:01'],
  },
  barrier_request: { message: { type: 'barrier_request' }, shows: ['OFPT_BARRIER_REQUEST'] },
  barrier_reply: { message: { type: 'barrier_reply' }, shows: ['OFPT_BARRIER_REPLY'] },
  role_request: {
    message: { type: 'role_request', role: 'master', generationId: 5n },
    shows: ['OFPT_ROLE_REQUEST', 'role=primary generation_id=5'],
  },
  role_reply: {
    message: { type: 'role_reply', role: 'slave', generationId: 6n },
    shows: ['OFPT_ROLE_REPLY', 'role=secondary generation_id=6'],
  },
  bundle_control: {
    message: {
      type: 'bundle_control',
      bundleId: 7,
      controlType: 'commit_request',
      flags: { atomic: true, ordered: true },
    },
    shows: ['ONFT_BUNDLE_CONTROL', 'bundle_id=0x7 type=COMMIT_REQUEST flags=atomic ordered'],
  },
  bundle_add: {
    message: { type: 'bundle_add', bundleId: 7, flags: { atomic: true }, message: pipelineFlow },
    shows: [
      'ONFT_BUNDLE_ADD_MESSAGE',
      'bundle_id=0x7 flags=atomic',
      `OFPT_FLOW_MOD (OF1.3) (xid=0x${XID.toString(16)}):${formatFlowMod(pipelineFlow)}`,
    ],
  },
  nx_set_packet_in_format: {
    message: { type: 'nx_set_packet_in_format', format: 'nxt_packet_in2' },
    shows: ['NXT_SET_PACKET_IN_FORMAT', 'format=nxt_packet_in2'],
  },
  nx_set_controller_id: {
    message: { type: 'nx_set_controller_id', controllerId: 3 },
    shows: ['NXT_SET_CONTROLLER_ID', 'id=3'],
  },
  nx_packet_in2: {
    message: {
      type: 'nx_packet_in2',
      data: frame,
      fullLen: frame.length,
      bufferId: 9,
      tableId: 3,
      cookie: 0x1234n,
      reason: 'action',
      metadata: [
        { field: 'in_port', value: 5 },
        { field: 'reg0', value: 7 },
      ],
      userdata: Buffer.from('cafe', 'hex'),
      continuation,
    },
    shows: [
      'NXT_PACKET_IN2',
      'table_id=3 cookie=0x1234 total_len=42 reg0=0x7,in_port=5 (via action) data_len=42 buffer=0x00000009',
      'userdata=ca.fe',
      'continuation.bridge=67452301-efcd-ab89-6745-2301efcdab89',
    ],
  },
  nx_resume: {
    message: { type: 'nx_resume', data: frame, metadata: [{ field: 'in_port', value: 5 }], continuation },
    shows: [
      'NXT_RESUME',
      'total_len=42 in_port=5',
      'continuation.bridge=67452301-efcd-ab89-6745-2301efcdab89',
    ],
  },
};

describe('ovs-ofctl ofp-print decodes a representative of every message type', () => {
  let printed = new Map<string, Printed>();
  before(async () => {
    requireOvsOfctl();
    const names = Object.keys(REPRESENTATIVES);
    const out = await ofpPrintAll(
      names.map((n) => encodeMessage((REPRESENTATIVES[n] as Representative).message, XID).toString('hex')),
    );
    printed = new Map(names.map((n, i) => [n, out[i] as Printed]));
  });

  it('covers every message type except "unknown"', () => {
    const covered = new Set(Object.values(REPRESENTATIVES).map((r) => r.message.type));
    const all = Object.keys(messageArbitraries()).filter((t) => t !== 'unknown');
    assert.deepStrictEqual(
      all.filter((t) => !covered.has(t as OpenFlowMessage['type'])),
      [],
    );
  });

  for (const [name, rep] of Object.entries(REPRESENTATIVES)) {
    it(name, () => {
      const p = printed.get(name);
      assert.ok(p, 'not printed');
      assert.equal(problem(p.text), undefined, p.text);
      assert.ok(p.text.includes(`(xid=0x${XID.toString(16)})`), p.text);
      for (const s of rep.shows) assert.ok(p.text.includes(s), `missing ${JSON.stringify(s)} in:\n${p.text}`);
    });
  }

  it('a message type Open vSwitch does not know either is reported as such', async () => {
    const [p] = await ofpPrintAll([
      encodeMessage({ type: 'unknown', msgType: 99, body: Buffer.alloc(4) }, XID).toString('hex'),
    ]);
    assert.match(p?.text ?? '', /OFPBRC_BAD_TYPE/);
  });
});

// --- 2. Generated messages: exact text ----------------------------------------------------------

describe('generated messages: ofp-print accepts them and prints exactly our text', () => {
  const flows = fc.sample(arbFlowMod(), { numRuns: 220, seed: SEED }).map(avoidKnownDivergences);
  const groups = fc.sample(arbGroupMod(), { numRuns: 120, seed: SEED }).map(avoidInGroup);
  const stats = fc.sample(arbFlowStats(), { numRuns: 100, seed: SEED }).map(avoidInFlowStats);
  const outs = fc.sample(messageArbitraries().packet_out, { numRuns: 60, seed: SEED });
  const messages: OpenFlowMessage[] = [
    ...flows,
    ...groups,
    ...stats.map((f): OpenFlowMessage => ({
      type: 'multipart_reply',
      more: false,
      body: { kind: 'flow', flows: [f] },
    })),
    ...outs,
  ];
  let printed: Printed[] = [];
  before(async () => {
    requireOvsOfctl();
    printed = await ofpPrintAll(messages.map((m) => encodeMessage(m, XID).toString('hex')));
  });

  it('Open vSwitch decodes every generated message', () => {
    const refused = printed
      .map((p, i) => ({ p, m: messages[i] as OpenFlowMessage }))
      .filter(({ p }) => problem(p.text) !== undefined)
      .map(({ p, m }) => `${problem(p.text)}\n  ${show(m)}`);
    assert.deepStrictEqual(refused.slice(0, 5), [], `${refused.length} refused`);
  });

  /** Our text for the decoded bytes (what a controller would print for what it sent). */
  function ours(hex: string): string {
    const m = decodeMessage(Buffer.from(hex, 'hex')).message;
    switch (m.type) {
      case 'flow_mod':
        return formatFlowMod(m);
      case 'group_mod':
        return ` ${groupCommand(m)} ${formatGroup(m)}`;
      case 'multipart_reply':
        return m.body.kind === 'flow'
          ? m.body.flows.map((f) => ` ${formatFlowStats(f, { stats: true })}`).join('\n')
          : '';
      case 'packet_out':
        return m.actions.length ? formatActions(m.actions) : 'drop';
      default:
        return '';
    }
  }

  /** The part of ofp-print's text that our formatter produces. */
  function theirs(p: Printed, type: OpenFlowMessage['type']): string {
    const body = bodyOf(p.text);
    switch (type) {
      case 'group_mod':
        return body.replace(/^\n/, '').replace(/\s+$/, '');
      case 'multipart_reply':
        return body
          .replace(/^\n/, '')
          .split('\n')
          .map((l) => l.trimEnd())
          .join('\n');
      case 'packet_out':
        return /actions=(.*?) (data_len=|buffer=)/.exec(body)?.[1] ?? body;
      default:
        return body.trimEnd();
    }
  }

  for (const type of ['flow_mod', 'group_mod', 'multipart_reply', 'packet_out'] as const) {
    it(`${type}: our text equals ofp-print's`, () => {
      const diffs: string[] = [];
      let compared = 0;
      printed.forEach((p, i) => {
        const m = messages[i] as OpenFlowMessage;
        if (m.type !== type || problem(p.text) !== undefined) return;
        compared++;
        const a = theirs(p, type);
        const b = ours(p.hex);
        if (a !== b) diffs.push(`ovs : ${a}\nours: ${b}`);
      });
      assert.ok(compared >= 50, `only ${compared} compared`);
      assert.deepStrictEqual(diffs.slice(0, 3), [], `${diffs.length} of ${compared} differ`);
    });
  }
});

// --- 3. Known divergences (bugs), each with a minimal reproduction -------------------------------

async function sameAsOvs(m: OpenFlowMessage): Promise<void> {
  requireOvsOfctl();
  const hex = encodeMessage(m, XID).toString('hex');
  const [p] = await ofpPrintAll([hex]);
  assert.ok(p);
  assert.equal(problem(p.text), undefined, p.text);
  const d = decodeMessage(Buffer.from(hex, 'hex')).message;
  const text =
    d.type === 'flow_mod'
      ? formatFlowMod(d)
      : d.type === 'group_mod'
        ? ` ${groupCommand(d)} ${formatGroup(d)}`
        : show(d);
  assert.equal(
    text,
    bodyOf(p.text)
      .replace(/^\n\s*/, ' ')
      .trimEnd(),
  );
}

const flowWith = (match: FlowMod['match'], actions: Action[] = []): FlowMod =>
  flowMod({ match, instructions: actions.length ? [{ type: 'apply_actions', actions }] : [] });

describe('divergences from ofp-print', () => {
  it('D1: a select bucket of weight 1 prints without weight', () =>
    sameAsOvs({
      type: 'group_mod',
      command: 'add',
      groupType: 'select',
      groupId: 1,
      buckets: [
        { weight: 1, watchPort: OFPP.ANY, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1 }] },
      ],
    }));

  it('D2: tcp_flags bits 0x200..0x800 print as [200], [400], [800]', async () => {
    const tcp = [
      { field: 'eth_type', value: 0x800 },
      { field: 'nw_proto', value: 6 },
    ] as const;
    await sameAsOvs(flowWith([...tcp, { field: 'tcp_flags', value: 0x201 }]));
    await sameAsOvs(flowWith([...tcp, { field: 'tcp_flags', value: 0x200, mask: 0x200 }]));
  });

  it('D3: tun_flags prints as +oam / -oam', async () => {
    await sameAsOvs(flowWith([{ field: 'tun_flags', value: 1 }]));
    await sameAsOvs(flowWith([{ field: 'tun_flags', value: 0, mask: 1 }]));
    await sameAsOvs(flowWith([], [{ type: 'set_field', field: 'tun_flags', value: 1, mask: 1 }]));
  });

  it('D4: flow_mod cookies print as ovs-ofctl decodes them', async () => {
    await sameAsOvs(flowMod({ command: 'add', cookie: 5n, cookieMask: 0xffn }));
    await sameAsOvs(flowMod({ command: 'modify', cookie: 5n }));
  });

  it('D5: table 255 prints as table:255', () => sameAsOvs(flowMod({ command: 'delete' })));

  it('D6: a zero mask is a wildcard', () => sameAsOvs(flowWith([{ field: 'reg0', value: 0, mask: 0 }])));

  it('D7: in_port 0xfffffff0 prints as its OpenFlow 1.0 number', () =>
    sameAsOvs(flowWith([{ field: 'in_port', value: 0xfffffff0 }])));

  it('D8: an empty write_actions prints as write_actions(drop)', () =>
    sameAsOvs(flowMod({ instructions: [{ type: 'write_actions', actions: [] }] })));

  it('D9: a learned 16-bit in_port prints reserved ports by name', () =>
    sameAsOvs(
      flowWith(
        [],
        [
          {
            type: 'learn',
            table: 1,
            specs: [{ kind: 'match', dst: { field: 'in_port', start: 0, nBits: 16 }, value: 0xfff8n }],
          },
        ],
      ),
    ));

  it(
    'D10: resubmit with a port and ct but no table',
    {
      todo: 'BUG: we print resubmit(1,,ct); ovs-ofctl 3.1 prints resubmit:1 (it drops ",ct" itself; text-only, listed because ofp-print is the reference)',
    },
    () =>
      sameAsOvs(
        flowWith(
          [
            { field: 'eth_type', value: 0x800 },
            { field: 'ct_state', value: 0x22, mask: 0x22 },
          ],
          [{ type: 'resubmit', port: 1, ct: true }],
        ),
      ),
  );

  it('D11: flow-stats durations print like ofp_print_duration', async () => {
    requireOvsOfctl();
    const base = { ...flowStats, durationSec: 5, durationNsec: 0 };
    for (const f of [base, { ...base, durationSec: 1, durationNsec: 123_456_789 }]) {
      const [p] = await ofpPrintAll([
        encodeMessage(
          { type: 'multipart_reply', more: false, body: { kind: 'flow', flows: [f] } },
          XID,
        ).toString('hex'),
      ]);
      assert.equal(` ${formatFlowStats(f, { stats: true })}`, bodyOf(p?.text ?? '').replace(/^\n/, ''));
    }
  });

  it('D12: unavailable counters print as "?"', async () => {
    requireOvsOfctl();
    const f = { ...flowStats, packetCount: 0xffffffffffffffffn, byteCount: 0xffffffffffffffffn };
    const [p] = await ofpPrintAll([
      encodeMessage(
        { type: 'multipart_reply', more: false, body: { kind: 'flow', flows: [f] } },
        XID,
      ).toString('hex'),
    ]);
    assert.equal(` ${formatFlowStats(f, { stats: true })}`, bodyOf(p?.text ?? '').replace(/^\n/, ''));
  });
});
