// get / list / create / update / delete: the single-object contract.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { LogicalPort } from '@weir/model';
import type { StoreFactory } from './factory.js';
import { TOPIC_A, TOPIC_B, fx } from './fixtures.js';
import { rejectsWith, sortIds } from './helpers.js';

export function crudSuite(f: StoreFactory): void {
  describe('objects', () => {
    it('create stores the object at the commit revision and get returns it', async () => {
      const s = await f.open();
      const before = await s.revision();
      const net = fx.network({ version: 999 });
      const { revision, written } = await s.commit([
        { kind: 'create', table: 'logical_switch', object: net },
      ]);
      assert.ok(revision > before, 'a write advances the revision');
      assert.deepEqual(written, [{ ...net, version: revision }], 'create ignores the version passed in');
      assert.deepEqual(await s.get('logical_switch', net.id), { ...net, version: revision });
      assert.ok((await s.revision()) >= revision);
      assert.equal(await s.get('logical_switch', randomUUID()), undefined);
      assert.equal(await s.get('subnet', net.id), undefined, 'ids are per table');
    });

    it('every table stores and returns its objects unchanged', async () => {
      const s = await f.open();
      const n = randomUUID();
      const objects = [
        ['chassis', fx.chassis({ bridgeMappings: { physnet1: 'br-ex' } })],
        ['logical_switch', fx.network()],
        [
          'subnet',
          fx.subnet({ networkId: n, hostRoutes: [{ destination: '10.1.0.0/16', nexthop: '10.0.0.9' }] }),
        ],
        ['logical_port', fx.port({ networkId: n, fixedIps: [{ subnetId: n, ipAddress: '10.0.0.5' }] })],
        ['router', fx.router({ externalGateway: { networkId: n, enableSnat: true, portId: randomUUID() } })],
        ['floating_ip', fx.floatingIp({ floatingNetworkId: n })],
        [
          'security_group',
          fx.securityGroup({ rules: [fx.rule({ protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 })] }),
        ],
        [
          'trunk',
          fx.trunk({
            portId: n,
            subports: [{ portId: randomUUID(), segmentationType: 'vlan', segmentationId: 10 }],
          }),
        ],
        ['load_balancer', fx.loadBalancer({ vipNetworkId: n })],
        ['listener', fx.listener({ loadBalancerId: n })],
        ['pool', fx.pool({ loadBalancerId: n, sessionPersistence: { type: 'SOURCE_IP' } })],
        ['member', fx.member({ poolId: n })],
        ['health_monitor', fx.healthMonitor({ poolId: n })],
        ['project', fx.project()],
        ['quota', fx.quota()],
      ] as const;
      const { revision } = await s.commit(
        objects.map(([table, object]) => ({ kind: 'create', table, object })),
      );
      for (const [table, object] of objects) {
        assert.deepEqual(await s.get(table, object.id), { ...object, version: revision }, table);
      }
    });

    it('list by table, by topic, by index and by both', async () => {
      const s = await f.open();
      const netA = randomUUID();
      const netB = randomUUID();
      const sg1 = randomUUID();
      const sg2 = randomUUID();
      const subnet = randomUUID();
      const p1 = fx.port({ networkId: netA, securityGroups: [sg1, sg2] });
      const p2 = fx.port({ networkId: netA, topic: TOPIC_B, securityGroups: [sg2], deviceId: 'vm-1' });
      const p3 = fx.port({
        networkId: netB,
        fixedIps: [
          { subnetId: subnet, ipAddress: '10.0.0.5' },
          { subnetId: subnet, ipAddress: '10.0.0.6' },
        ],
      });
      const { revision } = await s.commit(
        [p1, p2, p3].map((object) => ({ kind: 'create', table: 'logical_port', object })),
      );
      const all = await s.list('logical_port');
      assert.deepEqual(sortIds(all.items), sortIds([p1, p2, p3]));
      assert.ok(all.revision >= revision, 'a list reflects at least the last acknowledged write');
      assert.deepEqual(sortIds((await s.list('logical_port', { topic: TOPIC_A })).items), sortIds([p1, p3]));
      assert.deepEqual(sortIds((await s.list('logical_port', { topic: TOPIC_B })).items), sortIds([p2]));
      const byNet = await s.list('logical_port', { index: { name: 'network', value: netA } });
      assert.deepEqual(sortIds(byNet.items), sortIds([p1, p2]));
      // Multi-valued index: a port with two security groups is listed under both.
      assert.deepEqual(
        sortIds((await s.list('logical_port', { index: { name: 'securityGroup', value: sg1 } })).items),
        [p1.id],
      );
      assert.deepEqual(
        sortIds((await s.list('logical_port', { index: { name: 'securityGroup', value: sg2 } })).items),
        sortIds([p1, p2]),
      );
      // Two fixed IPs on one subnet list the port once.
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'subnet', value: subnet } })).items.map((p) => p.id),
        [p3.id],
      );
      assert.deepEqual(
        sortIds(
          (await s.list('logical_port', { topic: TOPIC_B, index: { name: 'securityGroup', value: sg2 } }))
            .items,
        ),
        [p2.id],
      );
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'network', value: randomUUID() } })).items,
        [],
      );
      assert.deepEqual((await s.list('subnet')).items, []);
      // count agrees with list for every selector shape, including an index with multiple
      // values per object and a topic+index combination.
      assert.equal(await s.count('logical_port'), 3);
      assert.equal(await s.count('logical_port', { topic: TOPIC_A }), 2);
      assert.equal(await s.count('logical_port', { index: { name: 'network', value: netA } }), 2);
      assert.equal(await s.count('logical_port', { index: { name: 'subnet', value: subnet } }), 1);
      assert.equal(
        await s.count('logical_port', { topic: TOPIC_B, index: { name: 'securityGroup', value: sg2 } }),
        1,
      );
      assert.equal(await s.count('subnet'), 0);
      await rejectsWith(
        s.count('logical_port', { index: { name: 'nope', value: 'x' } }),
        'WEIR_MODEL_INVALID',
      );
      const listed = byNet.items.find((p) => p.id === p1.id);
      assert.deepEqual(listed, { ...p1, version: revision }, 'list returns whole objects');
      await rejectsWith(
        s.list('logical_port', { index: { name: 'nope', value: 'x' } }),
        'WEIR_MODEL_INVALID',
      );
    });

    it('create fails with WEIR_STORE_EXISTS when the id exists, in any topic', async () => {
      const s = await f.open();
      const net = fx.network();
      await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      const other = fx.network();
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_switch', object: other },
          { kind: 'create', table: 'logical_switch', object: { ...net, topic: TOPIC_B, name: 'again' } },
        ]),
        'WEIR_STORE_EXISTS',
        '/ops/1',
      );
      assert.equal(
        await s.get('logical_switch', other.id),
        undefined,
        'nothing of the failed commit is written',
      );
      assert.equal((await s.get('logical_switch', net.id))?.topic, TOPIC_A);
    });

    it('update is a compare-and-swap on the version', async () => {
      const s = await f.open();
      const netA = randomUUID();
      const netB = randomUUID();
      const sg = randomUUID();
      const port = fx.port({ networkId: netA, securityGroups: [sg] });
      const [created] = (await s.commit([{ kind: 'create', table: 'logical_port', object: port }])).written;
      assert.ok(created);
      const moved: LogicalPort = {
        ...(created as LogicalPort),
        networkId: netB,
        securityGroups: [],
        name: 'moved',
      };
      const { revision, written } = await s.commit([
        { kind: 'update', table: 'logical_port', object: moved },
      ]);
      assert.ok(revision > created.version);
      assert.deepEqual(written, [{ ...moved, version: revision }]);
      assert.deepEqual(await s.get('logical_port', port.id), { ...moved, version: revision });
      // Indexes follow the update: out of the old values, into the new ones.
      assert.deepEqual((await s.list('logical_port', { index: { name: 'network', value: netA } })).items, []);
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'securityGroup', value: sg } })).items,
        [],
      );
      assert.deepEqual(
        (await s.list('logical_port', { index: { name: 'network', value: netB } })).items.map((p) => p.id),
        [port.id],
      );
      // A stale version loses, and changes nothing.
      await rejectsWith(
        s.commit([{ kind: 'update', table: 'logical_port', object: { ...moved, name: 'stale' } }]),
        'WEIR_STORE_CONFLICT',
        '/ops/0',
      );
      assert.equal((await s.get('logical_port', port.id))?.name, 'moved');
    });

    it('update of a missing object fails with WEIR_STORE_NOT_FOUND; its topic cannot change', async () => {
      const s = await f.open();
      const net = fx.network();
      await rejectsWith(
        s.commit([{ kind: 'update', table: 'logical_switch', object: net }]),
        'WEIR_STORE_NOT_FOUND',
        '/ops/0',
      );
      const [stored] = (await s.commit([{ kind: 'create', table: 'logical_switch', object: net }])).written;
      assert.ok(stored);
      await rejectsWith(
        s.commit([{ kind: 'update', table: 'logical_switch', object: { ...stored, topic: TOPIC_B } }]),
        'WEIR_MODEL_INVALID',
        '/ops/0',
      );
      assert.deepEqual(await s.get('logical_switch', net.id), stored);
    });

    it('delete, with and without an expected version', async () => {
      const s = await f.open();
      const n = randomUUID();
      const a = fx.subnet({ networkId: n });
      const b = fx.subnet({ networkId: n, cidr: '10.0.1.0/24', gatewayIp: null, allocationPools: [] });
      const { revision } = await s.commit([
        { kind: 'create', table: 'subnet', object: a },
        { kind: 'create', table: 'subnet', object: b },
      ]);
      await rejectsWith(
        s.commit([{ kind: 'delete', table: 'subnet', id: a.id, expectedVersion: revision - 1 }]),
        'WEIR_STORE_CONFLICT',
        '/ops/0',
      );
      assert.ok(await s.get('subnet', a.id), 'a delete that lost its CAS deletes nothing');
      await s.commit([{ kind: 'delete', table: 'subnet', id: a.id, expectedVersion: revision }]);
      await s.commit([{ kind: 'delete', table: 'subnet', id: b.id }]);
      assert.equal(await s.get('subnet', a.id), undefined);
      assert.equal(await s.get('subnet', b.id), undefined);
      assert.deepEqual((await s.list('subnet', { index: { name: 'network', value: n } })).items, []);
      await rejectsWith(
        s.commit([{ kind: 'delete', table: 'subnet', id: a.id }]),
        'WEIR_STORE_NOT_FOUND',
        '/ops/0',
      );
      // Deleted ids can be created again.
      await s.commit([{ kind: 'create', table: 'subnet', object: a }]);
      assert.ok(await s.get('subnet', a.id));
    });

    it('callers cannot change stored objects through references', async () => {
      const s = await f.open();
      const sg = fx.securityGroup({ rules: [fx.rule()] });
      const { written } = await s.commit([{ kind: 'create', table: 'security_group', object: sg }]);
      const stored = structuredClone(written[0]);
      sg.name = 'mutated input';
      (sg.rules[0] as { description: string }).description = 'mutated input';
      const got = await s.get('security_group', sg.id);
      assert.ok(got);
      try {
        got.name = 'mutated output';
        (got.rules[0] as { description: string }).description = 'mutated output';
        (written[0] as { name: string }).name = 'mutated result';
      } catch {
        // Frozen objects refuse; that is one acceptable answer.
      }
      assert.deepEqual(await s.get('security_group', sg.id), stored);
      assert.deepEqual((await s.list('security_group')).items, [stored]);
    });
  });
}
