// Against a real ovsdb-server: discovery, transactions (named-uuid references, all-or-nothing
// failure, typed errors), compare-and-swap races between two clients, and locks.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { OvsInstance } from '@weir/lab';
import { OvsdbClient } from '../../src/client.js';
import { parseSchema } from '../../src/data/schema-parser.js';
import type { OvsdbDatabase } from '../../src/database.js';
import { OvsdbError, OvsdbTransactionError } from '../../src/errors.js';
import { openVswitchSchema, type OpenVswitchTables } from '../../src/schemas/open-vswitch.js';

let ovs: OvsInstance;
let client: OvsdbClient;
let db: OvsdbDatabase<OpenVswitchTables>;

before(async () => {
  ovs = await OvsInstance.start();
  client = await OvsdbClient.connect({ target: ovs.dbTarget });
  db = client.database(openVswitchSchema);
});
after(async () => {
  client?.close();
  await ovs?.stop();
});

function sortEnums(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortEnums);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === 'enum' && Array.isArray(v) ? [...(v as string[])].sort() : sortEnums(v),
    ]),
  );
}

async function bridgeNames(): Promise<string[]> {
  return (await ovs.vsctl(['list-br'])).split('\n').filter(Boolean);
}

async function rootUuid(): Promise<string> {
  const [root] = await db.select('Open_vSwitch', [], ['_uuid']);
  assert.ok(root);
  return root._uuid;
}

describe('OVSDB against a real ovsdb-server', () => {
  it('lists databases and returns a schema identical to the generated one', async () => {
    assert.ok((await client.listDbs()).includes('Open_vSwitch'));
    const schema = await client.getSchema('Open_vSwitch');
    assert.equal(schema.version, openVswitchSchema.version);
    // The server lists enum values sorted; the schema file (and so the generated code) keeps
    // the authors' order.
    assert.deepEqual(sortEnums(schema.tables), sortEnums(openVswitchSchema.tables));
    const file = parseSchema(JSON.parse(await readFile('/usr/share/openvswitch/vswitch.ovsschema', 'utf8')));
    assert.deepEqual(file.tables, openVswitchSchema.tables);
    assert.deepEqual(await client.echo(['hi', 1]), ['hi', 1]);
  });

  it('inserts rows that reference each other by named-uuid in one transaction', async () => {
    const root = await rootUuid();
    const txn = db.transaction();
    const controller = txn.insert('Controller', { target: 'unix:/tmp/nowhere.sock', max_backoff: 1000 });
    const bridge = txn.insert('Bridge', {
      name: 'br-named',
      controller: [controller.ref],
      external_ids: { owner: 'test' },
      datapath_type: 'netdev',
    });
    const attach = txn.mutate('Open_vSwitch', [['_uuid', '==', root]], [['bridges', 'insert', [bridge.ref]]]);
    const comment = txn.comment('named-uuid test');
    const result = await txn.execute();
    assert.equal(result.get(attach), 1);
    assert.equal(result.get(comment), undefined);
    const [row] = await db.select('Bridge', [['name', '==', 'br-named']]);
    assert.ok(row);
    assert.equal(row._uuid, result.get(bridge));
    assert.deepEqual([...row.controller], [result.get(controller)]);
    assert.equal(row.external_ids.get('owner'), 'test');
    assert.equal(
      (await ovs.vsctl(['get', 'controller', result.get(controller), 'target'])).trim(),
      '"unix:/tmp/nowhere.sock"',
    );
  });

  it('applies nothing when a wait fails, and names the failing operation', async () => {
    const root = await rootUuid();
    const before = await bridgeNames();
    const txn = db.transaction();
    const bridge = txn.insert('Bridge', { name: 'br-never' });
    txn.mutate('Open_vSwitch', [['_uuid', '==', root]], [['bridges', 'insert', [bridge.ref]]]);
    txn.wait('Bridge', [['name', '==', 'br-named']], {
      columns: ['external_ids'],
      until: '==',
      rows: [{ external_ids: { owner: 'somebody-else' } }],
    });
    const error = await txn.execute().then(
      () => assert.fail('the wait should fail'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OvsdbTransactionError);
    assert.equal(error.code, 'OVSDB_TXN_FAILED');
    assert.equal(error.operationIndex, 2);
    assert.equal(error.operation, 'wait');
    assert.equal(error.ovsdbError, 'timed out');
    assert.deepEqual(await bridgeNames(), before, 'the insert and mutate before the wait were rolled back');
  });

  it('reports commit-time failures (unique index) without an operation index, and abort', async () => {
    const root = await rootUuid();
    const txn = db.transaction();
    const dup = txn.insert('Bridge', { name: 'br-named' });
    txn.mutate('Open_vSwitch', [['_uuid', '==', root]], [['bridges', 'insert', [dup.ref]]]);
    await assert.rejects(
      txn.execute(),
      (e: unknown) =>
        e instanceof OvsdbTransactionError &&
        e.operationIndex === undefined &&
        e.ovsdbError === 'constraint violation',
    );
    const aborted = db.transaction();
    aborted.comment('dry run');
    aborted.abort();
    await assert.rejects(
      aborted.execute(),
      (e: unknown) =>
        e instanceof OvsdbTransactionError && e.operationIndex === 1 && e.ovsdbError === 'aborted',
    );
    const bad = db.transaction();
    bad.update('Bridge', [['name', '==', 'br-named']], { other_config: {} });
    bad.insert('Interface', { name: 'x', ofport_request: 0 }); // schema: minInteger 1
    await assert.rejects(
      bad.execute(),
      (e: unknown) =>
        e instanceof OvsdbTransactionError &&
        e.operationIndex === 1 &&
        e.ovsdbError === 'constraint violation',
    );
  });

  it('reports select/update/mutate/delete results with typed values', async () => {
    const txn = db.transaction();
    const updated = txn.update('Bridge', [['name', '==', 'br-named']], {
      external_ids: { owner: 'test', n: '1' },
    });
    const mutated = txn.mutate(
      'Bridge',
      [['name', '==', 'br-named']],
      [
        ['external_ids', 'delete', ['n']],
        ['flood_vlans', 'insert', [10, 20]],
      ],
    );
    const selected = txn.select(
      'Bridge',
      [['flood_vlans', 'includes', [10]]],
      ['name', 'flood_vlans', 'external_ids'],
    );
    const none = txn.delete('Bridge', [['name', '==', 'no-such-bridge']]);
    const result = await txn.execute();
    assert.equal(result.get(updated), 1);
    assert.equal(result.get(mutated), 1);
    assert.equal(result.get(none), 0);
    const [row] = result.get(selected);
    assert.equal(row?.name, 'br-named');
    assert.deepEqual([...(row?.flood_vlans ?? [])].sort(), [10, 20]);
    assert.deepEqual([...(row?.external_ids ?? [])], [['owner', 'test']]);
  });

  it('lets exactly one of two racing compare-and-swap transactions win', async () => {
    const other = await OvsdbClient.connect({ target: ovs.dbTarget });
    try {
      const dbs = [db, other.database(openVswitchSchema)];
      const [current] = await db.select('Bridge', [['name', '==', 'br-named']], ['_uuid', 'external_ids']);
      assert.ok(current);
      // Both clients read the same value, then both try to write based on it.
      const attempts = dbs.map((d, i) => {
        const txn = d.transaction();
        txn.wait('Bridge', [['_uuid', '==', current._uuid]], {
          columns: ['external_ids'],
          until: '==',
          rows: [{ external_ids: current.external_ids }],
        });
        txn.update('Bridge', [['_uuid', '==', current._uuid]], {
          external_ids: new Map([...current.external_ids, ['winner', `client-${i}`]]),
        });
        return txn.execute();
      });
      const outcomes = await Promise.allSettled(attempts);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(lost[0]?.reason instanceof OvsdbTransactionError && lost[0].reason.operation === 'wait');
      const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
      const [after] = await db.select('Bridge', [['_uuid', '==', current._uuid]], ['external_ids']);
      assert.equal(after?.external_ids.get('winner'), `client-${winner}`);
    } finally {
      other.close();
    }
  });

  it('grants, queues, steals and asserts locks', async () => {
    const other = await OvsdbClient.connect({ target: ovs.dbTarget });
    try {
      assert.equal(await client.lock('leader'), true);
      assert.equal(await other.lock('leader'), false);
      const stolen = client.next('stolen');
      await other.unlock('leader'); // OVSDB: a queued lock must be released before stealing it
      assert.equal(await other.steal('leader'), true);
      assert.deepEqual(await stolen, ['leader']);
      const asserted = db.transaction();
      asserted.assert('leader');
      await assert.rejects(
        asserted.execute(),
        (e: unknown) => e instanceof OvsdbTransactionError && e.ovsdbError === 'not owner',
      );
      const owner = other.database(openVswitchSchema).transaction();
      owner.assert('leader');
      await owner.execute();
      await other.unlock('leader');
    } finally {
      other.close();
    }
  });

  it('rejects bad requests with typed errors before and after sending', async () => {
    await assert.rejects(
      client.transact('NoSuchDb', []),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_RPC_ERROR',
    );
    assert.throws(
      () => db.transaction().insert('Bridge', { name: 'x', flood_vlans: ['ten'] as never }),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_INVALID_ARGUMENT',
    );
    assert.throws(
      () => db.transaction().select('NoTable' as never, []),
      (e: unknown) => e instanceof OvsdbError && e.code === 'OVSDB_INVALID_ARGUMENT',
    );
  });
});
