// encodeMessage on invalid typed input must throw OpenFlowError('OF_INVALID_ARGUMENT') with a
// message naming the problem — never encode silently, never throw a TypeError/RangeError.
// Cases the encoder gets wrong today are `todo` tests whose reason starts with "BUG:"; the last
// group lists inputs the encoder accepts but Open vSwitch 3.1 refuses (verified with
// `ovs-ofctl ofp-print`, which names the OpenFlow error quoted in each reason).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  OFPP,
  OpenFlowError,
  encodeMessage,
  flowMod,
  type Action,
  type FlowMod,
  type Instruction,
  type Match,
  type OpenFlowMessage,
  type PortDesc,
} from '../src/index.js';
import { describeError } from './helpers.js';

interface Case {
  readonly name: string;
  /** Deliberately loosely typed: these inputs break the type contract on purpose. */
  readonly message: unknown;
  /** What the error message must mention. */
  readonly mentions: RegExp;
  /** Set when the encoder does not reject it today. */
  readonly bug?: string;
}

const m = (match: unknown): unknown => flowMod({ match: match as Match });
const acts = (...actions: unknown[]): unknown =>
  flowMod({ instructions: [{ type: 'apply_actions', actions: actions as Action[] }] });
const ins = (...instructions: unknown[]): unknown => flowMod({ instructions: instructions as Instruction[] });
const fm = (fields: Record<string, unknown>): unknown => ({ ...flowMod(), ...fields });
const ip = { field: 'eth_type', value: 0x0800 };
const port: PortDesc = {
  portNo: 1,
  hwAddr: '02:00:00:00:00:01',
  name: 'p1',
  config: 0,
  state: 0,
  curr: 0,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 0,
  maxSpeed: 0,
};
const pin2 = {
  type: 'nx_packet_in2',
  data: Buffer.from([1]),
  tableId: 1,
  cookie: 0n,
  reason: 'action',
  metadata: [],
};

function rejects(c: Case): void {
  let encoded: Buffer | undefined;
  try {
    encoded = encodeMessage(c.message as OpenFlowMessage, 1);
  } catch (error) {
    assert.ok(error instanceof OpenFlowError, `threw ${describeError(error)}, not an OpenFlowError`);
    assert.equal(error.code, 'OF_INVALID_ARGUMENT', error.message);
    assert.match(error.message, c.mentions);
    return;
  }
  assert.fail(`encoded silently to ${encoded.length} bytes: ${encoded.toString('hex').slice(0, 160)}`);
}

function suite(title: string, cases: readonly Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, c.bug === undefined ? {} : { todo: `BUG: ${c.bug}` }, () => rejects(c));
    }
  });
}

suite('match values: width, JS type, syntax', [
  { name: 'reg0 = 2^32', message: m([{ field: 'reg0', value: 2 ** 32 }]), mentions: /reg0.*32 bits/ },
  { name: 'reg0 = -1', message: m([{ field: 'reg0', value: -1 }]), mentions: /reg0/ },
  { name: 'reg0 = 1.5', message: m([{ field: 'reg0', value: 1.5 }]), mentions: /reg0.*integer/ },
  { name: 'reg0 = NaN', message: m([{ field: 'reg0', value: Number.NaN }]), mentions: /reg0/ },
  { name: 'reg0 = "5" (string)', message: m([{ field: 'reg0', value: '5' }]), mentions: /reg0.*integer/ },
  {
    name: 'metadata = 5 (number, not bigint)',
    message: m([{ field: 'metadata', value: 5 }]),
    mentions: /metadata.*bigint/,
  },
  {
    name: 'metadata = 2^64',
    message: m([{ field: 'metadata', value: 1n << 64n }]),
    mentions: /metadata.*64 bits/,
  },
  {
    name: 'xxreg0 = 2^128',
    message: m([{ field: 'xxreg0', value: 1n << 128n }]),
    mentions: /xxreg0.*128 bits/,
  },
  {
    name: 'vlan_vid = 0x2000 (13 bits)',
    message: m([{ field: 'vlan_vid', value: 0x2000 }]),
    mentions: /vlan_vid.*13 bits/,
  },
  {
    name: 'vlan_vid mask 0xffff',
    message: m([{ field: 'vlan_vid', value: 0x1000, mask: 0xffff }]),
    mentions: /vlan_vid mask/,
  },
  {
    name: 'ip_dscp = 64 (6 bits)',
    message: m([ip, { field: 'ip_dscp', value: 64 }]),
    mentions: /ip_dscp.*6 bits/,
  },
  {
    name: 'nw_ecn = 4 (2 bits)',
    message: m([ip, { field: 'nw_ecn', value: 4 }]),
    mentions: /nw_ecn.*2 bits/,
  },
  {
    name: 'tun_flags = 2 (1 bit)',
    message: m([{ field: 'tun_flags', value: 2 }]),
    mentions: /tun_flags.*1 bits/,
  },
  {
    name: 'ipv6_label = 2^20',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'ipv6_label', value: 2 ** 20 },
    ]),
    mentions: /ipv6_label.*20 bits/,
  },
  { name: 'eth_src = 5 (number)', message: m([{ field: 'eth_src', value: 5 }]), mentions: /eth_src.*string/ },
  { name: 'eth_src = "zz"', message: m([{ field: 'eth_src', value: 'zz' }]), mentions: /MAC.*zz/ },
  {
    name: 'eth_src with five octets',
    message: m([{ field: 'eth_src', value: '00:11:22:33:44' }]),
    mentions: /MAC/,
  },
  {
    name: 'ip_src = "1.2.3"',
    message: m([ip, { field: 'ip_src', value: '1.2.3' }]),
    mentions: /IPv4.*1\.2\.3/,
  },
  {
    name: 'ip_src = "1.2.3.256"',
    message: m([ip, { field: 'ip_src', value: '1.2.3.256' }]),
    mentions: /IPv4/,
  },
  {
    name: 'ip_src as a number',
    message: m([ip, { field: 'ip_src', value: 167772161 }]),
    mentions: /ip_src.*string/,
  },
  {
    name: 'ipv6_src = "fd00:::1"',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'ipv6_src', value: 'fd00:::1' },
    ]),
    mentions: /IPv6/,
  },
  {
    name: 'ipv6_src with nine groups',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'ipv6_src', value: '1:2:3:4:5:6:7:8:9' },
    ]),
    mentions: /IPv6/,
  },
]);

suite('match structure: unknown fields, masks, duplicates, prerequisites', [
  { name: 'unknown field', message: m([{ field: 'bogus', value: 1 }]), mentions: /bogus/ },
  { name: 'vlan_tci (no OXM form)', message: m([{ field: 'vlan_tci', value: 1 }]), mentions: /vlan_tci/ },
  {
    name: 'mask on in_port',
    message: m([{ field: 'in_port', value: 1, mask: 1 }]),
    mentions: /in_port cannot be masked/,
  },
  {
    name: 'mask on eth_type',
    message: m([{ field: 'eth_type', value: 0x800, mask: 0xff00 }]),
    mentions: /eth_type cannot be masked/,
  },
  {
    name: 'mask on nw_proto',
    message: m([ip, { field: 'nw_proto', value: 6, mask: 6 }]),
    mentions: /nw_proto cannot be masked/,
  },
  {
    name: 'mask on ct_zone',
    message: m([{ field: 'ct_zone', value: 1, mask: 1 }]),
    mentions: /ct_zone cannot be masked/,
  },
  {
    name: 'mask on conj_id',
    message: m([{ field: 'conj_id', value: 1, mask: 1 }]),
    mentions: /conj_id cannot be masked/,
  },
  {
    name: 'a field given twice',
    message: m([
      { field: 'reg0', value: 1 },
      { field: 'reg0', value: 2 },
    ]),
    mentions: /reg0 appears twice/,
  },
  {
    name: 'tcp_dst without eth_type',
    message: m([{ field: 'tcp_dst', value: 80 }]),
    mentions: /tcp_dst requires/,
  },
  {
    name: 'tcp_dst over udp',
    message: m([ip, { field: 'nw_proto', value: 17 }, { field: 'tcp_dst', value: 80 }]),
    mentions: /tcp_dst requires tcp/,
  },
  {
    name: 'ip_src under IPv6',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'ip_src', value: '1.2.3.4' },
    ]),
    mentions: /ip_src requires eth_type=0x0800/,
  },
  {
    name: 'ipv6_dst under IPv4',
    message: m([ip, { field: 'ipv6_dst', value: '::1' }]),
    mentions: /ipv6_dst requires/,
  },
  { name: 'arp_op without arp', message: m([{ field: 'arp_op', value: 1 }]), mentions: /arp_op requires/ },
  { name: 'nw_ttl without IP', message: m([{ field: 'nw_ttl', value: 1 }]), mentions: /nw_ttl requires/ },
  {
    name: 'icmp_type under IPv6',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'nw_proto', value: 58 },
      { field: 'icmp_type', value: 8 },
    ]),
    mentions: /icmp_type requires icmp/,
  },
  {
    name: 'nd_target without icmpv6_type 135/136',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'nw_proto', value: 58 },
      { field: 'nd_target', value: '::1' },
    ]),
    mentions: /nd_target requires/,
  },
  {
    name: 'vlan_pcp without a VLAN',
    message: m([{ field: 'vlan_pcp', value: 3 }]),
    mentions: /vlan_pcp requires/,
  },
  {
    name: 'vlan_pcp with vlan_vid whose mask leaves out OFPVID_PRESENT',
    message: m([
      { field: 'vlan_vid', value: 0x1005, mask: 0x0fff },
      { field: 'vlan_pcp', value: 3 },
    ]),
    mentions: /vlan_pcp requires/,
  },
  {
    name: 'xxreg0 together with reg3 (which it overlays)',
    message: m([
      { field: 'xxreg0', value: 1n },
      { field: 'reg3', value: 2 },
    ]),
    mentions: /reg3/,
  },
]);

suite('actions and instructions', [
  {
    name: 'conjunction clause > n',
    message: acts({ type: 'conjunction', id: 1, clause: 3, nClauses: 2 }),
    mentions: /conjunction clause 3\/2/,
  },
  {
    name: 'conjunction clause 0',
    message: acts({ type: 'conjunction', id: 1, clause: 0, nClauses: 2 }),
    mentions: /conjunction clause 0\/2/,
  },
  {
    name: 'conjunction n = 1',
    message: acts({ type: 'conjunction', id: 1, clause: 1, nClauses: 1 }),
    mentions: /conjunction/,
  },
  {
    name: 'conjunction n = 65',
    message: acts({ type: 'conjunction', id: 1, clause: 1, nClauses: 65 }),
    mentions: /conjunction/,
  },
  {
    name: 'move of 8 bits into 16',
    message: acts({
      type: 'move',
      src: { field: 'reg0', start: 0, nBits: 8 },
      dst: { field: 'reg1', start: 0, nBits: 16 },
    }),
    mentions: /move of 8 bits into 16 bits/,
  },
  {
    name: 'move beyond the end of a field',
    message: acts({
      type: 'move',
      src: { field: 'reg0', start: 30, nBits: 8 },
      dst: { field: 'reg1', start: 0, nBits: 8 },
    }),
    mentions: /reg0\[30\.\.37\] is outside the 32-bit field/,
  },
  {
    name: 'move into a read-only field',
    message: acts({
      type: 'move',
      src: { field: 'reg0', start: 0, nBits: 8 },
      dst: { field: 'ct_state', start: 0, nBits: 8 },
    }),
    mentions: /ct_state is read-only/,
  },
  {
    name: 'move of 0 bits',
    message: acts({
      type: 'move',
      src: { field: 'reg0', start: 0, nBits: 0 },
      dst: { field: 'reg1', start: 0, nBits: 0 },
    }),
    mentions: /reg0/,
  },
  {
    name: 'move from an unknown field',
    message: acts({
      type: 'move',
      src: { field: 'bogus', start: 0, nBits: 8 },
      dst: { field: 'reg1', start: 0, nBits: 8 },
    }),
    mentions: /bogus/,
  },
  {
    name: 'load value wider than the subfield',
    message: acts({ type: 'load', dst: { field: 'reg0', start: 0, nBits: 4 }, value: 16n }),
    mentions: /load value 16 does not fit 4 bits/,
  },
  {
    name: 'load value as a number',
    message: acts({ type: 'load', dst: { field: 'reg0', start: 0, nBits: 8 }, value: 1 }),
    mentions: /load/,
  },
  {
    name: 'load into 128 bits (NXAST_REG_LOAD carries at most 64)',
    message: acts({ type: 'load', dst: { field: 'xxreg0', start: 0, nBits: 128 }, value: 1n }),
    mentions: /64/,
  },
  {
    name: 'output_reg from 128 bits',
    message: acts({ type: 'output_reg', src: { field: 'xxreg0', start: 0, nBits: 128 } }),
    mentions: /64/,
  },
  {
    name: 'set_field of a read-only field',
    message: acts({ type: 'set_field', field: 'ct_state', value: 1 }),
    mentions: /ct_state is read-only/,
  },
  {
    name: 'set_field of vlan_tci (no OXM)',
    message: acts({ type: 'set_field', field: 'vlan_tci', value: 1 }),
    mentions: /vlan_tci cannot be set/,
  },
  {
    name: 'set_field of an unknown field',
    message: acts({ type: 'set_field', field: 'bogus', value: 1 }),
    mentions: /bogus/,
  },
  {
    name: 'masked set_field of an unmaskable field',
    message: acts({ type: 'set_field', field: 'eth_type', value: 1, mask: 1 }),
    mentions: /eth_type cannot be masked/,
  },
  {
    name: 'set_field value too wide',
    message: acts({ type: 'set_field', field: 'reg0', value: 2 ** 32 }),
    mentions: /reg0.*32 bits/,
  },
  { name: 'output port 2^32', message: acts({ type: 'output', port: 2 ** 32 }), mentions: /output port/ },
  {
    name: 'output max_len 70000',
    message: acts({ type: 'output', port: OFPP.CONTROLLER, maxLen: 70000 }),
    mentions: /max_len/,
  },
  { name: 'group id -1', message: acts({ type: 'group', groupId: -1 }), mentions: /group id/ },
  {
    name: 'resubmit to a port a 16-bit action cannot carry',
    message: acts({ type: 'resubmit', port: 0xff01 }),
    mentions: /port 65281/,
  },
  { name: 'resubmit table 256', message: acts({ type: 'resubmit', table: 256 }), mentions: /resubmit table/ },
  { name: 'ct table 255', message: acts({ type: 'ct', table: 255 }), mentions: /ct table 255/ },
  { name: 'ct zone 70000', message: acts({ type: 'ct', zone: 70000 }), mentions: /ct zone 70000/ },
  {
    name: 'nat range without src/dst',
    message: acts({ type: 'ct', commit: true, nat: { addressMin: '10.0.0.1' } }),
    mentions: /nat with a range needs src or dst/,
  },
  {
    name: 'nat mixing IPv4 and IPv6',
    message: acts({
      type: 'ct',
      commit: true,
      nat: { kind: 'src', addressMin: '10.0.0.1', addressMax: 'fd00::1' },
    }),
    mentions: /mixes IPv4 and IPv6/,
  },
  {
    name: 'nat portMax without portMin',
    message: acts({ type: 'ct', commit: true, nat: { kind: 'src', addressMin: '10.0.0.1', portMax: 5 } }),
    mentions: /portMax without portMin/,
  },
  {
    name: 'nat with a bad address',
    message: acts({ type: 'ct', commit: true, nat: { kind: 'src', addressMin: 'bogus' } }),
    mentions: /IPv4 address: bogus/,
  },
  {
    name: 'learn table 255',
    message: acts({ type: 'learn', table: 255, specs: [] }),
    mentions: /learn table 255/,
  },
  {
    name: 'learn spec source narrower than its destination',
    message: acts({
      type: 'learn',
      table: 1,
      specs: [
        {
          kind: 'match',
          dst: { field: 'reg0', start: 0, nBits: 8 },
          src: { field: 'reg1', start: 0, nBits: 4 },
        },
      ],
    }),
    mentions: /source is 4 bits, destination 8/,
  },
  {
    name: 'learn immediate wider than its destination',
    message: acts({
      type: 'learn',
      table: 1,
      specs: [{ kind: 'load', dst: { field: 'reg0', start: 0, nBits: 4 }, value: 16n }],
    }),
    mentions: /learn immediate 16 does not fit 4 bits/,
  },
  {
    name: 'learn result_dst wider than one bit',
    message: acts({
      type: 'learn',
      table: 1,
      limit: 5,
      resultDst: { field: 'reg0', start: 0, nBits: 8 },
      specs: [],
    }),
    mentions: /result_dst/,
  },
  {
    name: 'dec_ttl controller id 70000',
    message: acts({ type: 'dec_ttl', controllerIds: [70000] }),
    mentions: /dec_ttl controller id 70000/,
  },
  {
    name: 'push_vlan ethertype 70000',
    message: acts({ type: 'push_vlan', ethertype: 70000 }),
    mentions: /push_vlan ethertype 70000/,
  },
  {
    name: 'controller reason "bogus"',
    message: acts({ type: 'controller', reason: 'bogus' }),
    mentions: /reason bogus/,
  },
  {
    name: 'controller meter id 2^32',
    message: acts({ type: 'controller', meterId: 2 ** 32 }),
    mentions: /meter id/,
  },
  {
    name: 'controller id 70000',
    message: acts({ type: 'controller', controllerId: 70000 }),
    mentions: /controller id/,
  },
  { name: 'set_queue -1', message: acts({ type: 'set_queue', queueId: -1 }), mentions: /queue id -1/ },
  {
    name: 'raw action of 7 bytes',
    message: acts({ type: 'raw', actionType: 1, bytes: Buffer.alloc(7) }),
    mentions: /raw action of 7 bytes/,
  },
  {
    name: 'an unknown action type',
    message: acts({ type: 'bogus' }),
    mentions: /bogus/,
  },
  { name: 'goto_table 256', message: ins({ type: 'goto_table', tableId: 256 }), mentions: /goto_table 256/ },
  { name: 'meter id 2^32', message: ins({ type: 'meter', meterId: 2 ** 32 }), mentions: /meter id/ },
  {
    name: 'an instruction given twice',
    message: ins({ type: 'goto_table', tableId: 1 }, { type: 'goto_table', tableId: 2 }),
    mentions: /goto_table appears twice/,
  },
  {
    name: 'write_metadata wider than 64 bits',
    message: ins({ type: 'write_metadata', metadata: 1n << 64n, mask: 1n }),
    mentions: /metadata/,
  },
  {
    name: 'write_metadata as numbers',
    message: ins({ type: 'write_metadata', metadata: 1, mask: 1 }),
    mentions: /metadata/,
  },
  {
    name: 'an unknown instruction type',
    message: ins({ type: 'bogus' }),
    mentions: /bogus/,
  },
]);

suite('message fields', [
  { name: 'flow_mod table 256', message: fm({ tableId: 256 }), mentions: /table 256/ },
  { name: 'flow_mod priority 70000', message: fm({ priority: 70000 }), mentions: /priority 70000/ },
  { name: 'flow_mod idle_timeout -1', message: fm({ idleTimeout: -1 }), mentions: /idle_timeout -1/ },
  { name: 'flow_mod command "bogus"', message: fm({ command: 'bogus' }), mentions: /command bogus/ },
  {
    name: 'flow_mod cookie 2^64',
    message: fm({ cookie: 1n << 64n }),
    mentions: /cookie/,
  },
  {
    name: 'flow_mod cookie -1n',
    message: fm({ cookie: -1n }),
    mentions: /cookie/,
  },
  {
    name: 'flow_mod cookie as a number',
    message: fm({ cookie: 5 }),
    mentions: /cookie/,
  },
  {
    name: 'flow_mod buffer_id 2^32',
    message: fm({ bufferId: 2 ** 32 }),
    mentions: /buffer/,
  },
  {
    name: 'flow_mod out_port -1',
    message: fm({ outPort: -1 }),
    mentions: /out_port|outPort/,
  },
  {
    name: 'flow_mod out_group 1.5',
    message: fm({ outGroup: 1.5 }),
    mentions: /out_group|outGroup/,
  },
  {
    name: 'group_mod id 2^32',
    message: { type: 'group_mod', command: 'add', groupType: 'all', groupId: 2 ** 32, buckets: [] },
    mentions: /group id/,
  },
  {
    name: 'bucket weight in a non-select group',
    message: {
      type: 'group_mod',
      command: 'add',
      groupType: 'all',
      groupId: 1,
      buckets: [{ weight: 3, watchPort: OFPP.ANY, watchGroup: 0xffffffff, actions: [] }],
    },
    mentions: /bucket weight 3 in a all group/,
  },
  {
    name: 'bucket weight 70000',
    message: {
      type: 'group_mod',
      command: 'add',
      groupType: 'select',
      groupId: 1,
      buckets: [{ weight: 70000, watchPort: OFPP.ANY, watchGroup: 0xffffffff, actions: [] }],
    },
    mentions: /bucket weight 70000/,
  },
  {
    name: 'bucket watch_port -1',
    message: {
      type: 'group_mod',
      command: 'add',
      groupType: 'ff',
      groupId: 1,
      buckets: [{ weight: 0, watchPort: -1, watchGroup: 0xffffffff, actions: [] }],
    },
    mentions: /watch/,
  },
  {
    name: 'group type "bogus"',
    message: { type: 'group_mod', command: 'add', groupType: 'bogus', groupId: 1, buckets: [] },
    mentions: /bogus/,
  },
  {
    name: 'group command "bogus"',
    message: { type: 'group_mod', command: 'bogus', groupType: 'all', groupId: 1, buckets: [] },
    mentions: /bogus/,
  },
  { name: 'hello version 32', message: { type: 'hello', versions: [32] }, mentions: /hello version 32/ },
  { name: 'hello version 0', message: { type: 'hello', versions: [0] }, mentions: /hello version 0/ },
  {
    name: 'packet_in reason "bogus"',
    message: {
      type: 'packet_in',
      bufferId: 0,
      totalLen: 0,
      reason: 'bogus',
      tableId: 0,
      cookie: 0n,
      match: [],
      data: Buffer.alloc(0),
    },
    mentions: /reason bogus/,
  },
  {
    name: 'packet_in total_len 70000',
    message: {
      type: 'packet_in',
      bufferId: 0,
      totalLen: 70000,
      reason: 'action',
      tableId: 0,
      cookie: 0n,
      match: [],
      data: Buffer.alloc(0),
    },
    mentions: /total_len|totalLen/,
  },
  {
    name: 'packet_out in_port 2^32',
    message: {
      type: 'packet_out',
      bufferId: 0xffffffff,
      inPort: 2 ** 32,
      actions: [],
      data: Buffer.alloc(0),
    },
    mentions: /in_port|inPort/,
  },
  {
    name: 'features_reply n_tables 300',
    message: {
      type: 'features_reply',
      datapathId: 1n,
      nBuffers: 0,
      nTables: 300,
      auxiliaryId: 0,
      capabilities: 0,
    },
    mentions: /n_tables|nTables/,
  },
  {
    name: 'set_config miss_send_len 70000',
    message: { type: 'set_config', flags: 0, missSendLen: 70000 },
    mentions: /miss_send_len|missSendLen/,
  },
  {
    name: 'error code 70000',
    message: { type: 'error', errorType: 1, code: 70000, data: Buffer.alloc(0) },
    mentions: /code/,
  },
  {
    name: 'error with an experimenter id but errorType 1',
    message: { type: 'error', errorType: 1, code: 1, experimenter: 5, data: Buffer.alloc(0) },
    mentions: /experimenter/,
  },
  {
    name: 'flow_removed priority 70000',
    message: {
      type: 'flow_removed',
      cookie: 0n,
      priority: 70000,
      reason: 0,
      tableId: 0,
      durationSec: 0,
      durationNsec: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      packetCount: 0n,
      byteCount: 0n,
      match: [],
    },
    mentions: /priority/,
  },
  {
    name: 'port_status reason "bogus"',
    message: { type: 'port_status', reason: 'bogus', port },
    mentions: /bogus/,
  },
  {
    name: 'port name longer than 15 bytes',
    message: { type: 'port_status', reason: 'add', port: { ...port, name: 'x'.repeat(20) } },
    mentions: /name/,
  },
  {
    name: 'role "bogus"',
    message: { type: 'role_request', role: 'bogus', generationId: 0n },
    mentions: /bogus/,
  },
  {
    name: 'role generation id as a number',
    message: { type: 'role_request', role: 'master', generationId: 0 },
    mentions: /generation/,
  },
  {
    name: 'bundle control type "bogus"',
    message: { type: 'bundle_control', bundleId: 1, controlType: 'bogus', flags: {} },
    mentions: /bogus/,
  },
  {
    name: 'bundle id 2^32',
    message: { type: 'bundle_control', bundleId: 2 ** 32, controlType: 'open_request', flags: {} },
    mentions: /bundle/,
  },
  {
    name: 'nx_set_packet_in_format "bogus"',
    message: { type: 'nx_set_packet_in_format', format: 'bogus' },
    mentions: /bogus/,
  },
  {
    name: 'nx_set_controller_id 70000',
    message: { type: 'nx_set_controller_id', controllerId: 70000 },
    mentions: /controller/,
  },
  {
    name: 'nx_packet_in2 table_id 300',
    message: { ...pin2, tableId: 300 },
    mentions: /table/,
  },
  {
    name: 'nx_packet_in2 metadata without prerequisites',
    message: { ...pin2, metadata: [{ field: 'tcp_dst', value: 1 }] },
    mentions: /tcp_dst requires/,
  },
  {
    name: 'multipart request of an unknown kind',
    message: { type: 'multipart_request', more: false, body: { kind: 'bogus' } },
    mentions: /bogus/,
  },
  {
    name: 'an unknown message type',
    message: { type: 'bogus' },
    mentions: /bogus/,
  },
  {
    name: 'echo data that is not a Buffer',
    message: { type: 'echo_request', data: 'abc' },
    mentions: /data/,
  },
]);

suite('bundles and size', [
  {
    name: 'a bundle_add inside a bundle_add',
    message: {
      type: 'bundle_add',
      bundleId: 1,
      flags: {},
      message: { type: 'bundle_add', bundleId: 2, flags: {}, message: { type: 'barrier_request' } },
    },
    mentions: /bundle cannot contain bundle messages/,
  },
  {
    name: 'a bundle_control inside a bundle_add',
    message: {
      type: 'bundle_add',
      bundleId: 1,
      flags: {},
      message: { type: 'bundle_control', bundleId: 1, controlType: 'open_request', flags: {} },
    },
    mentions: /bundle cannot contain bundle messages/,
  },
  {
    name: 'an echo of 70,000 bytes',
    message: { type: 'echo_request', data: Buffer.alloc(70_000) },
    mentions: /echo_request message of 70008 bytes exceeds 65535/,
  },
  {
    name: 'a flow_mod with 5,000 actions',
    message: acts(...Array.from({ length: 5000 }, () => ({ type: 'output', port: 1 }))),
    mentions: /flow_mod message of \d+ bytes exceeds 65535/,
  },
  {
    name: 'a bundle_add whose inner message is 65,535 bytes',
    message: {
      type: 'bundle_add',
      bundleId: 1,
      flags: {},
      message: { type: 'echo_request', data: Buffer.alloc(65_535 - 8) },
    },
    mentions: /bundle_add message of \d+ bytes exceeds 65535/,
  },
  {
    name: 'a packet_out with 65,530 bytes of data',
    message: { type: 'packet_out', bufferId: 0xffffffff, inPort: 1, actions: [], data: Buffer.alloc(65_530) },
    mentions: /packet_out message of \d+ bytes exceeds 65535/,
  },
]);

suite('accepted by the encoder but refused by Open vSwitch 3.1 (ofp-print verified)', [
  {
    name: 'arp_op 0x300',
    message: m([
      { field: 'eth_type', value: 0x0806 },
      { field: 'arp_op', value: 0x300 },
    ]),
    mentions: /arp_op/,
  },
  {
    name: 'ct_state bit 0x100',
    message: m([{ field: 'ct_state', value: 0x100, mask: 0x100 }]),
    mentions: /ct_state/,
  },
  {
    name: 'in_port 0xff00',
    message: m([{ field: 'in_port', value: 0xff00 }]),
    mentions: /in_port/,
  },
  {
    name: 'ct_nw_src without a tracked connection',
    message: m([ip, { field: 'ct_nw_src', value: '10.0.0.1' }]),
    mentions: /ct_nw_src requires/,
  },
  {
    name: 'nd_target with icmpv6_code 3',
    message: m([
      { field: 'eth_type', value: 0x86dd },
      { field: 'nw_proto', value: 58 },
      { field: 'icmpv6_type', value: 135 },
      { field: 'icmpv6_code', value: 3 },
      { field: 'nd_target', value: '::1' },
    ]),
    mentions: /nd_target requires/,
  },
  {
    name: 'tcp_dst on later fragments',
    message: m([
      ip,
      { field: 'nw_proto', value: 6 },
      { field: 'ip_frag', value: 3, mask: 3 },
      { field: 'tcp_dst', value: 80 },
    ]),
    mentions: /tcp_dst requires/,
  },
  {
    name: 'masked set_field with value bits outside the mask',
    message: acts({ type: 'set_field', field: 'reg0', value: 0xff, mask: 0x0f }),
    mentions: /reg0/,
  },
  {
    name: 'set_field eth_type',
    message: acts({ type: 'set_field', field: 'eth_type', value: 0x800 }),
    mentions: /eth_type/,
  },
  {
    name: 'set_field in_port',
    message: acts({ type: 'set_field', field: 'in_port', value: 5 }),
    mentions: /in_port/,
  },
  {
    name: 'set_field ct_mark outside ct',
    message: acts({ type: 'set_field', field: 'ct_mark', value: 1 }),
    mentions: /ct_mark/,
  },
  {
    name: 'set_field vlan_vid without OFPVID_PRESENT',
    message: flowMod({
      match: [{ field: 'vlan_vid', value: 0x1005 }],
      instructions: [
        { type: 'apply_actions', actions: [{ type: 'set_field', field: 'vlan_vid', value: 5 }] },
      ],
    }),
    mentions: /vlan_vid/,
  },
  {
    name: 'ct force without commit',
    message: acts({ type: 'ct', force: true }),
    mentions: /force|commit/,
  },
  {
    name: 'ct exec without commit',
    message: acts({ type: 'ct', exec: [{ type: 'set_field', field: 'ct_mark', value: 1 }] }),
    mentions: /exec|commit/,
  },
  {
    name: 'ct nat(src) without commit',
    message: acts({ type: 'ct', nat: { kind: 'src' } }),
    mentions: /nat|commit/,
  },
  {
    name: 'ct zone from a 32-bit subfield',
    message: acts({ type: 'ct', zone: { field: 'reg0', start: 0, nBits: 32 } }),
    mentions: /zone/,
  },
  {
    name: 'nat range with min > max',
    message: acts({
      type: 'ct',
      commit: true,
      nat: { kind: 'src', addressMin: '10.0.0.9', addressMax: '10.0.0.1' },
    }),
    mentions: /nat/,
  },
  {
    name: 'conjunction with another action',
    message: acts({ type: 'conjunction', id: 1, clause: 1, nClauses: 2 }, { type: 'output', port: 1 }),
    mentions: /conjunction/,
  },
]);

describe('the error names the problem for a complete flow too', () => {
  it('an invalid flow in a bundle_add is refused before anything is written', () => {
    const bad: FlowMod = flowMod({ match: [{ field: 'tcp_dst', value: 80 }] });
    assert.throws(
      () => encodeMessage({ type: 'bundle_add', bundleId: 1, flags: { atomic: true }, message: bad }, 1),
      (e: unknown) =>
        e instanceof OpenFlowError && e.code === 'OF_INVALID_ARGUMENT' && /tcp_dst/.test(e.message),
    );
  });
});
