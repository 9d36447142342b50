// Replicas against a real ovsdb-server: updates caused by ovs-vsctl, condition changes, and a
// server restart with an offline change, after which the replica must report exactly that
// change (a standalone server answers monitor_cond_since with found=false, so this exercises
// the full-resync diff).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OvsInstance, run } from '@weir/lab';
import { OvsdbClient } from '../../src/client.js';
import type { OvsdbDatabase } from '../../src/database.js';
import type { ChangeBatchOf } from '../../src/replica/replica.js';
import { openVswitchSchema, type OpenVswitchTables } from '../../src/schemas/open-vswitch.js';
import { eventually } from '../helpers/wait.js';

let ovs: OvsInstance;
let client: OvsdbClient;
let db: OvsdbDatabase<OpenVswitchTables>;

before(async () => {
  ovs = await OvsInstance.start();
  client = await OvsdbClient.connect({
    target: ovs.dbTarget,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  db = client.database(openVswitchSchema);
});
after(async () => {
  client?.close();
  await ovs?.stop();
});

describe('Replica against a real ovsdb-server', () => {
  it('follows inserts, map changes and deletes made by ovs-vsctl', async () => {
    const replica = db.replica({ Bridge: { columns: ['name', 'external_ids', 'ports'] } });
    try {
      await replica.whenSynced();
      const batches: ChangeBatchOf<typeof replica>[] = [];
      replica.on('change', (batch) => batches.push(batch));
      await ovs.vsctl([
        'add-br',
        'br-mon',
        '--',
        'set',
        'bridge',
        'br-mon',
        'datapath_type=netdev',
        'external_ids:a=1',
      ]);
      const bridge = await eventually(() => replica.table('Bridge').find((b) => b.name === 'br-mon'));
      assert.equal(bridge.external_ids.get('a'), '1');
      assert.equal(bridge.ports.size, 1, 'the bridge’s own internal port');

      await ovs.vsctl(['set', 'bridge', 'br-mon', 'external_ids:a=2', 'external_ids:b=3']);
      await eventually(() => replica.table('Bridge').get(bridge._uuid)?.external_ids.get('b') === '3');
      await ovs.vsctl(['remove', 'bridge', 'br-mon', 'external_ids', 'a']);
      await eventually(() => !replica.table('Bridge').get(bridge._uuid)?.external_ids.has('a'));
      assert.deepEqual([...(replica.table('Bridge').get(bridge._uuid)?.external_ids ?? [])], [['b', '3']]);

      await ovs.vsctl(['del-br', 'br-mon']);
      await eventually(() => !replica.table('Bridge').has(bridge._uuid));
      const kinds = batches.flatMap((b) => b.changes.map((c) => c.kind));
      assert.equal(kinds[0], 'insert');
      assert.equal(kinds.at(-1), 'delete');
      assert.ok(kinds.slice(1, -1).every((k) => k === 'update'));
      const last = batches.at(-1)?.changes.at(-1);
      assert.equal(last?.kind === 'delete' ? last.old.name : undefined, 'br-mon');
    } finally {
      await replica.close();
    }
  });

  it('moves rows in and out when the monitor condition changes', async () => {
    await ovs.vsctl(['add-br', 'br-a', '--', 'set', 'bridge', 'br-a', 'datapath_type=netdev']);
    await ovs.vsctl(['add-br', 'br-b', '--', 'set', 'bridge', 'br-b', 'datapath_type=netdev']);
    const replica = db.replica({ Bridge: { columns: ['name'], where: [['name', '==', 'br-a']] } });
    try {
      await replica.whenSynced();
      assert.deepEqual(
        [...replica.table('Bridge')].map((b) => b.name),
        ['br-a'],
      );
      const changes: string[] = [];
      replica.on('change', ({ changes: c }) =>
        changes.push(...c.map((x) => `${x.kind}:${(x.new ?? x.old).name}`)),
      );
      await replica.setCondition('Bridge', [['name', '==', 'br-b']]);
      await eventually(() => replica.table('Bridge').find((b) => b.name === 'br-b'));
      assert.deepEqual(
        [...replica.table('Bridge')].map((b) => b.name),
        ['br-b'],
      );
      assert.deepEqual(changes.sort(), ['delete:br-a', 'insert:br-b']);
    } finally {
      await replica.close();
    }
  });

  it('resyncs after an ovsdb-server restart, reporting only what changed while it was down', async () => {
    const replica = db.replica({ Bridge: { columns: ['name', 'external_ids'] } });
    try {
      await replica.whenSynced();
      const before = new Map([...replica.table('Bridge')].map((b) => [b.name, b]));
      assert.ok(before.has('br-a') && before.has('br-b'));
      const batches: ChangeBatchOf<typeof replica>[] = [];
      replica.on('change', (batch) => batches.push(batch));
      const stale = replica.next('stale');
      const resynced = replica.next('synced');

      await ovs.stopOvsdbServer();
      await stale;
      assert.equal(replica.isSynced, false);
      assert.equal(replica.table('Bridge').size, before.size, 'stale data stays readable meanwhile');
      // Change the database while no server runs: the replica cannot have seen this.
      const offline = [
        'Open_vSwitch',
        {
          op: 'update',
          table: 'Bridge',
          where: [['name', '==', 'br-a']],
          row: { external_ids: ['map', [['changed', 'offline']]] },
        },
      ];
      await run('ovsdb-tool', ['transact', ovs.dbPath, JSON.stringify(offline)]);
      await ovs.startOvsdbServer();

      const [info] = await resynced;
      assert.equal(info.found, false, 'a standalone server keeps no transaction history');
      assert.equal(replica.isSynced, true);
      // Exactly one event: br-a updated. br-b (unchanged) produces nothing.
      const changes = batches.flatMap((b) => b.changes);
      assert.equal(changes.length, 1, JSON.stringify(changes.map((c) => [c.kind, c.uuid])));
      const [change] = changes;
      assert.equal(change?.kind, 'update');
      assert.equal(change?.kind === 'update' ? change.new.name : undefined, 'br-a');
      assert.equal(change?.kind === 'update' ? change.new.external_ids.get('changed') : undefined, 'offline');
      assert.equal(batches[0]?.resync, true);
      assert.equal(
        replica.table('Bridge').get(before.get('br-b')?._uuid ?? ''),
        before.get('br-b'),
        'row identity kept',
      );

      // And it keeps following live changes on the new session.
      await ovs.vsctl(['set', 'bridge', 'br-b', 'external_ids:after=restart']);
      await eventually(() => replica.table('Bridge').find((b) => b.external_ids.get('after') === 'restart'));
    } finally {
      await replica.close();
    }
  });
});
