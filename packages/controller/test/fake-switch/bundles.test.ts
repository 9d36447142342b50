// ONF bundles over the wire, message for message as ovs-vswitchd 3.1 answered the same
// sequences: atomic rollback with the refused message's error on its own xid and
// OFPBFC_MSG_FAILED on the commit, add-time refusals that do not stop the commit, and the
// bundle control errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BundleError,
  errorName,
  sendBundle,
  type BundleFlags,
  type Envelope,
  type OpenFlowMessage,
} from '@weir/openflow';
import { connected, exchange, flow, flows, groupMod } from './helpers.js';

const FLAGS: BundleFlags = { atomic: true, ordered: true };
const control = (
  bundleId: number,
  controlType: 'open_request' | 'close_request' | 'commit_request' | 'discard_request',
): OpenFlowMessage => ({
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

/** "xid NAME" for errors, "xid open_reply" for bundle replies: what the switch said, in order. */
function said(envs: readonly Envelope[]): string[] {
  return envs.map(({ xid, message: m }) =>
    m.type === 'error'
      ? `${xid} ${errorName(m)}`
      : m.type === 'bundle_control'
        ? `${xid} ${m.controlType}`
        : `${xid} ${m.type}`,
  );
}

describe('fake switch: bundles', () => {
  it('rolls back a bundle whose commit fails, naming the refused message (BundleError)', async () => {
    const { sw, conn } = await connected();
    await sendBundle(conn, flows('table=40,priority=9,actions=output:3'));
    const before = sw.snapshot();
    const bad = flows(`
table=40,priority=1,actions=output:1
table=40,priority=2,actions=group:999
table=40,priority=3,actions=output:2`);
    await assert.rejects(sendBundle(conn, bad), (error: unknown) => {
      assert.ok(error instanceof BundleError, String(error));
      assert.equal(error.failedIndex, 1);
      assert.deepEqual(error.switchErrors, ['OFPBAC_BAD_OUT_GROUP', 'OFPBFC_MSG_FAILED']);
      return true;
    });
    assert.equal(sw.snapshot(), before, 'no flow of the failed bundle may remain');
    assert.equal(sw.counters.bundlesFailed, 1);
    assert.equal(sw.counters.flowMods, 1, 'only the first bundle’s flow was applied');
    await conn.barrier();
  });

  it('undoes deletes, replacements and group changes of a failed bundle', async () => {
    const { sw, conn } = await connected();
    await sendBundle(conn, [
      groupMod('add', 'group_id=20,type=all,bucket=actions=output:1'),
      ...flows('table=1,priority=1,actions=group:20\ntable=1,priority=2,cookie=0x7,actions=output:2'),
    ]);
    const before = sw.snapshot();
    await assert.rejects(
      sendBundle(conn, [
        flow('table=1,priority=2,cookie=0x8,actions=output:3'), // replaces
        groupMod('delete', 'group_id=20,type=all'), // takes table=1,priority=1 with it
        groupMod('modify', 'group_id=30,type=all,bucket=actions=output:1'), // unknown: refused
      ]),
      (e: unknown) =>
        e instanceof BundleError && e.failedIndex === 2 && e.switchErrors[0] === 'OFPGMFC_UNKNOWN_GROUP',
    );
    assert.equal(sw.snapshot(), before);
    await assert.rejects(
      sendBundle(conn, [groupMod('add', 'group_id=20,type=all')]),
      (e: unknown) => e instanceof BundleError && e.switchErrors[0] === 'OFPGMFC_GROUP_EXISTS',
    );
  });

  it('answers the exact OVS sequence for a commit-time refusal', async () => {
    const { conn } = await connected();
    const seen = await exchange(conn, [
      [control(2, 'open_request'), 200],
      [add(2, flow('table=6,priority=1,actions=output:1')), 201],
      [add(2, flow('table=6,priority=2,actions=group:99')), 202],
      [add(2, flow('table=6,priority=3,actions=output:2')), 203],
      [control(2, 'commit_request'), 204],
    ]);
    assert.deepEqual(said(seen), ['200 open_reply', '202 OFPBAC_BAD_OUT_GROUP', '204 OFPBFC_MSG_FAILED']);
    const quoted = seen[1]?.message;
    assert.ok(quoted?.type === 'error' && quoted.data.length === 96, 'the error quotes the whole bundle_add');
  });

  it('refuses a message at add time and still commits the rest, as OVS does', async () => {
    const { sw, conn } = await connected();
    const seen = await exchange(conn, [
      [control(1, 'open_request'), 100],
      [add(1, flow('table=5,priority=1,actions=output:1')), 101],
      [
        add(1, {
          ...flow('table=5,priority=2,actions=drop'),
          instructions: [{ type: 'goto_table', tableId: 3 }],
        }),
        102,
      ],
      [add(1, flow('table=5,priority=3,actions=output:2')), 103],
      [control(1, 'commit_request'), 104],
    ]);
    assert.deepEqual(said(seen), ['100 open_reply', '102 OFPBIC_BAD_TABLE_ID', '104 commit_reply']);
    assert.deepEqual(sw.dumpFlows(), [
      'table=5, priority=3 actions=output:2',
      'table=5, priority=1 actions=output:1',
    ]);
    // sendBundle reports it even though the commit succeeded.
    await assert.rejects(
      sendBundle(
        conn,
        flows('table=7,actions=set_field:10.0.0.1->ip_dst,output:1\ntable=7,priority=1,actions=output:1'),
      ),
      (e: unknown) => e instanceof BundleError && e.switchErrors.join() === 'OFPBAC_MATCH_INCONSISTENT',
    );
    assert.equal(sw.flowCount, 3, 'the valid message of that bundle was applied');
  });

  it('handles bundle control like OVS: unknown ids, double open, closed bundles, implicit open, unsupported messages', async () => {
    const { sw, conn } = await connected();
    const seen = await exchange(conn, [
      [control(44, 'commit_request'), 600],
      [control(45, 'open_request'), 601],
      [control(45, 'open_request'), 602],
      [control(45, 'commit_request'), 603], // the double open dropped it
      [add(46, flow('table=11,actions=drop')), 604],
      [control(46, 'commit_request'), 605], // implicitly opened by the add
      [control(47, 'discard_request'), 606],
      [control(48, 'open_request'), 607],
      [control(48, 'close_request'), 608],
      [add(48, flow('table=12,actions=drop')), 609],
      [control(48, 'commit_request'), 610],
      [control(49, 'open_request'), 611],
      [add(49, { type: 'barrier_request' }), 612],
      [add(49, flow('table=13,actions=drop')), 613],
      [control(49, 'discard_request'), 614],
      [control(50, 'open_request'), 615],
      [{ type: 'bundle_control', bundleId: 50, controlType: 'commit_request', flags: { atomic: true } }, 616],
    ]);
    assert.deepEqual(said(seen), [
      '600 OFPBFC_BAD_ID',
      '601 open_reply',
      '602 OFPBFC_BAD_ID',
      '603 OFPBFC_BAD_ID',
      '605 commit_reply',
      '606 OFPBFC_BAD_ID',
      '607 open_reply',
      '608 close_reply',
      '609 OFPBFC_BUNDLE_CLOSED',
      '610 OFPBFC_BAD_ID',
      '611 open_reply',
      '612 OFPBFC_MSG_UNSUP',
      '614 discard_reply',
      '615 open_reply',
      '616 OFPBFC_BAD_FLAGS',
    ]);
    assert.deepEqual(sw.dumpFlows(), ['table=11, actions=drop']);
  });

  it('sends flow_removed for deleted flows that asked for it, after the commit', async () => {
    const { conn } = await connected();
    await sendBundle(
      conn,
      flows(
        'table=2,cookie=0x55,priority=3,send_flow_rem,reg2=7,actions=drop\ntable=2,priority=4,actions=drop',
      ),
    );
    const removed: Envelope[] = [];
    conn.on('message', (env) => {
      if (env.message.type === 'flow_removed') removed.push(env);
    });
    await sendBundle(conn, [{ ...flow('', 'delete'), tableId: 2 }]);
    await conn.barrier();
    assert.equal(removed.length, 1);
    const m = removed[0]?.message;
    assert.ok(m?.type === 'flow_removed');
    assert.equal(m.cookie, 0x55n);
    assert.equal(m.reason, 2, 'OFPRR_DELETE');
    assert.deepEqual(m.match, [{ field: 'reg2', value: 7 }]);
  });
});
