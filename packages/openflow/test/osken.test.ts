// os-ken as a second, independent encoder: fixtures/osken-encode.py builds a set of messages with
// os_ken.ofproto.ofproto_v1_3_parser and its Nicira actions; we build the same messages with our
// types and compare the bytes. Where os-ken's encoding choices legitimately differ from Open
// vSwitch's (ovs-ofctl is the primary oracle, see vectors.test.ts), we compare the decoded
// structure instead and say why next to the case.
// Needs Debian's python3-os-ken, run with /usr/bin/python3 (the pyenv python3 on PATH cannot
// import Debian's dist-packages).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import {
  OFPP,
  OpenFlowError,
  decodeMessage,
  encodeMessage,
  flowMod,
  type Action,
  type FlowMod,
  type Instruction,
  type Match,
  type OpenFlowMessage,
} from '../src/index.js';
import { canonicalMessage, show } from './helpers.js';

const XID = 0x12345678;
const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('fixtures/osken-encode.py', import.meta.url).pathname;

const apply = (...actions: Action[]): Instruction[] => [{ type: 'apply_actions', actions }];
const ip = { field: 'eth_type', value: 0x0800 } as const;
/** The attributes fixtures/osken-encode.py's flow() gives every flow. */
const flow = (
  match: Match,
  instructions: Instruction[],
  fields: Partial<Omit<FlowMod, 'type'>> = {},
): FlowMod =>
  flowMod({ tableId: 3, priority: 100, cookie: 0xabcn, idleTimeout: 30, match, instructions, ...fields });

const tcpMatch: Match = [
  ip,
  { field: 'ip_dst', value: '10.0.0.0', mask: '255.0.0.0' },
  { field: 'nw_proto', value: 6 },
  { field: 'tcp_dst', value: 80 },
];

const OXM_ORDER = 'os-ken orders OXM fields by header number, Open vSwitch by nx_put_raw order';

interface Case {
  readonly message: OpenFlowMessage;
  /** Why only the decoded structure is compared, when os-ken's bytes differ legitimately. */
  readonly structureOnly?: string;
}

const CASES: Record<string, Case> = {
  flow_match_and_reg_actions: {
    message: flow(
      [{ field: 'reg0', value: 5 }, ...tcpMatch],
      apply(
        { type: 'set_field', field: 'ip_src', value: '192.168.0.1' },
        {
          type: 'move',
          src: { field: 'reg0', start: 0, nBits: 16 },
          dst: { field: 'reg1', start: 16, nBits: 16 },
        },
        { type: 'load', dst: { field: 'reg2', start: 4, nBits: 8 }, value: 5n },
        { type: 'set_field', field: 'reg3', value: 0x50, mask: 0xf0f0 },
        { type: 'resubmit', table: 10 },
        { type: 'output', port: 2 },
      ),
    ),
    // os-ken sorts OXM fields by their header number (Nicira class 1 before OpenFlow class
    // 0x8000, and within a class by field number), so reg0 comes first and ipv4_dst after
    // ip_proto; Open vSwitch (and we, byte-exactly, see vectors.test.ts) use nx_put_raw's order.
    // Switches accept either order, so only the decoded structure is compared.
    structureOnly: OXM_ORDER,
  },
  flow_match_ovs_order: {
    message: flowMod({
      priority: 5,
      match: tcpMatch,
      instructions: apply({ type: 'output', port: OFPP.CONTROLLER, maxLen: 0xffff }),
    }),
    // Even given in Open vSwitch's order, os-ken re-sorts the fields (ipv4_dst after ip_proto).
    structureOnly: OXM_ORDER,
  },
  flow_ct_nat: {
    message: flow(
      [ip],
      apply(
        {
          type: 'ct',
          commit: true,
          zone: { field: 'reg6', start: 0, nBits: 16 },
          table: 20,
          nat: {
            kind: 'dst',
            addressMin: '10.0.1.1',
            addressMax: '10.0.1.3',
            persistent: true,
          },
          exec: [{ type: 'set_field', field: 'ct_mark', value: 1 }],
        },
        { type: 'ct_clear' },
      ),
    ),
  },
  flow_ct_zone: { message: flow([ip], apply({ type: 'ct', zone: 5 })) },
  flow_conjunction: {
    message: flow(
      [ip],
      apply(
        { type: 'conjunction', id: 42, clause: 1, nClauses: 2 },
        { type: 'conjunction', id: 7, clause: 3, nClauses: 3 },
      ),
    ),
  },
  flow_learn: {
    message: flow(
      [],
      apply({
        type: 'learn',
        table: 10,
        idleTimeout: 30,
        hardTimeout: 60,
        priority: 100,
        cookie: 5n,
        finIdleTimeout: 5,
        finHardTimeout: 10,
        specs: [
          {
            kind: 'match',
            dst: { field: 'eth_dst', start: 0, nBits: 48 },
            src: { field: 'eth_src', start: 0, nBits: 48 },
          },
          { kind: 'match', dst: { field: 'eth_type', start: 0, nBits: 16 }, value: 0x800n },
          {
            kind: 'load',
            dst: { field: 'reg1', start: 0, nBits: 32 },
            src: { field: 'reg0', start: 0, nBits: 32 },
          },
          { kind: 'load', dst: { field: 'reg2', start: 0, nBits: 8 }, value: 1n },
          { kind: 'output', src: { field: 'in_port', start: 0, nBits: 16 } },
        ],
      }),
    ),
  },
  flow_controller2: {
    message: flow(
      [ip],
      apply(
        {
          type: 'controller',
          maxLen: 128,
          controllerId: 3,
          reason: 'no_match',
          userdata: Buffer.from([1, 2, 3]),
          pause: true,
        },
        { type: 'note', data: Buffer.from([1, 2, 3, 4, 5, 6]) },
        { type: 'dec_ttl', controllerIds: [1, 2] },
        { type: 'exit' },
      ),
    ),
  },
  flow_instructions: {
    message: flow(
      [{ field: 'in_port', value: 1 }],
      [
        { type: 'goto_table', tableId: 5 },
        { type: 'write_metadata', metadata: 5n, mask: 0xffn },
        {
          type: 'write_actions',
          actions: [
            { type: 'group', groupId: 5 },
            { type: 'set_queue', queueId: 3 },
          ],
        },
        { type: 'clear_actions' },
        {
          type: 'apply_actions',
          actions: [
            { type: 'push_vlan', ethertype: 0x8100 },
            { type: 'set_field', field: 'vlan_vid', value: 0x1005 },
          ],
        },
        { type: 'meter', meterId: 1 },
      ],
      { flags: { sendFlowRem: true } },
    ),
  },
  flow_delete: {
    message: flowMod({
      command: 'delete',
      cookie: 0x1000000000000000n,
      cookieMask: 0xf000000000000000n,
      outPort: 3,
    }),
  },
  group_select: {
    message: {
      type: 'group_mod',
      command: 'add',
      groupType: 'select',
      groupId: 7,
      buckets: [
        { weight: 10, watchPort: OFPP.ANY, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 1 }] },
        {
          weight: 20,
          watchPort: OFPP.ANY,
          watchGroup: 0xffffffff,
          actions: [
            { type: 'set_field', field: 'reg7', value: 3 },
            { type: 'resubmit', table: 20 },
          ],
        },
      ],
    },
  },
  packet_out: {
    message: {
      type: 'packet_out',
      bufferId: 0xffffffff,
      inPort: OFPP.CONTROLLER,
      actions: [{ type: 'output', port: OFPP.TABLE }],
      data: Buffer.from('ffffffffffff0200000000010806', 'hex'),
    },
  },
  barrier: { message: { type: 'barrier_request' } },
  role: { message: { type: 'role_request', role: 'master', generationId: 5n } },
  bundle_ctrl: {
    message: {
      type: 'bundle_control',
      bundleId: 7,
      controlType: 'open_request',
      flags: { atomic: true, ordered: true },
    },
  },
  bundle_add: {
    message: {
      type: 'bundle_add',
      bundleId: 7,
      flags: { atomic: true },
      message: flow([ip], apply({ type: 'output', port: 1 })),
    },
  },
};

describe('os-ken encodes the same messages the same way', () => {
  let osken: Record<string, string> = {};
  before(() => {
    let out: string;
    try {
      out = execFileSync(PYTHON, [SCRIPT], { encoding: 'utf8', timeout: 30_000 });
    } catch (error) {
      assert.fail(
        `${PYTHON} ${SCRIPT} failed (is Debian's python3-os-ken installed?): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    osken = JSON.parse(out) as Record<string, string>;
  });

  it('the script and this test cover the same messages', () => {
    assert.deepStrictEqual(Object.keys(osken).sort(), [...Object.keys(CASES), 'flow_ct_nat_ports'].sort());
  });

  it("os-ken's unpadded NXAST_NAT (a range of 28 bytes) is rejected cleanly", () => {
    // os-ken declares the NAT action 32 bytes long but writes 28; ovs-ofctl ofp-print rejects
    // these bytes too (OFPBAC_BAD_LEN). Our decoder must refuse them with an OpenFlowError.
    const bytes = Buffer.from(osken.flow_ct_nat_ports ?? '', 'hex');
    assert.throws(
      () => decodeMessage(bytes),
      (e: unknown) => e instanceof OpenFlowError && ['OF_BAD_LENGTH', 'OF_TRUNCATED'].includes(e.code),
    );
    // Our encoding of the same action is padded.
    const ours = encodeMessage(
      flow(
        [ip],
        apply({
          type: 'ct',
          commit: true,
          nat: { kind: 'dst', addressMin: '10.0.1.1', addressMax: '10.0.1.3', portMin: 8080, portMax: 8090 },
        }),
      ),
      XID,
    );
    assert.equal(ours.length % 8, 0);
    assert.equal(ours.readUInt16BE(2), ours.length);
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const theirs = osken[name];
      assert.ok(theirs, `os-ken produced no ${name}`);
      const ours = encodeMessage(c.message, XID).toString('hex');
      // os-ken's bytes decode to the canonical form of our typed message (the decoder returns
      // match fields in wire order, so theirs are put in canonical order first).
      const decodedTheirs = decodeMessage(Buffer.from(theirs, 'hex'));
      assert.equal(decodedTheirs.xid, XID);
      assert.deepStrictEqual(
        canonicalMessage(decodedTheirs.message),
        canonicalMessage(c.message),
        show(decodedTheirs.message),
      );
      if (c.structureOnly === undefined) {
        assert.equal(ours, theirs);
      } else {
        // Same length, same fields, different order: recorded so a change on either side shows.
        assert.notEqual(ours, theirs, `bytes now agree: drop structureOnly (${c.structureOnly})`);
        assert.equal(ours.length, theirs.length);
      }
    });
  }
});
