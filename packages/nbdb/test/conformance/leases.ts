// Leases: objects bound to a lease go when it is revoked or expires, with delete events.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Chassis } from '@weir/model';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';
import { WatchRecorder, eventually, rejectsWith, settle } from './helpers.js';

export function leasesSuite(f: StoreFactory): void {
  describe('leases', () => {
    it('revoking a lease deletes its objects (and their index entries) with delete events', async () => {
      const s = await f.open();
      const lease = await s.grantLease(30);
      assert.equal(lease.ttlSeconds, 30);
      const bound = fx.chassis();
      const free = fx.chassis();
      await s.commit([
        { kind: 'create', table: 'chassis', object: bound, lease: lease.id },
        { kind: 'create', table: 'chassis', object: free },
      ]);
      const rec = new WatchRecorder(s, { tables: ['chassis'] });
      await lease.revoke();
      await eventually(
        async () => (await s.get('chassis', bound.id)) === undefined,
        5000,
        'the bound object to go',
      );
      assert.ok(await s.get('chassis', free.id), 'objects without the lease stay');
      assert.deepEqual((await s.list('chassis', { index: { name: 'name', value: bound.name } })).items, []);
      await rec.untilCount(1);
      const [event] = rec.events;
      assert.ok(event?.type === 'delete');
      assert.equal(event.prev.id, bound.id);
      rec.close();
    });

    it('an update keeps the object bound to its lease', async () => {
      const s = await f.open();
      const lease = await s.grantLease(30);
      const c = fx.chassis();
      const [stored] = (await s.commit([{ kind: 'create', table: 'chassis', object: c, lease: lease.id }]))
        .written;
      await s.commit([
        {
          kind: 'update',
          table: 'chassis',
          object: { ...(stored as Chassis), heartbeatAt: '2026-01-01T00:00:10.000Z' },
        },
      ]);
      await lease.revoke();
      await eventually(
        async () => (await s.get('chassis', c.id)) === undefined,
        5000,
        'the updated object to go',
      );
    });

    it('a revoked lease takes no new objects', async () => {
      const s = await f.open();
      const lease = await s.grantLease(30);
      await lease.revoke();
      const c = fx.chassis();
      await rejectsWith(
        s.commit([{ kind: 'create', table: 'chassis', object: c, lease: lease.id }]),
        'WEIR_STORE_NOT_FOUND',
        '/ops/0',
      );
      assert.equal(await s.get('chassis', c.id), undefined);
    });

    it('a lease stays alive while its client runs', async () => {
      const s = await f.open();
      // 3 s, not 1: etcd rounds a 1 s TTL up to ~2 s and the client renews every TTL/3, so a
      // 1.7 s stall of a loaded machine could end a 1 s lease although its client runs.
      const lease = await s.grantLease(3);
      const c = fx.chassis();
      await s.commit([{ kind: 'create', table: 'chassis', object: c, lease: lease.id }]);
      await settle(4500);
      assert.ok(await s.get('chassis', c.id), 'kept alive past its TTL');
    });

    const openSecond = f.openSecond?.bind(f);
    it(
      'a lease expires once its client is gone, deleting its objects',
      { skip: openSecond ? false : 'the driver has no second client' },
      async () => {
        const s = await f.open();
        const other = await (openSecond as NonNullable<typeof openSecond>)();
        const lease = await other.grantLease(1);
        const c = fx.chassis();
        await other.commit([{ kind: 'create', table: 'chassis', object: c, lease: lease.id }]);
        const rec = new WatchRecorder(s, { tables: ['chassis'] });
        await other.close();
        await rec.untilCount(1, 15_000);
        assert.ok(rec.events[0]?.type === 'delete');
        assert.equal(await s.get('chassis', c.id), undefined);
        rec.close();
      },
    );
  });
}
