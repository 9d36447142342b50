// The embedded engine beyond the contract: atomicity under an injected fault at every step of an
// apply, the bounded watch history, delivery order under bursts and re-entrant commits, frozen
// results, the listener-error hook, and named memory stores.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import type { LogicalPort } from '@weir/model';
import { openMemoryStore, type MemoryStoreOptions } from '../src/memory/index.js';
import type { Store, WatchBatch, WriteOp } from '../src/store.js';
import { WatchRecorder, eventually, settle } from './conformance/helpers.js';
import { fx } from './conformance/fixtures.js';
import { dumpStore } from './helpers/dump.js';

const open: Store[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function memory(options: MemoryStoreOptions = {}): Promise<Store> {
  const s = await openMemoryStore(options);
  open.push(s);
  return s;
}

describe('memory engine', () => {
  it('a fault at any step of applying a commit leaves the store exactly as it was', async () => {
    let failAt = -1;
    const s = await memory({
      faults: {
        beforeApplyStep: (step) => {
          if (step === failAt) throw new Error(`fault at step ${step} (injected)`);
        },
      },
    });
    const net = fx.network();
    const other = fx.network();
    const sg = randomUUID();
    const old = fx.port({ networkId: net.id, securityGroups: [sg] });
    const doomed = fx.port({ networkId: net.id });
    const setup = await s.commit([
      { kind: 'create', table: 'logical_switch', object: net },
      { kind: 'create', table: 'logical_port', object: old },
      { kind: 'create', table: 'logical_port', object: doomed },
      { kind: 'claim', namespace: 'ip', key: '10.0.0.2', owner: old.id },
    ]);
    const stored = setup.written[1] as LogicalPort;
    const before = await dumpStore(s, ['ip']);
    const rec = new WatchRecorder(s);
    const ops: WriteOp[] = [
      { kind: 'create', table: 'logical_port', object: fx.port({ networkId: other.id }) },
      {
        kind: 'update',
        table: 'logical_port',
        object: { ...stored, networkId: other.id, securityGroups: [] },
      },
      { kind: 'delete', table: 'logical_port', id: doomed.id },
      { kind: 'release', namespace: 'ip', key: '10.0.0.2', owner: old.id },
      { kind: 'claim', namespace: 'ip', key: '10.0.0.3', owner: old.id },
      { kind: 'create', table: 'logical_switch', object: other },
    ];
    // Steps: 4 object writes, 2 claim changes, then the revision: 7 places to fail.
    for (failAt = 0; failAt < 7; failAt++) {
      await assert.rejects(s.commit(ops), new RegExp(`fault at step ${failAt}`));
      assert.deepEqual(await dumpStore(s, ['ip']), before, `after a fault at step ${failAt}`);
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'securityGroup', value: sg } })).items.map(
          (p) => p.id,
        ),
        [old.id],
        `index entries after a fault at step ${failAt}`,
      );
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'network', value: other.id } })).items,
        [],
      );
    }
    await settle(20);
    assert.deepEqual(rec.batches, [], 'no watch event for a commit that did not happen');
    failAt = -1;
    const done = await s.commit(ops);
    assert.equal(done.revision, setup.revision + 1, 'the failed attempts used no revision');
    assert.equal(
      (await s.list('logical_port', { index: { name: 'network', value: other.id } })).items.length,
      2,
    );
    rec.close();
  });

  it('the watch history is a bounded ring: resuming from before it gives a reset', async () => {
    const s = await memory({ historyRevisions: 5 });
    const revisions: number[] = [];
    for (let i = 0; i < 10; i++) {
      revisions.push(
        (await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }])).revision,
      );
    }
    const tooOld = new WatchRecorder(s, { fromRevision: revisions[3] ?? assert.fail() });
    const oldestKept = new WatchRecorder(s, { fromRevision: revisions[4] ?? assert.fail() });
    await tooOld.untilCount(1);
    await oldestKept.until(revisions[9] ?? 0);
    assert.deepEqual(tooOld.batches, [{ revision: revisions[9], events: [{ type: 'reset' }] }]);
    assert.deepEqual(
      oldestKept.batches.map((b) => b.revision),
      revisions.slice(5),
    );
    tooOld.close();
    oldestKept.close();
  });

  it('a burst of concurrent commits reaches every watcher complete and in order', async () => {
    const s = await memory();
    const a = new WatchRecorder(s);
    const b = new WatchRecorder(s, { tables: ['logical_switch'] });
    const results = await Promise.all(
      Array.from({ length: 2000 }, () =>
        s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]),
      ),
    );
    const last = Math.max(...results.map((r) => r.revision));
    await a.until(last);
    await b.until(last);
    const expected = results.map((r) => r.revision).sort((x, y) => x - y);
    assert.deepEqual(
      a.batches.map((x) => x.revision),
      expected,
    );
    assert.deepEqual(
      b.batches.map((x) => x.revision),
      expected,
    );
    a.close();
    b.close();
  });

  it('a listener that commits is not re-entered: its own change arrives after it returns', async () => {
    const s = await memory();
    const calls: string[] = [];
    let depth = 0;
    const w = s.watch({ tables: ['logical_switch'] }, (batch: WatchBatch) => {
      depth++;
      calls.push(`in ${batch.revision} depth ${depth}`);
      if (calls.length === 1)
        void s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      depth--;
    });
    const { revision } = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
    await eventually(() => calls.length === 2);
    assert.deepEqual(calls, [`in ${revision} depth 1`, `in ${revision + 1} depth 1`]);
    w.close();
  });

  it('objects handed out are frozen; a listener error goes to the hook', async () => {
    const errors: unknown[] = [];
    const s = await memory({ onListenerError: (e) => errors.push(e) });
    const net = fx.network();
    const { written } = await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
    assert.ok(Object.isFrozen(written[0]));
    const got = await s.get('logical_switch', net.id);
    assert.ok(got && Object.isFrozen(got) && Object.isFrozen(got.availabilityZoneHints));
    const w = s.watch({}, () => {
      throw new Error('boom');
    });
    await s.commit([{ kind: 'delete', table: 'logical_switch', id: net.id }]);
    await eventually(() => errors.length === 1);
    assert.match(String(errors[0]), /boom/);
    w.close();
  });

  it('a named memory store is shared by its clients and dropped with the last', async () => {
    const name = randomUUID();
    const a = await openMemoryStore({ name });
    const b = await openMemoryStore({ name });
    const net = fx.network();
    await a.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
    assert.ok(await b.get('logical_switch', net.id));
    await a.close();
    assert.ok(await b.get('logical_switch', net.id), 'alive while one client is');
    await b.close();
    const c = await memory({ name });
    assert.equal(await c.get('logical_switch', net.id), undefined);
  });
});
