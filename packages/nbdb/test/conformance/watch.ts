// Watches: per-revision batches, filters, prev values, resume, compaction.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogicalSwitch } from '@weir/model';
import type { WatchBatch } from '../../src/store.js';
import type { StoreFactory } from './factory.js';
import { TOPIC_A, TOPIC_B, fx } from './fixtures.js';
import { WatchRecorder, describeEvent, eventually, settle } from './helpers.js';

export function watchSuite(f: StoreFactory): void {
  describe('watch', () => {
    it('delivers one batch per revision, in order, with every event of the transaction', async () => {
      const s = await f.open();
      const rec = new WatchRecorder(s);
      const n1 = fx.network();
      const n2 = fx.network();
      const p = fx.port({ networkId: n1.id });
      // Not awaited in between: the two transactions may reach the store back to back.
      const [c1, c2] = await Promise.all([
        s.commit([
          { kind: 'create', table: 'logical_switch', object: n1 },
          { kind: 'create', table: 'logical_switch', object: n2 },
        ]),
        s.commit([{ kind: 'create', table: 'logical_port', object: p }]),
      ]);
      await rec.until(Math.max(c1.revision, c2.revision));
      await settle(50);
      const byRevision = new Map(rec.batches.map((b) => [b.revision, b]));
      assert.equal(rec.batches.length, 2, 'one batch per revision');
      assert.deepEqual(
        byRevision.get(c1.revision)?.events.map(describeEvent),
        [n1, n2].map((n) => `put logical_switch ${n.id}@${c1.revision}`),
      );
      assert.deepEqual(byRevision.get(c2.revision)?.events.map(describeEvent), [
        `put logical_port ${p.id}@${c2.revision}`,
      ]);
      const revisions = rec.batches.map((b) => b.revision);
      assert.deepEqual(
        revisions,
        [...revisions].sort((a, b) => a - b),
        'in revision order',
      );
      assert.equal(
        rec.watch.revision,
        Math.max(c1.revision, c2.revision),
        'watch.revision is the last delivered',
      );
      rec.close();
    });

    it('filters by table and by topic', async () => {
      const s = await f.open();
      const ports = new WatchRecorder(s, { tables: ['logical_port'] });
      const topicB = new WatchRecorder(s, { topics: [TOPIC_B] });
      const both = new WatchRecorder(s, { tables: ['logical_switch', 'logical_port'], topics: [TOPIC_A] });
      const all = new WatchRecorder(s, { tables: [] });
      const none = new WatchRecorder(s, { topics: [] });
      const nA = fx.network();
      const nB = fx.network({ topic: TOPIC_B });
      const pB = fx.port({ networkId: nB.id, topic: TOPIC_B });
      const sub = fx.subnet({ networkId: nA.id });
      const { revision } = await s.commit([
        { kind: 'create', table: 'logical_switch', object: nA },
        { kind: 'create', table: 'logical_switch', object: nB },
        { kind: 'create', table: 'logical_port', object: pB },
        { kind: 'create', table: 'subnet', object: sub },
      ]);
      const last = await s.commit([
        { kind: 'create', table: 'logical_switch', object: fx.network({ topic: TOPIC_B }) },
      ]);
      await all.until(last.revision);
      await topicB.until(last.revision);
      await settle(50);
      const ids = (r: WatchRecorder): string[] =>
        r.events.flatMap((e) => (e.type === 'put' ? [e.object.id] : []));
      assert.deepEqual(ids(ports), [pB.id]);
      assert.equal(ports.batches[0]?.revision, revision);
      assert.deepEqual(ids(topicB).slice(0, 2), [nB.id, pB.id]);
      assert.equal(ids(topicB).length, 3);
      assert.deepEqual(ids(both), [nA.id]);
      assert.equal(ids(all).length, 5, 'tables: [] watches every table');
      assert.deepEqual(none.batches, [], 'topics: [] watches no topic');
      for (const r of [ports, topicB, both, all, none]) r.close();
    });

    it('puts carry the previous value on update, deletes carry the deleted value', async () => {
      const s = await f.open();
      const rec = new WatchRecorder(s, { tables: ['logical_switch'] });
      const net = fx.network();
      const c1 = await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      const v1 = c1.written[0] as LogicalSwitch;
      const c2 = await s.commit([{ kind: 'update', table: 'logical_switch', object: { ...v1, mtu: 1400 } }]);
      const c3 = await s.commit([{ kind: 'delete', table: 'logical_switch', id: net.id }]);
      await rec.until(c3.revision);
      const [create, update, del] = rec.events;
      assert.ok(create?.type === 'put' && update?.type === 'put' && del?.type === 'delete');
      assert.deepEqual(create.object, v1);
      assert.equal(create.prev, undefined, 'a create has no previous value');
      assert.deepEqual(update.object, c2.written[0]);
      assert.deepEqual(update.prev, v1);
      assert.deepEqual(del.prev, c2.written[0]);
      assert.equal(del.table, 'logical_switch');
      assert.equal(rec.batches[2]?.revision, c3.revision);
      rec.close();
    });

    it('resumes from a revision after the watcher was closed: nothing lost, nothing twice', async () => {
      const s = await f.open();
      const nets = Array.from({ length: 5 }, () => fx.network());
      const first = new WatchRecorder(s);
      const r1 = await s.commit([
        { kind: 'create', table: 'logical_switch', object: nets[0] as LogicalSwitch },
      ]);
      await first.until(r1.revision);
      first.close();
      const resumeFrom = first.watch.revision;
      assert.equal(resumeFrom, r1.revision);
      const missed: number[] = [];
      for (const n of nets.slice(1, 4)) {
        missed.push((await s.commit([{ kind: 'create', table: 'logical_switch', object: n }])).revision);
      }
      await settle(50);
      assert.equal(first.batches.length, 1, 'a closed watch receives nothing more');
      const resumed = new WatchRecorder(s, { fromRevision: resumeFrom });
      const live = await s.commit([
        { kind: 'create', table: 'logical_switch', object: nets[4] as LogicalSwitch },
      ]);
      await resumed.until(live.revision);
      await settle(50);
      assert.deepEqual(
        resumed.batches.map((b) => b.revision),
        [...missed, live.revision],
      );
      assert.deepEqual(
        resumed.events.map((e) => (e.type === 'put' ? e.object.id : e.type)),
        nets.slice(1).map((n) => n.id),
      );
      resumed.close();
    });

    it('a watch from before a compaction gets a reset, then carries on', async () => {
      const s = await f.open();
      const r1 = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      const r3 = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      await s.compact(r3.revision);
      const old = new WatchRecorder(s, { fromRevision: r1.revision - 1 });
      const atCompaction = new WatchRecorder(s, { fromRevision: r3.revision });
      const next = fx.network();
      const r4 = await s.commit([{ kind: 'create', table: 'logical_switch', object: next }]);
      await old.until(r4.revision);
      await atCompaction.until(r4.revision);
      await settle(50);
      const [reset, ...rest] = old.batches;
      assert.deepEqual(reset?.events, [{ type: 'reset' }], 'the first batch is a reset');
      assert.ok((reset?.revision ?? 0) >= r3.revision, 'a reset reports the store revision');
      assert.deepEqual(
        rest.flatMap((b) => b.events.map(describeEvent)),
        [`put logical_switch ${next.id}@${r4.revision}`],
        'after the reset, new changes arrive',
      );
      assert.deepEqual(
        atCompaction.batches.map((b) => b.revision),
        [r4.revision],
        'a watch from the compaction revision itself resumes exactly',
      );
      old.close();
      atCompaction.close();
    });

    it('listeners are called later, never inside commit; a throwing listener harms no one', async () => {
      const s = await f.open();
      let insideCall = false;
      const calledInside: boolean[] = [];
      const good: WatchBatch[] = [];
      const thrown: WatchBatch[] = [];
      const w1 = s.watch({}, (b) => {
        thrown.push(b);
        throw new Error('listener bug (expected by the test)');
      });
      const w2 = s.watch({}, (b) => {
        calledInside.push(insideCall);
        good.push(b);
      });
      insideCall = true;
      const pending = s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      insideCall = false;
      const c1 = await pending;
      const c2 = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      await eventually(() => good.length === 2 && thrown.length === 2, 5000, 'both batches to both watchers');
      assert.deepEqual(calledInside, [false, false]);
      assert.deepEqual(
        good.map((b) => b.revision),
        [c1.revision, c2.revision],
      );
      w1.close();
      w2.close();
    });

    it('close stops delivery', async () => {
      const s = await f.open();
      const rec = new WatchRecorder(s);
      rec.close();
      await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
      await settle(100);
      assert.deepEqual(rec.batches, []);
    });
  });
}
