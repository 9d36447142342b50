// Durability across a restart of the store (process, or backend): data, claims, unique keys, and
// a watch resumed across it — exactly, or with a reset, never with a silent gap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogicalSwitch } from '@weir/model';
import type { Store } from '../../src/store.js';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';
import { WatchRecorder, settle, sortIds } from './helpers.js';

export function restartSuite(f: StoreFactory): void {
  const restart = f.restart?.bind(f);
  describe('restart', { skip: restart ? false : 'the driver is not durable' }, () => {
    const again = (): Promise<Store> => (restart as () => Promise<Store>)();

    it('acknowledged objects, indexes and claims survive', async () => {
      const s = await f.open();
      const net = fx.network();
      const ports = [fx.port({ networkId: net.id }), fx.port({ networkId: net.id })];
      await s.commit([
        { kind: 'create', table: 'logical_switch', object: net },
        ...ports.map((object) => ({ kind: 'create' as const, table: 'logical_port' as const, object })),
        {
          kind: 'claim',
          namespace: `mac:${net.id}`,
          key: ports[0]?.macAddress ?? '',
          owner: ports[0]?.id ?? '',
        },
      ]);
      const { revision } = await s.commit([
        { kind: 'delete', table: 'logical_port', id: ports[1]?.id ?? '' },
      ]);
      const s2 = await again();
      assert.ok((await s2.revision()) >= revision);
      assert.equal((await s2.get('logical_switch', net.id))?.id, net.id);
      assert.deepEqual(
        sortIds((await s2.list('logical_port', { index: { name: 'network', value: net.id } })).items),
        [ports[0]?.id],
      );
      assert.equal(await s2.get('logical_port', ports[1]?.id ?? ''), undefined);
      assert.deepEqual(await s2.listClaims(`mac:${net.id}`), [
        { key: ports[0]?.macAddress, owner: ports[0]?.id },
      ]);
      // And it takes new writes.
      const stored = (await s2.get('logical_switch', net.id)) as LogicalSwitch;
      const { revision: r2 } = await s2.commit([
        { kind: 'update', table: 'logical_switch', object: { ...stored, mtu: 1300 } },
      ]);
      assert.ok(r2 > revision);
    });

    it('unique keys are never handed out again after a restart', async () => {
      const s = await f.open();
      const before = await Promise.all(Array.from({ length: 50 }, () => s.allocateUniqueKey('logical_port')));
      const s2 = await again();
      const after = await Promise.all(Array.from({ length: 50 }, () => s2.allocateUniqueKey('logical_port')));
      assert.equal(new Set([...before, ...after]).size, 100);
    });

    it('a watch resumed across a restart resumes exactly or resets, never skips', async () => {
      const s = await f.open();
      const r0 = (await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]))
        .revision;
      const beforeRestart = fx.network();
      await s.commit([{ kind: 'create', table: 'logical_switch', object: beforeRestart }]);
      const s2 = await again();
      const rec = new WatchRecorder(s2, { fromRevision: r0 });
      const afterRestart = fx.network();
      const last = await s2.commit([{ kind: 'create', table: 'logical_switch', object: afterRestart }]);
      await rec.until(last.revision);
      await settle(50);
      const first = rec.batches[0];
      const ids = rec.events.flatMap((e) => (e.type === 'put' ? [e.object.id] : []));
      if (first?.events[0]?.type === 'reset') {
        assert.deepEqual(ids, [afterRestart.id], 'after a reset, the changes that follow');
      } else {
        assert.deepEqual(ids, [beforeRestart.id, afterRestart.id], 'an exact resume misses nothing');
      }
      rec.close();
    });
  });
}
