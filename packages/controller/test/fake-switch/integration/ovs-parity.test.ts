// The fake switch against the real thing: the same message sequences go to a real ovs-vswitchd
// (userspace datapath, its own namespace) and to a FakeSwitch, and what each answers — replies
// and error names with their xids — and the tables left behind must be identical; then packets
// traced through the same pipeline must take the same flows (table, priority, cookie) and leave
// by the same ports as `ovs-appctl ofproto/trace` says. This is what "answers like OVS" means,
// checked rather than claimed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OvsInstance } from '@weir/lab';
import {
  OFPG,
  OpenFlowConnection,
  OpenFlowListener,
  errorName,
  formatFlowStats,
  formatGroup,
  sendBundle,
  type BundleFlags,
  type Envelope,
  type FlowMod,
  type OpenFlowMessage,
} from '@weir/openflow';
import { FakeSwitch, makePacket, type Packet, type TraceResult } from '../../../src/fake-switch/index.js';
import { exchange, flow, flowStats, flows, groupMod } from '../helpers.js';
import { FLOOD, PIPELINE, REMOTE, TUNNEL_PORT, VM1, VM2, traceFlowText } from '../l2-pipeline.js';

const FLAGS: BundleFlags = { atomic: true, ordered: true };
type Control = 'open_request' | 'close_request' | 'commit_request' | 'discard_request';
const control = (bundleId: number, controlType: Control): OpenFlowMessage => ({
  type: 'bundle_control',
  bundleId,
  controlType,
  flags: FLAGS,
});
const add = (bundleId: number, message: OpenFlowMessage): OpenFlowMessage => ({
  type: 'bundle_add',
  bundleId,
  flags: FLAGS,
  message,
});
const withInstructions = (f: FlowMod, instructions: FlowMod['instructions']): FlowMod => ({
  ...f,
  instructions,
});
const deleteAll: FlowMod = flow('', 'delete');

type Step = readonly [OpenFlowMessage, number];

/** Each scenario starts from empty tables. */
const SCENARIOS: Record<string, readonly Step[]> = {
  'add-time refusal inside a bundle (goto_table backwards)': [
    [control(1, 'open_request'), 100],
    [add(1, flow('table=5,priority=1,actions=output:1')), 101],
    [
      add(1, withInstructions(flow('table=5,priority=2,actions=drop'), [{ type: 'goto_table', tableId: 3 }])),
      102,
    ],
    [add(1, flow('table=5,priority=3,actions=output:2')), 103],
    [control(1, 'commit_request'), 104],
  ],
  'commit-time refusals: missing group, existing group, unknown group': [
    [groupMod('add', 'group_id=20,type=all,bucket=actions=output:1'), 200],
    [control(2, 'open_request'), 201],
    [add(2, flow('table=6,priority=1,actions=output:1')), 202],
    [add(2, flow('table=6,priority=2,actions=group:99')), 203],
    [control(2, 'commit_request'), 204],
    [control(3, 'open_request'), 205],
    [add(3, flow('table=6,priority=3,actions=group:20')), 206],
    [add(3, groupMod('add', 'group_id=20,type=all,bucket=actions=output:3')), 207],
    [control(3, 'commit_request'), 208],
    [control(4, 'open_request'), 209],
    [
      add(4, groupMod('add', 'group_id=30,type=indirect,bucket=actions=output:1,bucket=actions=output:2')),
      210,
    ],
    [add(4, groupMod('modify', 'group_id=31,type=all,bucket=actions=output:1')), 211],
    [control(4, 'commit_request'), 212],
  ],
  'bundle control errors': [
    [control(44, 'commit_request'), 300],
    [control(45, 'open_request'), 301],
    [control(45, 'open_request'), 302],
    [add(46, flow('table=11,actions=drop')), 303],
    [control(46, 'commit_request'), 304],
    [control(47, 'discard_request'), 305],
    [control(48, 'open_request'), 306],
    [control(48, 'close_request'), 307],
    [add(48, flow('table=12,actions=drop')), 308],
    [control(48, 'commit_request'), 309],
    [control(49, 'open_request'), 310],
    [add(49, { type: 'barrier_request' }), 311],
    [control(49, 'commit_request'), 312],
  ],
  'flow-mod receipt checks': [
    [flow('table=7,actions=set_field:10.0.0.1->ip_dst,output:1'), 400],
    [flow('table=7,actions=move:NXM_OF_ARP_SPA[]->NXM_NX_REG0[]'), 401],
    [{ ...flow('actions=drop'), tableId: 254 }, 402],
    [{ ...flow('actions=drop'), tableId: 255 }, 403],
    [flow('table=15,priority=10,actions=goto_table:15'), 404],
    [flow('table=15,priority=11,actions=goto_table:254'), 405],
    [flow('table=1,priority=1,actions=dec_ttl,output:1'), 406],
    [flow('table=1,priority=2,ip,actions=ct(zone=NXM_OF_TCP_SRC[])'), 407],
    [flow('table=1,priority=3,actions=output:NXM_OF_IP_SRC[0..15]'), 408],
    [flow('table=1,priority=4,actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1'), 409],
    [flow('table=1,priority=5,actions=set_field:4097->vlan_vid,output:1'), 410],
    [flow('table=15,priority=8,ip,actions=set_field:80->tcp_dst,output:1'), 411],
    [flow('table=15,priority=12,actions=write_actions(set_field:10.0.0.1->ip_dst)'), 412],
    [flow('table=15,priority=14,actions=learn(table=30,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[])'), 413],
    [
      withInstructions(flow('table=13,priority=3,actions=drop'), [
        { type: 'apply_actions', actions: [{ type: 'output', port: 0xffffffff }] },
      ]),
      414,
    ],
    [
      withInstructions(flow('table=13,priority=4,actions=drop'), [
        { type: 'apply_actions', actions: [{ type: 'output', port: 0xff00 }] },
      ]),
      415,
    ],
    [withInstructions(flow('table=1,priority=6,actions=drop'), [{ type: 'meter', meterId: 1 }]), 416],
    [flow('table=15,ip,actions=ct(table=254)'), 417],
  ],
  'add, modify and delete semantics': [
    [flow('table=20,priority=1,cookie=0x11,reg0=1,actions=output:1'), 500],
    [flow('table=20,priority=2,cookie=0x12,reg0=1,reg1=2,actions=output:2'), 501],
    [flow('table=20,priority=3,cookie=0x21,reg0=0x1/0x1,actions=output:1'), 502],
    [flow('table=21,priority=4,cookie=0x23,actions=write_actions(output:1)'), 503],
    [flow('table=22,priority=1,cookie=0x1,actions=output:1'), 504],
    [flow('table=22,priority=1,cookie=0x2,actions=output:2'), 505],
    [{ ...flow('table=22,priority=1,actions=output:3', 'modify_strict'), cookie: 0x5n }, 506],
    [flow('table=23,priority=5,reg0=1,actions=drop', 'modify'), 507],
    [flow('table=23,priority=5,reg0=2,actions=drop', 'modify_strict'), 508],
    [{ ...flow('reg0=1,actions=output:9', 'modify'), tableId: 255 }, 509],
    [{ ...flow('reg0=1', 'delete'), outPort: 2 }, 510],
    [flow('table=20,reg0=1,actions=output:7', 'modify'), 511],
    [{ ...flow('reg0=1', 'delete'), cookie: 0x10n, cookieMask: 0xf0n }, 512],
    [{ ...flow('', 'delete'), tableId: 21, outPort: 1 }, 513],
    [flow('table=24,priority=5,reg0=1,actions=drop'), 514],
    [flow('table=24,priority=5,reg0=1,check_overlap,actions=output:1'), 515],
    [flow('table=24,priority=5,reg0=0x1/0x1,check_overlap,actions=output:1'), 516],
    [flow('table=24,priority=5,reg1=1,check_overlap,actions=output:1'), 517],
  ],
  'groups and the flows that use them': [
    [groupMod('add', 'group_id=1,type=all,bucket=actions=output:1'), 600],
    [groupMod('add', 'group_id=1,type=all,bucket=actions=output:2'), 601],
    [groupMod('modify', 'group_id=2,type=all,bucket=actions=output:1'), 602],
    [groupMod('delete', 'group_id=3,type=all'), 603],
    [groupMod('modify', 'group_id=1,type=select,bucket=actions=output:1'), 604],
    [groupMod('add', 'group_id=6,type=indirect'), 605],
    [groupMod('add', 'group_id=7,type=ff,bucket=actions=output:1'), 606],
    [groupMod('add', 'group_id=8,type=all,bucket=actions=group:77'), 607],
    [groupMod('add', 'group_id=9,type=select,bucket=weight:0,actions=output:1'), 608],
    [groupMod('add', 'group_id=10,type=all,bucket=actions=set_field:10.0.0.1->ip_dst,output:1'), 609],
    [flow('table=9,priority=9,actions=group:1'), 610],
    [flow('table=9,priority=8,actions=write_actions(group:9)'), 611],
    [groupMod('delete', 'group_id=1,type=all'), 612],
    [{ ...groupMod('delete', 'group_id=0,type=all'), groupId: OFPG.ANY }, 613],
  ],
  'requests a switch does not serve': [
    [{ type: 'unknown', msgType: 30, body: Buffer.alloc(0) }, 700],
    [{ type: 'unknown', msgType: 4, experimenter: 0x1234, expType: 1, body: Buffer.alloc(0) }, 701],
    [{ type: 'unknown', msgType: 4, experimenter: 0x2320, expType: 999, body: Buffer.alloc(0) }, 702],
    [{ type: 'barrier_reply' }, 703],
    [
      {
        type: 'multipart_request',
        more: false,
        body: { kind: 'unknown', mpType: 0x77, body: Buffer.alloc(0) },
      },
      704,
    ],
    [{ type: 'hello', versions: [4] }, 705],
    [{ type: 'echo_reply', data: Buffer.alloc(0) }, 706],
    [{ type: 'set_config', flags: 0, missSendLen: 1234 }, 707],
    [{ type: 'get_config_request' }, 708],
    [{ type: 'packet_out', bufferId: 7, inPort: 1, actions: [], data: Buffer.alloc(0) }, 709],
  ],
};

/** What the switch said (in order) and the tables it was left with. */
async function transcript(conn: OpenFlowConnection, steps: readonly Step[]): Promise<string[]> {
  const said = (await exchange(conn, steps)).map(({ xid, message: m }: Envelope) => {
    if (m.type === 'error') return `${xid} ${errorName(m)}`;
    if (m.type === 'bundle_control') return `${xid} ${m.controlType}`;
    if (m.type === 'get_config_reply') return `${xid} get_config_reply ${m.missSendLen}`;
    return `${xid} ${m.type}`;
  });
  const flows = (await flowStats(conn)).map((f) => formatFlowStats(f)).sort();
  const groups = (await conn.multipart({ kind: 'group_desc' }))
    .flatMap((p) => (p.kind === 'group_desc' ? p.groups : []))
    .map(formatGroup)
    .sort();
  return [...said, '--', ...flows, '--', ...groups];
}

describe('fake switch and a real ovs-vswitchd answer the same', () => {
  let ovs: OvsInstance;
  let listener: OpenFlowListener;
  let real: OpenFlowConnection;

  before(async () => {
    ovs = await OvsInstance.start({ name: `fsp${process.pid}` });
    const socket = `unix:${ovs.rundir}/of.sock`;
    listener = new OpenFlowListener(socket, { echoIntervalMs: 2000 });
    await listener.listen();
    const first = new Promise<OpenFlowConnection>((resolve) => listener.once('switch', resolve));
    await ovs.addBridge('br-int', { controller: socket, datapathId: '00000000000000c1' });
    real = await first;
    for (const p of [1, 2, 3]) {
      await ovs.vsctl([
        'add-port',
        'br-int',
        `p${p}`,
        '--',
        'set',
        'interface',
        `p${p}`,
        'type=internal',
        `ofport_request=${p}`,
      ]);
    }
    await ovs.vsctl([
      'add-port',
      'br-int',
      'tun0',
      '--',
      'set',
      'interface',
      'tun0',
      'type=geneve',
      'options:remote_ip=flow',
      'options:key=flow',
      `ofport_request=${TUNNEL_PORT}`,
    ]);
  });
  after(async () => {
    await listener?.close();
    await ovs?.stop();
  });

  for (const [name, steps] of Object.entries(SCENARIOS)) {
    it(name, async () => {
      await clear(real); // the fake is new
      const sw = new FakeSwitch({ datapathId: 0xc1n });
      const fake = await OpenFlowConnection.open(sw.openChannel());
      try {
        assert.deepEqual(await transcript(fake, steps), await transcript(real, steps));
        assert.deepEqual(sw.faults, []);
      } finally {
        fake.close();
      }
    });
  }

  it('traces packets through an L2 pipeline as ofproto/trace does', async () => {
    await clear(real);
    await sendBundle(real, [groupMod('add', FLOOD), ...flows(PIPELINE)]);
    const sw = new FakeSwitch();
    for (const p of [1, 2, 3]) sw.addPort(p, `p${p}`);
    sw.addPort(TUNNEL_PORT, 'tun0');
    sw.apply([groupMod('add', FLOOD), ...flows(PIPELINE)]);
    const packets: Packet[] = [
      makePacket({
        kind: 'ip',
        in_port: 1,
        eth_src: VM1,
        eth_dst: VM2,
        ip_src: '10.0.0.5',
        ip_dst: '10.0.0.6',
      }),
      makePacket({
        kind: 'arp',
        in_port: 1,
        eth_src: VM1,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.9',
      }),
      makePacket({
        kind: 'arp',
        in_port: 1,
        eth_src: VM1,
        eth_dst: 'ff:ff:ff:ff:ff:ff',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.1',
      }),
      makePacket({ kind: 'udp', in_port: 1, eth_src: VM1, eth_dst: REMOTE, udp_dst: 53 }),
      makePacket({
        kind: 'udp',
        in_port: TUNNEL_PORT,
        tun_id: 0x64n,
        tun_src: '192.168.0.2',
        eth_src: REMOTE,
        eth_dst: VM2,
      }),
      makePacket({ kind: 'ip', in_port: 1, eth_src: VM2, eth_dst: VM1 }),
      makePacket({ kind: 'ip', in_port: 2, eth_src: VM2, eth_dst: 'fa:16:3e:00:00:77' }),
      makePacket({ in_port: 3, eth_src: VM1, eth_dst: VM2 }),
    ];
    for (const p of packets) {
      const theirs = parseOfprotoTrace(
        await ovs.appctl(['ofproto/trace', 'br-int', traceFlowText(p)]),
        p.in_port ?? 0,
      );
      assert.deepEqual(summary(sw.trace(p)), theirs, traceFlowText(p));
    }
  });
});

async function clear(conn: OpenFlowConnection): Promise<void> {
  conn.send(deleteAll);
  conn.send({ ...groupMod('delete', 'group_id=0,type=all'), groupId: OFPG.ALL });
  await conn.barrier();
}

interface TraceSummary {
  /** "table priority cookie" per flow hit, "table miss" per miss. */
  readonly path: string[];
  readonly outputs: number[];
  /** Outputs to the packet's own in_port, which OVS skips. */
  readonly skipped: number[];
}

function summary(t: TraceResult): TraceSummary {
  return {
    path: t.path.map((s) =>
      s.miss ? `${s.tableId} miss` : `${s.tableId} ${s.priority} 0x${s.cookie.toString(16)}`,
    ),
    outputs: t.outputs.map((o) => o.port),
    skipped: t.drops.filter((d) => d.reason === 'in_port').map((d) => d.port ?? -1),
  };
}

/** The steps and outputs in ofproto/trace's report (OVS 3.1 layout). */
function parseOfprotoTrace(text: string, inPort: number): TraceSummary {
  const lines = text.split('\n');
  const out: { path: string[]; outputs: number[]; skipped: number[] } = {
    path: [],
    outputs: [],
    skipped: [],
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('Final flow:')) break;
    const step = /^\s*(\d+)\. (?:No match\.|.*priority (\d+)(?:, cookie (0x[0-9a-f]+))?)$/.exec(line);
    if (step) {
      out.path.push(step[2] === undefined ? `${step[1]} miss` : `${step[1]} ${step[2]} ${step[3] ?? '0x0'}`);
      continue;
    }
    const output = /^\s*(?:output:(\d+)|(IN_PORT))$/.exec(line);
    if (!output) continue;
    const port = output[2] ? inPort : Number(output[1]);
    if ((lines[i + 1] ?? '').includes('skipping output to input port')) out.skipped.push(port);
    else out.outputs.push(port);
  }
  return out;
}
