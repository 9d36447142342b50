// Flow and group table semantics, as ovs-vswitchd 3.1 showed them: add replaces, modify keeps
// cookies and adds nothing, strict and non-strict deletes with cookie masks, out_port/out_group,
// groups and the flows that use them, receipt checks (prerequisites, goto_table, consistency),
// flow-stats filters, and the Faucet-style invariants on snapshot().
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BundleError, OFPG, OFPP, sendBundle, type FlowMod } from '@weir/openflow';
import { FakeSwitch } from '../../src/fake-switch/index.js';
import { connected, flow, flowStats, flows, groupMod } from './helpers.js';

const GEN1 = 0x0001_0000_0000_0000n;
const GEN2 = 0x0002_0000_0000_0000n;
const GEN_MASK = 0xffff_0000_0000_0000n;

function refusedWith(fn: () => void, name: string, index?: number): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BundleError, String(e));
    assert.equal(e.switchErrors[0], name);
    if (index !== undefined) assert.equal(e.failedIndex, index);
    return true;
  });
}

describe('fake switch: flow tables', () => {
  it('add replaces a flow with the same priority and match: new cookie and actions, counters kept', () => {
    const sw = new FakeSwitch();
    sw.addPort(1, 'p1');
    sw.addPort(2, 'p2');
    sw.apply(flows('table=0,cookie=0x1,priority=5,in_port=1,actions=output:2'));
    sw.trace({ in_port: 1 }, { count: true, bytes: 100 });
    sw.apply(flows('table=0,cookie=0x2,priority=5,in_port=1,actions=drop'));
    const [f] = sw.flows();
    assert.equal(sw.flowCount, 1);
    assert.equal(f?.cookie, 0x2n);
    assert.deepEqual(f?.instructions, []);
    assert.equal(f?.packetCount, 1n);
    assert.equal(f?.byteCount, 100n);
    sw.apply(flows('table=0,cookie=0x3,priority=5,in_port=1,reset_counts,actions=drop'));
    assert.equal(sw.flows()[0]?.packetCount, 0n, 'reset_counts');
    // Same match, other priority: a second flow. Masked values are compared in normal form.
    sw.apply(
      flows('table=0,priority=6,in_port=1,actions=drop\ntable=0,priority=7,reg0=0x12/0xf0,actions=drop'),
    );
    sw.apply(flows('table=0,priority=7,reg0=0x1f/0xf0,actions=output:1'));
    assert.equal(sw.flowCount, 3);
  });

  it('modify changes instructions but not cookie or counters, and never adds (OpenFlow 1.3)', () => {
    const sw = new FakeSwitch();
    sw.apply(
      flows(
        'table=3,cookie=0x10,priority=1,reg0=1,actions=output:1\ntable=3,cookie=0x20,priority=2,reg0=1,reg1=2,actions=output:1',
      ),
    );
    sw.apply([flow('table=3,reg0=1,actions=output:9', 'modify')]);
    assert.deepEqual(sw.dumpFlows(), [
      'cookie=0x20, table=3, priority=2,reg0=0x1,reg1=0x2 actions=output:9',
      'cookie=0x10, table=3, priority=1,reg0=0x1 actions=output:9',
    ]);
    sw.apply([flow('table=3,priority=1,reg0=1,actions=output:7', 'modify_strict')]);
    assert.match(sw.dumpFlows()[1] ?? '', /priority=1,reg0=0x1 actions=output:7$/);
    sw.apply([
      flow('table=3,priority=9,reg0=5,actions=drop', 'modify'),
      flow('table=4,actions=drop', 'modify_strict'),
    ]);
    assert.equal(sw.flowCount, 2, 'a modify that selects nothing adds nothing');
    refusedWith(
      () => sw.apply([{ ...flow('actions=drop', 'modify'), tableId: 255 }]),
      'OFPFMFC_BAD_TABLE_ID',
    );
  });

  it('non-strict delete takes flows at least as specific as the request; strict takes exactly one', () => {
    const sw = new FakeSwitch();
    const install = (): void =>
      sw.apply(
        flows(`
table=20,priority=1,reg0=1,actions=output:1
table=20,priority=2,reg0=1,reg1=2,actions=output:2
table=20,priority=3,reg0=0x1/0x1,actions=output:1
table=21,priority=1,reg0=1,actions=output:3`),
      );
    install();
    sw.apply([{ ...flow('reg0=1', 'delete'), tableId: 20 }]);
    assert.deepEqual(sw.dumpFlows(), [
      'table=20, priority=3,reg0=0x1/0x1 actions=output:1',
      'table=21, priority=1,reg0=0x1 actions=output:3',
    ]);
    install();
    sw.apply([flow('priority=1,reg0=1', 'delete_strict')]); // table 255: every table
    assert.deepEqual(
      sw.dumpFlows().map((l) => l.slice(0, 21)),
      ['table=20, priority=3,', 'table=20, priority=2,'],
    );
    install();
    sw.apply([{ ...flow('reg0=1', 'delete'), outPort: 2 }]);
    assert.equal(sw.flowCount, 3, 'out_port: only the flow that outputs to port 2');
    sw.apply([{ ...flow('', 'delete'), tableId: 20, outPort: 1 }]);
    assert.deepEqual(sw.dumpFlows(), ['table=21, priority=1,reg0=0x1 actions=output:3']);
  });

  it('deletes by a cookie generation mask across all tables (the restart sweep)', async () => {
    const { sw, conn } = await connected();
    await sendBundle(conn, [
      ...flows(`
table=0,cookie=0x1000000000001,priority=1,actions=drop
table=7,cookie=0x1000000000002,priority=2,reg3=4,actions=drop
table=9,cookie=0x2000000000003,priority=3,actions=drop
table=9,cookie=0x3,priority=4,actions=drop`),
    ]);
    const sweep: FlowMod = { ...flow('', 'delete'), cookie: GEN1, cookieMask: GEN_MASK };
    await sendBundle(conn, [sweep]);
    assert.deepEqual(
      (await flowStats(conn)).map((f) => f.cookie),
      [0x2000000000003n, 0x3n],
    );
    assert.equal(sw.flowCount, 2);
    assert.equal(GEN2 & GEN_MASK, 0x2000000000000n);
  });

  it('groups: add, modify (type may change), delete, OFPG_ALL, and a deleted group takes its flows', () => {
    const sw = new FakeSwitch();
    sw.apply([
      groupMod('add', 'group_id=1,type=all,bucket=actions=output:1'),
      groupMod('add', 'group_id=2,type=select,bucket=weight:10,actions=output:2'),
      ...flows(
        'table=1,priority=1,actions=group:1\ntable=1,priority=2,actions=write_actions(group:2)\ntable=1,priority=3,actions=output:1',
      ),
    ]);
    refusedWith(() => sw.apply([groupMod('add', 'group_id=1,type=all')]), 'OFPGMFC_GROUP_EXISTS');
    refusedWith(() => sw.apply([groupMod('modify', 'group_id=9,type=all')]), 'OFPGMFC_UNKNOWN_GROUP');
    sw.apply([groupMod('delete', 'group_id=9,type=all')]); // unknown: silently nothing, as OVS
    sw.apply([groupMod('modify', 'group_id=1,type=indirect,bucket=actions=output:3')]);
    assert.deepEqual(sw.dumpGroups(), [
      'group_id=1,type=indirect,bucket=actions=output:3',
      'group_id=2,type=select,bucket=weight:10,actions=output:2',
    ]);
    sw.apply([groupMod('delete', 'group_id=1,type=all')]);
    assert.deepEqual(sw.dumpFlows(), [
      'table=1, priority=3 actions=output:1',
      'table=1, priority=2 actions=write_actions(group:2)',
    ]);
    sw.apply([{ ...groupMod('delete', 'group_id=2,type=all'), groupId: OFPG.ALL }]);
    assert.equal(sw.groupCount, 0);
    assert.deepEqual(sw.dumpFlows(), ['table=1, priority=3 actions=output:1']);
  });

  it('refuses a flow that names a missing group, and groups OVS would not create', () => {
    const sw = new FakeSwitch();
    refusedWith(
      () => sw.apply(flows('table=2,actions=output:1\ntable=2,priority=9,actions=group:99')),
      'OFPBAC_BAD_OUT_GROUP',
      1,
    );
    assert.equal(sw.flowCount, 0, 'atomic: the first flow did not stay');
    // A group added earlier in the same batch counts.
    sw.apply([groupMod('add', 'group_id=99,type=all'), ...flows('table=2,actions=group:99')]);
    assert.equal(sw.flowCount, 1);
    refusedWith(
      () =>
        sw.apply([
          groupMod('add', 'group_id=5,type=indirect,bucket=actions=output:1,bucket=actions=output:2'),
        ]),
      'OFPGMFC_INVALID_GROUP',
    );
    refusedWith(
      () => sw.apply([groupMod('add', 'group_id=6,type=ff,bucket=actions=output:1')]),
      'OFPGMFC_INVALID_GROUP',
    );
    refusedWith(
      () => sw.apply([{ ...groupMod('add', 'group_id=7,type=all'), groupId: OFPG.ALL }]),
      'OFPGMFC_INVALID_GROUP',
    );
  });

  it('makes the receipt checks OVS makes (tables, goto, prerequisites, action consistency, ports)', () => {
    const sw = new FakeSwitch();
    const refused = (f: FlowMod, name: string): void => refusedWith(() => sw.apply([f]), name);
    refused({ ...flow('actions=drop'), tableId: 255 }, 'OFPFMFC_BAD_TABLE_ID');
    refused({ ...flow('actions=drop'), tableId: 254 }, 'OFPBRC_EPERM');
    refused(flow('table=5,actions=goto_table:5'), 'OFPBIC_BAD_TABLE_ID');
    refused({ ...flow('actions=drop'), match: [{ field: 'tcp_dst', value: 80 }] }, 'OFPBMC_BAD_PREREQ');
    refused(
      {
        ...flow('actions=drop'),
        match: [
          { field: 'reg0', value: 1 },
          { field: 'reg0', value: 2 },
        ],
      },
      'OFPBMC_DUP_FIELD',
    );
    refused(flow('actions=set_field:10.0.0.1->ip_dst,output:1'), 'OFPBAC_MATCH_INCONSISTENT');
    refused(flow('ip,actions=set_field:80->tcp_dst'), 'OFPBAC_MATCH_INCONSISTENT');
    refused(flow('actions=move:NXM_OF_ARP_SPA[]->NXM_NX_REG0[]'), 'OFPBAC_MATCH_INCONSISTENT');
    refused(flow('actions=dec_ttl'), 'OFPBAC_MATCH_INCONSISTENT');
    refused(flow('actions=set_field:4097->vlan_vid'), 'OFPBAC_MATCH_INCONSISTENT');
    refused(
      {
        ...flow('actions=drop'),
        instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 0xff00 }] }],
      },
      'OFPBAC_BAD_OUT_PORT',
    );
    refused(
      { ...flow('actions=drop'), instructions: [{ type: 'meter', meterId: 1 }] },
      'OFPMMFC_INVALID_METER',
    );
    // …and accepts what OVS accepts.
    sw.apply(
      flows(
        `
table=1,arp,actions=set_field:2->arp_op,move:NXM_OF_ARP_SPA[]->NXM_NX_REG0[]
table=1,ip,actions=dec_ttl,goto_table:254
table=1,priority=7,actions=push_vlan:0x8100,set_field:4097->vlan_vid,output:1
table=1,priority=8,tcp,actions=set_field:80->tcp_dst,output:OFPP_LOCAL`.replace(
          'OFPP_LOCAL',
          String(OFPP.LOCAL),
        ),
      ),
    );
    assert.equal(sw.flowCount, 4);
  });

  it('check_overlap refuses a different overlapping flow of the same priority, not an identical one', () => {
    const sw = new FakeSwitch();
    sw.apply(flows('table=14,priority=5,reg0=1,actions=drop'));
    sw.apply(flows('table=14,priority=5,reg0=1,check_overlap,actions=output:1'));
    refusedWith(
      () => sw.apply(flows('table=14,priority=5,reg1=1,check_overlap,actions=drop')),
      'OFPFMFC_OVERLAP',
    );
    sw.apply(flows('table=14,priority=5,reg0=2,check_overlap,actions=drop'));
    assert.equal(sw.flowCount, 2);
  });

  it('filters flow stats by table, cookie mask, match and out_port', async () => {
    const { conn } = await connected();
    await sendBundle(
      conn,
      flows(`
table=1,cookie=0x1100,priority=1,reg0=1,actions=output:1
table=1,cookie=0x1200,priority=2,reg0=1,reg1=1,actions=output:2
table=2,cookie=0x1300,priority=3,reg0=1,actions=output:1
table=2,cookie=0x2100,priority=4,actions=drop`),
    );
    const cookies = async (filter: Parameters<typeof flowStats>[1]): Promise<bigint[]> =>
      (await flowStats(conn, filter)).map((f) => f.cookie).sort((a, b) => Number(a - b));
    assert.deepEqual(await cookies({ cookie: 0x1000n, cookieMask: 0xf000n }), [0x1100n, 0x1200n, 0x1300n]);
    assert.deepEqual(await cookies({ tableId: 2 }), [0x1300n, 0x2100n]);
    assert.deepEqual(await cookies({ tableId: 1, cookie: 0x200n, cookieMask: 0xf00n }), [0x1200n]);
    assert.deepEqual(await cookies({ match: [{ field: 'reg1', value: 1 }] }), [0x1200n]);
    assert.deepEqual(await cookies({ outPort: 1 }), [0x1100n, 0x1300n]);
  });

  it('re-applying a batch changes nothing; A→B→A restores an identical table', () => {
    const sw = new FakeSwitch();
    const a = [
      groupMod(
        'add',
        'group_id=3,type=select,bucket=weight:1,actions=output:1,bucket=weight:2,actions=output:2',
      ),
      ...flows(`
table=0,cookie=0x1000000000001,priority=100,in_port=1,actions=load:0x5->NXM_NX_REG6[],goto_table:10
table=10,cookie=0x1000000000002,priority=10,reg6=0x5,dl_dst=fa:16:3e:00:00:01,actions=group:3
table=10,cookie=0x1000000000003,priority=0,actions=drop`),
    ];
    sw.apply(a);
    const snapA = sw.snapshot();
    sw.apply(a.filter((m) => m.type === 'flow_mod'));
    assert.equal(sw.snapshot(), snapA, 're-applying the flows changes nothing');
    // B: new generation, one flow different, then the sweep of generation 1.
    const b = flows(`
table=0,cookie=0x2000000000001,priority=100,in_port=1,actions=load:0x5->NXM_NX_REG6[],goto_table:10
table=10,cookie=0x2000000000004,priority=10,reg6=0x5,dl_dst=fa:16:3e:00:00:02,actions=output:3`);
    sw.apply([...b, { ...flow('', 'delete'), cookie: GEN1, cookieMask: GEN_MASK }]);
    assert.notEqual(sw.snapshot(), snapA);
    assert.equal(
      sw.flowCount,
      2,
      'generation 1 swept; the in_port=1 flow was replaced in place by generation 2',
    );
    // Back to A.
    sw.apply([
      ...a.filter((m) => m.type === 'flow_mod'),
      { ...flow('', 'delete'), cookie: GEN2, cookieMask: GEN_MASK },
    ]);
    assert.equal(sw.snapshot(), snapA);
  });
});
