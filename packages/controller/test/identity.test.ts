// Flow identity (table, priority, match) and signature (every byte), as the installer uses them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeMessage, encodeMessage, flowMod, parseFlow, type OpenFlowMessage } from '@weir/openflow';
import {
  addFlowMessage,
  decodeFlow,
  deleteFlowMessage,
  encodeFlow,
  encodeGroup,
  flowCookie,
  flowIdentity,
  groupMessage,
} from '../src/index.js';

const flow = (text: string, cookie = 0n) => {
  const f = parseFlow(text);
  return flowMod({
    tableId: f.tableId,
    priority: f.priority,
    match: f.match,
    instructions: f.instructions,
    cookie,
  });
};

describe('flow identity and signature', () => {
  it('the same table, priority and match is one identity, whatever the cookie and actions', () => {
    const a = flow('table=3,priority=20,ip,nw_src=10.0.0.1,reg6=0x11 actions=goto_table:4', 1n);
    const b = flow('table=3,priority=20,ip,nw_src=10.0.0.1,reg6=0x11 actions=drop', 2n);
    assert.equal(flowIdentity(encodeFlow(a)), flowIdentity(encodeFlow(b)));
    assert.notEqual(encodeFlow(a), encodeFlow(b));
  });

  it('match fields in another order are the same identity (canonical encoding)', () => {
    const a = flowMod({
      tableId: 1,
      priority: 5,
      match: [
        { field: 'reg6', value: 7 },
        { field: 'eth_src', value: 'fa:16:3e:00:00:01' },
      ],
    });
    const b = flowMod({
      tableId: 1,
      priority: 5,
      match: [
        { field: 'eth_src', value: 'fa:16:3e:00:00:01' },
        { field: 'reg6', value: 7 },
      ],
    });
    assert.equal(flowIdentity(encodeFlow(a)), flowIdentity(encodeFlow(b)));
  });

  it('another table, priority, field value or mask is another identity', () => {
    const base = flow('table=3,priority=20,ip,nw_src=10.0.0.1 actions=drop');
    for (const other of [
      'table=4,priority=20,ip,nw_src=10.0.0.1 actions=drop',
      'table=3,priority=21,ip,nw_src=10.0.0.1 actions=drop',
      'table=3,priority=20,ip,nw_src=10.0.0.2 actions=drop',
      'table=3,priority=20,ip,nw_src=10.0.0.0/24 actions=drop',
      'table=3,priority=20,ip actions=drop',
    ]) {
      assert.notEqual(flowIdentity(encodeFlow(flow(other))), flowIdentity(encodeFlow(base)), other);
    }
  });
});

/** A message as the switch receives it (encoded with some xid, decoded again). */
const wire = (m: OpenFlowMessage): OpenFlowMessage => decodeMessage(encodeMessage(m, 77)).message;

describe('messages cut from the encoded bytes', () => {
  const f = flow(
    'table=3,priority=20,ip,nw_src=10.0.0.1,reg6=0x11 actions=set_field:0x5->reg7,goto_table:4',
    0x1234n,
  );
  const e = encodeFlow(f);

  it('add: the same flow-mod, and the object decodes back', () => {
    assert.deepEqual(wire(addFlowMessage(e)), f);
    assert.deepEqual(decodeFlow(e), f);
    assert.equal(flowCookie(e), 0x1234n);
  });

  it('delete: strict, same table/priority/match, cookie under a full mask, no instructions', () => {
    const d = wire(deleteFlowMessage(e));
    assert.ok(d.type === 'flow_mod');
    assert.equal(d.command, 'delete_strict');
    assert.equal(d.tableId, 3);
    assert.equal(d.priority, 20);
    assert.deepEqual(d.match, f.match);
    assert.equal(d.cookie, 0x1234n);
    assert.equal(d.cookieMask, 0xffff_ffff_ffff_ffffn);
    assert.deepEqual(d.instructions, []);
  });

  it('groups: add, modify (same buckets) and delete (no buckets)', () => {
    const g = encodeGroup({
      type: 'group_mod',
      command: 'add',
      groupType: 'all',
      groupId: 9,
      buckets: [
        { weight: 0, watchPort: 0xffffffff, watchGroup: 0xffffffff, actions: [{ type: 'output', port: 2 }] },
      ],
    });
    const add = wire(groupMessage(g, 'add'));
    const modify = wire(groupMessage(g, 'modify'));
    const del = wire(groupMessage(g, 'delete'));
    assert.ok(add.type === 'group_mod' && modify.type === 'group_mod' && del.type === 'group_mod');
    assert.equal(add.command, 'add');
    assert.equal(modify.command, 'modify');
    assert.deepEqual(modify.buckets, add.buckets);
    assert.equal(add.buckets.length, 1);
    assert.equal(del.command, 'delete');
    assert.equal(del.groupId, 9);
    assert.deepEqual(del.buckets, []);
  });
});
