// Tracer semantics one at a time: resubmit depth limit and in_port handling, conntrack
// recirculation, select and fast-failover groups, conjunctions, dec_ttl, packet-ins with
// userdata, learn, write_actions, packet-out actions, and makePacket.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CT_STATE, OFPP } from '@weir/openflow';
import { FakeSwitch, formatTrace, makePacket } from '../../src/fake-switch/index.js';
import { flows, groupMod } from './helpers.js';

function fake(text: string, ...groups: string[]): FakeSwitch {
  const sw = new FakeSwitch();
  for (const p of [1, 2, 3, 4]) sw.addPort(p, `p${p}`);
  sw.apply([...groups.map((g) => groupMod('add', g)), ...flows(text)]);
  return sw;
}

describe('fake switch: tracer semantics', () => {
  it('stops a resubmit loop at 64 levels like OVS, drops the packet and says why', () => {
    const sw = fake(`
table=0,actions=output:2,resubmit(,50)
table=50,cookie=0x50,actions=load:0x1->NXM_NX_REG0[],resubmit(,50)`);
    const t = sw.trace(makePacket({ in_port: 1 }));
    assert.equal(t.error, 'too_deep');
    assert.equal(t.dropped, true);
    assert.deepEqual(t.outputs, [], 'a failed translation drops the packet, outputs included');
    assert.equal(t.drops[0]?.reason, 'translation_error');
    assert.equal(t.path.length, 64);
    assert.equal(Math.max(...t.path.map((s) => s.depth)), 63);
    // A deep but finite chain is fine.
    const chain = fake(
      Array.from({ length: 60 }, (_, i) => `table=${i},actions=resubmit(,${i + 1})`).join('\n') +
        '\ntable=60,actions=output:2',
    );
    const ok = chain.trace(makePacket({ in_port: 1 }));
    assert.equal(ok.error, undefined);
    assert.deepEqual(
      ok.outputs.map((o) => o.port),
      [2],
    );
  });

  it('resubmit(port,table) looks up with that in_port, restores it, and continues with the next action', () => {
    const sw = fake(`
table=0,in_port=1,actions=resubmit(3,5),set_field:0x2->reg2,output:2
table=5,in_port=3,actions=load:0x7->NXM_NX_REG1[],move:NXM_OF_IN_PORT[]->NXM_NX_REG3[0..15]
table=5,priority=0,actions=drop`);
    const t = sw.trace(makePacket({ in_port: 1 }));
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.packet.reg1, o.packet.reg2, o.packet.reg3, o.packet.in_port]),
      [[2, 7, 2, 1, 1]],
      formatTrace(t),
    );
    assert.equal(t.path[1]?.via, 'resubmit');
  });

  it('ct(table=N) recirculates a copy with ct_state and zone; the original continues untracked', () => {
    const sw = fake(`
table=0,ip,actions=load:0x9->NXM_NX_REG4[],ct(table=5,zone=NXM_NX_REG4[0..15])
table=5,ct_state=+trk+new,ip,actions=ct(commit,zone=9,exec(set_field:0x1->ct_mark)),output:2
table=5,ct_state=+trk+est,ip,actions=output:3`);
    const p = makePacket({ kind: 'ip', in_port: 1, ip_src: '10.0.0.1', ip_dst: '10.0.0.2' });
    const t = sw.trace(p);
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.packet.ct_state, o.packet.ct_zone]),
      [[2, CT_STATE.trk | CT_STATE.new, 9]],
      formatTrace(t),
    );
    assert.deepEqual(
      t.path.map((s) => [s.tableId, s.via]),
      [
        [0, 'start'],
        [5, 'ct'],
      ],
    );
    assert.equal(t.packet.ct_state, undefined, 'the original packet was not tracked');
    const est = sw.trace(p, { ctState: CT_STATE.trk | CT_STATE.est });
    assert.deepEqual(
      est.outputs.map((o) => o.port),
      [3],
    );
    const perZone = sw.trace(p, { ctState: (_packet, zone) => (zone === 9 ? 0x22 : 0x21) });
    assert.equal(perZone.outputs[0]?.port, 3);
  });

  it('select groups pick a bucket by weight and hash, the same one every time; ff groups follow liveness', () => {
    const sw = fake(
      'table=0,in_port=1,actions=group:1\ntable=0,in_port=2,actions=group:2',
      'group_id=1,type=select,bucket=weight:0,actions=output:2,bucket=weight:5,actions=output:3,bucket=weight:5,actions=output:4',
      'group_id=2,type=ff,bucket=watch_port:3,actions=output:3,bucket=watch_port:4,actions=output:4',
    );
    const ports = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const p = makePacket({
        kind: 'tcp',
        in_port: 1,
        ip_src: `10.0.0.${i}`,
        ip_dst: '10.0.1.1',
        tcp_src: 1000 + i,
        tcp_dst: 80,
      });
      const first = sw.trace(p).outputs.map((o) => o.port);
      assert.deepEqual(
        sw.trace(p).outputs.map((o) => o.port),
        first,
        'deterministic',
      );
      assert.equal(first.length, 1);
      ports.add(first[0] ?? 0);
    }
    assert.deepEqual([...ports].sort(), [3, 4], 'weight 0 is never chosen; both others are');
    const ff = (): number[] => sw.trace(makePacket({ in_port: 2 })).outputs.map((o) => o.port);
    assert.deepEqual(ff(), [3]);
    sw.setPortLive(3, false);
    assert.deepEqual(ff(), [4]);
    sw.setPortLive(4, false);
    const none = sw.trace(makePacket({ in_port: 2 }));
    assert.deepEqual(
      none.drops.map((d) => [d.reason, d.groupId]),
      [['no_bucket', 2]],
    );
  });

  it('matches conjunctions: all clauses, then the conj_id flow', () => {
    const sw = fake(`
table=0,priority=100,ip,nw_src=10.0.0.0/24,actions=conjunction(42,1/2)
table=0,priority=100,tcp,tp_dst=80,actions=conjunction(42,2/2)
table=0,priority=100,conj_id=42,ip,actions=output:2
table=0,priority=10,ip,actions=output:3`);
    const port = (src: string, dport: number): number | undefined =>
      sw.trace(makePacket({ kind: 'tcp', in_port: 1, ip_src: src, ip_dst: '10.0.1.1', tcp_dst: dport }))
        .outputs[0]?.port;
    assert.equal(port('10.0.0.7', 80), 2);
    assert.equal(port('10.0.9.7', 80), 3, 'clause 1 fails');
    assert.equal(port('10.0.0.7', 443), 3, 'clause 2 fails');
  });

  it('sends packet-ins with reason, userdata and cookie; dec_ttl expiry goes to the controller as invalid_ttl', () => {
    const sw = fake(`
table=0,cookie=0xc0,priority=40000,ip,nw_ttl=1,actions=dec_ttl,output:2
table=0,cookie=0xc1,ip,actions=dec_ttl,controller(userdata=01.02.03,pause)
table=0,cookie=0xc2,priority=0,actions=CONTROLLER:128`);
    const expired = sw.trace(makePacket({ kind: 'ip', in_port: 1, nw_ttl: 1 }));
    assert.deepEqual(
      expired.packetIns.map((p) => [p.reason, p.cookie]),
      [['invalid_ttl', 0xc0n]],
    );
    assert.deepEqual(expired.outputs, []);
    assert.deepEqual(
      expired.drops.map((d) => d.reason),
      ['ttl_expired'],
    );
    const paused = sw.trace(makePacket({ kind: 'ip', in_port: 1, nw_ttl: 64 }));
    const pin = paused.packetIns[0];
    assert.deepEqual([pin?.reason, pin?.cookie, pin?.pause, pin?.packet.nw_ttl], ['action', 0xc1n, true, 63]);
    assert.deepEqual(pin?.userdata, Buffer.from([1, 2, 3]));
    const miss = sw.trace(makePacket({ in_port: 1 }));
    assert.deepEqual(
      miss.packetIns.map((p) => [p.reason, p.maxLen]),
      [['action', 128]],
    );
    assert.equal(miss.dropped, false);
  });

  it('records learn without applying it, runs write_actions at the end, and write_metadata', () => {
    const sw = fake(`
table=0,actions=learn(table=30,priority=7,NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:NXM_NX_REG6[]->NXM_NX_REG7[]),write_actions(output:3),write_metadata:0x5/0xf,goto_table:1
table=1,actions=set_field:0x1->reg1,write_actions(output:4)`);
    const t = sw.trace(makePacket({ in_port: 1, eth_src: '02:00:00:00:00:0a' }));
    assert.deepEqual(
      t.learned.map((l) => [l.tableId, l.action.table]),
      [[0, 30]],
    );
    assert.equal(sw.flowCount, 2, 'learn never adds a flow');
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.packet.reg1, o.packet.metadata]),
      [[4, 1, 5n]],
      'the action set keeps the last output written',
    );
  });

  it('runs packet-out actions; output:TABLE enters the pipeline at table 0', () => {
    const sw = fake('table=0,in_port=1,actions=output:2');
    const t = sw.traceActions(makePacket({ in_port: 1 }), [
      { type: 'set_field', field: 'reg0', value: 1 },
      { type: 'output', port: OFPP.TABLE },
    ]);
    assert.deepEqual(
      t.outputs.map((o) => [o.port, o.packet.reg0]),
      [[2, 1]],
    );
    const direct = sw.traceActions(makePacket({ in_port: OFPP.CONTROLLER }), [{ type: 'output', port: 4 }]);
    assert.deepEqual(
      direct.outputs.map((o) => [o.port, o.tableId]),
      [[4, undefined]],
    );
    const nowhere = sw.traceActions(makePacket({ in_port: 1 }), [{ type: 'output', port: 9 }]);
    assert.deepEqual(
      nowhere.drops.map((d) => [d.reason, d.port]),
      [['no_such_port', 9]],
    );
  });

  it('builds packets from short descriptions and refuses malformed values', () => {
    assert.deepEqual(
      makePacket({
        kind: 'arp',
        in_port: 1,
        eth_src: 'FA:16:3E:00:00:01',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.1',
      }),
      {
        in_port: 1,
        eth_src: 'fa:16:3e:00:00:01',
        arp_spa: '10.0.0.5',
        arp_tpa: '10.0.0.1',
        eth_type: 0x0806,
        arp_op: 1,
        arp_sha: 'fa:16:3e:00:00:01',
        arp_tha: '00:00:00:00:00:00',
      },
    );
    assert.deepEqual(makePacket({ kind: 'tcp6', ipv6_dst: 'FD00:0:0::1' }), {
      ipv6_dst: 'fd00::1',
      eth_type: 0x86dd,
      nw_proto: 6,
      nw_ttl: 64,
    });
    assert.throws(() => makePacket({ ip_src: '10.0.0.256' }), RangeError);
    assert.throws(() => makePacket({ eth_src: 'fa:16:3e' }), RangeError);
    assert.throws(() => makePacket({ vlan_pcp: 9 }), RangeError);
  });
});
