// The codec and channel against a real ovs-vswitchd (userspace datapath): bundles, atomic
// rollback, read-back through flow stats compared with ovs-ofctl's own dump, groups, packet-out →
// packet-in (standard and NXT_PACKET_IN2 with userdata), port status.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BundleError,
  OFPP,
  formatFlowStats,
  formatGroup,
  parseFlows,
  parseGroup,
  sendBundle,
  SwitchError,
  type Envelope,
  type FlowMod,
  type OpenFlowMessage,
} from '../../src/index.js';
import { startSwitch, type SwitchHarness } from './harness.js';

const PIPELINE = `
table=0,priority=100,in_port=1,ip,actions=ct(table=10,zone=NXM_NX_REG6[0..15])
table=0,priority=90,tun_id=0x64,in_port=100,actions=load:0x5->NXM_NX_REG6[],resubmit(,20)
table=0,priority=0,actions=drop
table=10,priority=200,ct_state=+trk+est-new,ip,actions=resubmit(,20)
table=10,priority=100,ct_state=+trk+new,ip,reg6=0x5,actions=ct(commit,zone=NXM_NX_REG6[0..15],exec(set_field:0x1/0x1->ct_mark)),resubmit(,20)
table=10,priority=150,ct_state=+trk,ct_mark=0x1/0x1,ip,nw_dst=10.0.0.10,actions=ct(commit,table=20,zone=5,nat(dst=10.0.1.1-10.0.1.3:8080))
table=20,priority=300,ip,nw_src=10.0.0.0/24,actions=conjunction(42,1/2)
table=20,priority=300,tcp,tp_dst=80,actions=conjunction(42,2/2)
table=20,priority=300,conj_id=42,ip,actions=group:7
table=20,priority=200,reg7=0x3,actions=set_field:192.168.0.2->tun_dst,set_field:0x64->tun_id,output:100
table=20,priority=100,arp,arp_op=1,arp_tpa=10.0.0.1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:02:00:00:00:00:01->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],set_field:02:00:00:00:00:01->arp_sha,move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:10.0.0.1->arp_spa,IN_PORT
table=20,priority=50,ip,actions=learn(table=30,idle_timeout=30,priority=100,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_NX_REG6[]->NXM_NX_REG7[]),dec_ttl,resubmit(,30)
table=30,priority=0,cookie=0xabc,actions=controller(userdata=01.02.03)
`;

function flowStatsRequest(): {
  kind: 'flow';
  tableId: number;
  outPort: number;
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: [];
} {
  return {
    kind: 'flow',
    tableId: 0xff,
    outPort: OFPP.ANY,
    outGroup: 0xffffffff,
    cookie: 0n,
    cookieMask: 0n,
    match: [],
  };
}

describe('OpenFlow channel against a real ovs-vswitchd', () => {
  let sw: SwitchHarness;
  before(async () => {
    sw = await startSwitch('of');
  });
  after(async () => {
    await sw?.stop();
  });

  it('negotiates OpenFlow 1.3 and reads the datapath id', () => {
    assert.equal(sw.conn.datapathId, 0xc1n);
  });

  it('installs ct/nat/group/conjunction/learn/tunnel flows in one bundle and reads back exactly what ovs-ofctl dumps', async () => {
    await sw.ovs.vsctl([
      'add-port',
      'br-int',
      'gnv0',
      '--',
      'set',
      'interface',
      'gnv0',
      'type=geneve',
      'options:remote_ip=flow',
      'options:key=flow',
      'ofport_request=100',
    ]);
    const group = parseGroup(
      'group_id=7,type=select,bucket=weight:10,actions=output:100,bucket=weight:20,actions=set_field:0x3->reg7,resubmit(,20)',
    );
    const messages: OpenFlowMessage[] = [
      { type: 'group_mod', command: 'add', ...group },
      ...parseFlows(PIPELINE),
    ];
    await sendBundle(sw.conn, messages);

    const replies = await sw.conn.multipart(flowStatsRequest());
    const ours = replies
      .flatMap((r) => (r.kind === 'flow' ? r.flows : []))
      .map((f) => formatFlowStats(f))
      .sort();
    assert.deepEqual(ours, await sw.dumpFlows());
    assert.equal(ours.length, parseFlows(PIPELINE).length);

    const groups = (await sw.conn.multipart({ kind: 'group_desc' })).flatMap((r) =>
      r.kind === 'group_desc' ? r.groups : [],
    );
    const dumped = (await sw.ovs.ofctl('br-int', 'dump-groups'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('group_id'));
    assert.deepEqual(groups.map(formatGroup), dumped);
  });

  it('rolls a failing bundle back atomically and names the failing message', async () => {
    const before = await sw.dumpFlows();
    const bad = parseFlows(`
table=40,priority=1,actions=output:1
table=40,priority=2,actions=group:999
table=40,priority=3,actions=output:2`);
    await assert.rejects(sendBundle(sw.conn, bad), (error: unknown) => {
      assert.ok(error instanceof BundleError, String(error));
      assert.equal(error.failedIndex, 1);
      assert.ok(error.switchErrors.includes('OFPBAC_BAD_OUT_GROUP'), error.switchErrors.join());
      return true;
    });
    assert.deepEqual(await sw.dumpFlows(), before, 'no flow of the failed bundle may remain');
    // The connection is still usable.
    await sw.conn.barrier();
  });

  it('deletes flows by cookie mask in a bundle', async () => {
    const cookieFlows: FlowMod[] = parseFlows(`
table=50,cookie=0x1000000000000001,priority=1,actions=drop
table=50,cookie=0x1000000000000002,priority=2,actions=drop
table=50,cookie=0x2000000000000003,priority=3,actions=drop`);
    await sendBundle(sw.conn, cookieFlows);
    const del: FlowMod = {
      ...cookieFlows[0]!,
      command: 'delete',
      tableId: 50,
      cookie: 0x1000000000000000n,
      cookieMask: 0xf000000000000000n,
      match: [],
      instructions: [],
    };
    await sendBundle(sw.conn, [del]);
    const left = (await sw.dumpFlows()).filter((l) => l.includes('table=50'));
    assert.deepEqual(left, ['cookie=0x2000000000000003, table=50, priority=3 actions=drop']);
  });

  it('sends a packet-out that comes back as a packet-in, standard and NXT_PACKET_IN2 with userdata', async () => {
    const frame = Buffer.from('ffffffffffff0200000000018' + '9b5' + '00'.repeat(46), 'hex');
    await sendBundle(
      sw.conn,
      parseFlows(`
table=0,priority=500,dl_type=0x89b5,actions=CONTROLLER:65535
table=0,priority=500,dl_type=0x89b6,actions=controller(userdata=ca.fe,pause)`),
    );
    const nextAsync = (type: string): Promise<Envelope> =>
      new Promise((resolve) => {
        const on = (env: Envelope): void => {
          if (env.message.type === type) {
            sw.conn.off('message', on);
            resolve(env);
          }
        };
        sw.conn.on('message', on);
      });

    let waiting = nextAsync('packet_in');
    sw.conn.send({
      type: 'packet_out',
      bufferId: 0xffffffff,
      inPort: OFPP.CONTROLLER,
      actions: [{ type: 'output', port: OFPP.TABLE }],
      data: frame,
    });
    const pin = (await waiting).message;
    assert.equal(pin.type, 'packet_in');
    if (pin.type !== 'packet_in') return;
    assert.deepEqual(Buffer.from(pin.data), frame);
    assert.equal(pin.reason, 'action');
    assert.ok(
      pin.match.some((e) => e.field === 'in_port' && e.value === OFPP.CONTROLLER),
      JSON.stringify(pin.match),
    );

    sw.conn.send({ type: 'nx_set_packet_in_format', format: 'nxt_packet_in2' });
    const frame2 = Buffer.from(frame);
    frame2.writeUInt16BE(0x89b6, 12);
    waiting = nextAsync('nx_packet_in2');
    sw.conn.send({
      type: 'packet_out',
      bufferId: 0xffffffff,
      inPort: OFPP.CONTROLLER,
      actions: [{ type: 'output', port: OFPP.TABLE }],
      data: frame2,
    });
    const pin2 = (await waiting).message;
    assert.equal(pin2.type, 'nx_packet_in2');
    if (pin2.type !== 'nx_packet_in2') return;
    assert.deepEqual(Buffer.from(pin2.data), frame2);
    assert.deepEqual(pin2.userdata && Buffer.from(pin2.userdata), Buffer.from([0xca, 0xfe]));
    assert.ok(pin2.continuation && pin2.continuation.length > 0, 'pause yields a continuation');
    // Resume the paused pipeline: the switch accepts our NXT_RESUME (a barrier proves it processed it).
    sw.conn.send({
      type: 'nx_resume',
      data: pin2.data,
      metadata: pin2.metadata,
      continuation: pin2.continuation,
    });
    await sw.conn.barrier();
    sw.conn.send({ type: 'nx_set_packet_in_format', format: 'standard' });
  });

  it('reports port status when a port is added', async () => {
    const status = new Promise<Envelope>((resolve) => {
      const on = (env: Envelope): void => {
        if (env.message.type === 'port_status' && env.message.port.name === 'p-test') {
          sw.conn.off('message', on);
          resolve(env);
        }
      };
      sw.conn.on('message', on);
    });
    await sw.ovs.vsctl([
      'add-port',
      'br-int',
      'p-test',
      '--',
      'set',
      'interface',
      'p-test',
      'type=internal',
      'ofport_request=7',
    ]);
    const m = (await status).message;
    assert.ok(m.type === 'port_status' && m.reason === 'add' && m.port.portNo === 7);
  });

  it('reads port descriptions and the switch description', async () => {
    const ports = (await sw.conn.multipart({ kind: 'port_desc' })).flatMap((r) =>
      r.kind === 'port_desc' ? r.ports : [],
    );
    assert.ok(ports.some((p) => p.name === 'gnv0' && p.portNo === 100));
    assert.ok(ports.some((p) => p.portNo === OFPP.LOCAL && p.name === 'br-int'));
    const desc = (await sw.conn.multipart({ kind: 'desc' }))[0];
    assert.ok(desc?.kind === 'desc' && desc.desc.manufacturer.includes('Nicira'));
  });

  it('turns a request the switch rejects into a SwitchError and keeps the connection', async () => {
    await assert.rejects(
      sw.conn.request({
        type: 'multipart_request',
        more: false,
        body: { kind: 'unknown', mpType: 0x77, body: Buffer.alloc(0) },
      }),
      (error: unknown) => error instanceof SwitchError && error.errorName === 'OFPBRC_BAD_STAT',
    );
    await sw.conn.barrier();
  });
});
