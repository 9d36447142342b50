// Flow identity (table, priority, match) and signature (every byte), as the installer uses them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowMod, parseFlow } from '@weir/openflow';
import { flowIdentity, flowSignature } from '../src/index.js';

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
    assert.equal(flowIdentity(a), flowIdentity(b));
    assert.notEqual(flowSignature(a), flowSignature(b));
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
    assert.equal(flowIdentity(a), flowIdentity(b));
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
      assert.notEqual(flowIdentity(flow(other)), flowIdentity(base), other);
    }
  });
});
