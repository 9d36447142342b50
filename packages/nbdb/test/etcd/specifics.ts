// What only the etcd driver has: its key layout, etcd's size limits, connections that drop and
// servers that restart, compaction seen by a live watcher, leases of a process that dies, and
// many writers on one object.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { isWeirError, type LogicalPort, type LogicalSwitch, type SecurityGroup } from '@weir/model';
import type { EtcdInstance } from '@weir/lab';
import { openEtcdStore } from '../../src/etcd/index.js';
import { openStore } from '../../src/open.js';
import type { Store, WriteOp } from '../../src/store.js';
import { TOPIC_B, fx } from '../conformance/fixtures.js';
import { WatchRecorder, describeEvent, rejectsWith } from '../conformance/helpers.js';
import { dump, rawClient, type EtcdStores } from './harness.js';
import { TcpProxy } from './proxy.js';

const putIds = (rec: WatchRecorder): string[] =>
  rec.events.flatMap((e) => (e.type === 'put' ? [e.object.id] : []));

function assertIncreasing(revisions: readonly number[]): void {
  for (let i = 1; i < revisions.length; i++) {
    assert.ok(
      (revisions[i] as number) > (revisions[i - 1] as number),
      `revisions increase: ${revisions.join(',')}`,
    );
  }
}

export function etcdSpecifics(stores: EtcdStores, etcd: () => EtcdInstance): void {
  describe('etcd specifics', () => {
    /** A client whose connection goes through a proxy the test can cut. */
    const proxied = async (requestTimeoutMs = 10_000): Promise<{ store: Store; proxy: TcpProxy }> => {
      const proxy = await TcpProxy.start(etcd().clientPort);
      const store = await stores.client({ endpoints: [proxy.endpoint], requestTimeoutMs });
      return { store, proxy };
    };

    it('key layout: version-less objects, locators, index entries holding the topic, escaped segments', async () => {
      const s = await stores.open();
      const p = stores.prefix;
      const chassis = fx.chassis({ name: 'rack 1/node%2' });
      const { revision, written } = await s.commit([
        { kind: 'create', table: 'chassis', object: chassis },
        { kind: 'claim', namespace: 'subnet:s1', key: '10.0.0.0/24', owner: chassis.id },
      ]);
      const key = await s.allocateUniqueKey('chassis');
      const raw = rawClient(etcd());
      try {
        const kv = await dump(raw, `${p}/`);
        const { version: _v, ...stored } = written[0] as typeof chassis;
        assert.deepEqual(JSON.parse(kv.get(`${p}/o/chassis/chassis/${chassis.id}`)?.value ?? ''), stored);
        assert.equal(kv.get(`${p}/id/chassis/${chassis.id}`)?.value, 'chassis');
        assert.equal(kv.get(`${p}/ix/chassis/name/rack%201%2Fnode%252/${chassis.id}`)?.value, 'chassis');
        assert.equal(kv.get(`${p}/cl/subnet%3As1/10.0.0.0%2F24`)?.value, chassis.id);
        assert.equal(kv.get(`${p}/uk/chassis`)?.value, '64', 'a block of 64 keys reserved');
        assert.equal(kv.size, 5, [...kv.keys()].join('\n'));
        const [obj] = (await raw.get(`${p}/o/chassis/chassis/${chassis.id}`).exec()).kvs;
        assert.equal(Number(obj?.mod_revision), revision, 'version = mod_revision');
      } finally {
        raw.close();
      }
      assert.equal(key, 1);
      const byName = async (name: string): Promise<number> =>
        (await s.list('chassis', { index: { name: 'name', value: name } })).items.length;
      assert.equal(await byName('rack 1/node%2'), 1);
      assert.equal(await byName('rack 1'), 0, 'a value with "/" does not leak into its prefix');
    });

    it("openStore('etcd://host:port/prefix') opens this driver on that prefix", async () => {
      const s = await stores.open();
      const net = fx.network();
      await s.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      const byUrl = await openStore(`etcd://127.0.0.1:${etcd().clientPort}/${stores.prefix}`);
      try {
        assert.equal(byUrl.driver, 'etcd');
        assert.equal((await byUrl.get('logical_switch', net.id))?.id, net.id);
      } finally {
        await byUrl.close();
      }
    });

    it('a leased object binds its locator and index entries to the lease too', async () => {
      const s = await stores.open();
      const lease = await s.grantLease(30);
      const chassis = fx.chassis();
      await s.commit([{ kind: 'create', table: 'chassis', object: chassis, lease: lease.id }]);
      const raw = rawClient(etcd());
      try {
        const kv = await dump(raw, `${stores.prefix}/`);
        assert.equal(kv.size, 3);
        for (const [k, v] of kv) assert.equal(v.lease, lease.id, k);
        await lease.revoke();
        assert.equal((await dump(raw, `${stores.prefix}/`)).size, 0, 'nothing dangles');
      } finally {
        raw.close();
      }
    });

    it('a transaction beyond the server limits is refused with WEIR_STORE_TOO_LARGE; the client stays usable', async () => {
      const s = await stores.open();
      const claims = (n: number): WriteOp[] =>
        Array.from({ length: n }, (_, i) => ({ kind: 'claim', namespace: 'big', key: `k${i}`, owner: 'o' }));
      // Counted here, before anything is sent (the driver knows the server's --max-txn-ops).
      await rejectsWith(s.commit(claims(10_001)), 'WEIR_STORE_TOO_LARGE');
      // A client told a larger limit than the server's: etcd refuses, with the same code.
      const optimist = await stores.client({ maxTxnOps: 100_000, maxRequestBytes: 1 << 30 });
      await rejectsWith(optimist.commit(claims(10_001)), 'WEIR_STORE_TOO_LARGE');
      // Bytes: 60 security groups of 1,000 rules are ~20 MB, beyond --max-request-bytes (16 MiB).
      const groups = Array.from({ length: 60 }, () =>
        fx.securityGroup({
          rules: Array.from({ length: 1000 }, () => fx.rule({ description: 'x'.repeat(100) })),
        }),
      );
      const creates = groups.map((object): WriteOp => ({ kind: 'create', table: 'security_group', object }));
      await rejectsWith(s.commit(creates), 'WEIR_STORE_TOO_LARGE');
      await rejectsWith(optimist.commit(creates), 'WEIR_STORE_TOO_LARGE');
      assert.deepEqual(await s.listClaims('big'), []);
      assert.deepEqual((await s.list('security_group')).items, []);
      // Neither refusal broke anything: both clients write at once (no circuit breaker opened).
      await s.commit(claims(10_000));
      await optimist.commit([
        { kind: 'create', table: 'security_group', object: groups[0] as SecurityGroup },
      ]);
      assert.equal((await optimist.listClaims('big')).length, 10_000);
    });

    it('a watch survives etcd restarts and crashes: nothing lost, nothing twice', async () => {
      const s = await stores.open();
      const rec = new WatchRecorder(s, { tables: ['logical_switch'] });
      const nets = Array.from({ length: 4 }, () => fx.network());
      const create = (st: Store, n: LogicalSwitch) =>
        st.commit([{ kind: 'create', table: 'logical_switch', object: n }]);
      await rec.until((await create(s, nets[0] as LogicalSwitch)).revision);
      await etcd().restart();
      // The same client writes again as soon as etcd is back (its calls ride over the restart).
      await rec.until((await create(s, nets[1] as LogicalSwitch)).revision, 10_000);
      await etcd().kill();
      await etcd().resume();
      const other = await stores.openSecond();
      await create(other, nets[2] as LogicalSwitch);
      await rec.until((await create(other, nets[3] as LogicalSwitch)).revision, 10_000);
      assert.deepEqual(
        putIds(rec),
        nets.map((n) => n.id),
      );
      assert.ok(
        rec.events.every((e) => e.type === 'put'),
        'no reset: etcd kept its history',
      );
      assertIncreasing(rec.batches.map((b) => b.revision));
      rec.close();
    });

    it('a dropped connection: the watch resumes where it was; calls fail with WEIR_STORE_UNAVAILABLE meanwhile', async () => {
      const s = await stores.open();
      const { store: far, proxy } = await proxied(500);
      try {
        // From an explicit revision: a watch "from now" on one client and a write on another race.
        const rec = new WatchRecorder(far, { tables: ['logical_switch'], fromRevision: await s.revision() });
        const first = fx.network();
        await rec.until(
          (await s.commit([{ kind: 'create', table: 'logical_switch', object: first }])).revision,
        );
        proxy.cut();
        const missed = Array.from({ length: 3 }, () => fx.network());
        for (const n of missed) await s.commit([{ kind: 'create', table: 'logical_switch', object: n }]);
        await rejectsWith(far.get('logical_switch', first.id), 'WEIR_STORE_UNAVAILABLE');
        await rejectsWith(
          far.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]),
          'WEIR_STORE_UNAVAILABLE',
        );
        proxy.restore();
        const last = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
        await rec.until(last.revision, 10_000);
        assert.deepEqual(
          putIds(rec).slice(0, 4),
          [first, ...missed].map((n) => n.id),
        );
        assert.equal(putIds(rec).length, 5);
        assertIncreasing(rec.batches.map((b) => b.revision));
        assert.ok(await far.get('logical_switch', first.id), 'calls work again');
        rec.close();
      } finally {
        await proxy.close();
      }
    });

    it('a watch that was disconnected across a compaction gets a reset, then carries on', async () => {
      const s = await stores.open();
      const { store: far, proxy } = await proxied();
      try {
        // From an explicit revision: a watch "from now" on one client and a write on another race.
        const rec = new WatchRecorder(far, { tables: ['logical_switch'], fromRevision: await s.revision() });
        const r1 = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
        await rec.until(r1.revision);
        proxy.cut();
        await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
        const r3 = await s.commit([{ kind: 'create', table: 'logical_switch', object: fx.network() }]);
        await s.compact(r3.revision);
        proxy.restore();
        const next = fx.network();
        const r4 = await s.commit([{ kind: 'create', table: 'logical_switch', object: next }]);
        await rec.until(r4.revision, 10_000);
        const [before, reset, ...rest] = rec.batches;
        assert.equal(before?.revision, r1.revision);
        assert.deepEqual(reset?.events, [{ type: 'reset' }]);
        assert.equal(reset?.revision, r3.revision, 'the reset is at the compaction revision');
        assert.deepEqual(
          rest.flatMap((b) => b.events.map(describeEvent)),
          [`put logical_switch ${next.id}@${r4.revision}`],
        );
        rec.close();
      } finally {
        await proxy.close();
      }
    });

    it('an unreachable etcd is WEIR_STORE_UNAVAILABLE at open', async () => {
      const proxy = await TcpProxy.start(etcd().clientPort);
      proxy.cut();
      try {
        await rejectsWith(
          openEtcdStore({ endpoints: [proxy.endpoint], prefix: 'x', requestTimeoutMs: 300 }),
          'WEIR_STORE_UNAVAILABLE',
        );
      } finally {
        await proxy.close();
      }
    });

    it('a lease ends when the process holding it is killed, deleting its chassis and every key of it', async () => {
      const s = await stores.open();
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          new URL('lease-holder.ts', import.meta.url).pathname,
          etcd().endpoint,
          stores.prefix,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      try {
        let line = '';
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          line += chunk.toString();
          if (line.includes('\n')) break;
        }
        const { id } = JSON.parse(line) as { id: string };
        assert.ok(await s.get('chassis', id));
        const rec = new WatchRecorder(s, { tables: ['chassis'], fromRevision: await s.revision() });
        child.kill('SIGKILL');
        await rec.untilCount(1, 10_000);
        assert.deepEqual(
          rec.events.map((e) => (e.type === 'delete' ? e.prev.id : e.type)),
          [id],
        );
        const raw = rawClient(etcd());
        try {
          assert.equal(
            (await dump(raw, `${stores.prefix}/`)).size,
            0,
            'object, locator and index entry gone',
          );
        } finally {
          raw.close();
        }
        rec.close();
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('4 clients doing read-modify-write with CAS: exactly one winner per version, no update lost', async () => {
      const first = await stores.open();
      const clients = [first, ...(await Promise.all([1, 2, 3].map(() => stores.openSecond())))];
      const net = fx.network({ mtu: 1000 });
      await first.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      let conflicts = 0;
      const winners = new Map<number, number>(); // version read -> updates that won from it
      const increment = async (s: Store): Promise<void> => {
        for (;;) {
          const current = (await s.get('logical_switch', net.id)) as LogicalSwitch;
          try {
            await s.commit([
              { kind: 'update', table: 'logical_switch', object: { ...current, mtu: current.mtu + 1 } },
            ]);
            winners.set(current.version, (winners.get(current.version) ?? 0) + 1);
            return;
          } catch (error) {
            if (!isWeirError(error, 'WEIR_STORE_CONFLICT')) throw error;
            conflicts++;
          }
        }
      };
      await Promise.all(
        clients.map(async (c) => {
          for (let i = 0; i < 10; i++) await increment(c);
        }),
      );
      assert.equal(((await first.get('logical_switch', net.id)) as LogicalSwitch).mtu, 1040);
      assert.ok(
        [...winners.values()].every((n) => n === 1),
        'never two winners from one version',
      );
      assert.ok(conflicts > 0, 'the clients did race');
    });

    it('creates and claims are not read first, yet the first failing op is the one reported', async () => {
      const s = await stores.open();
      const net = fx.network();
      const other = fx.network();
      const [, stored] = (
        await s.commit([
          { kind: 'create', table: 'logical_switch', object: net },
          { kind: 'create', table: 'logical_switch', object: other },
        ])
      ).written;
      await s.commit([{ kind: 'claim', namespace: 'mac', key: 'm1', owner: 'x' }]);
      // Op 0 fails on what was only assumed (the id is free), op 1 on what was read (the version).
      await rejectsWith(
        s.commit([
          { kind: 'create', table: 'logical_switch', object: { ...net, name: 'again' } },
          { kind: 'update', table: 'logical_switch', object: { ...(stored as LogicalSwitch), version: 1 } },
        ]),
        'WEIR_STORE_EXISTS',
        '/ops/0',
      );
      await rejectsWith(
        s.commit([
          { kind: 'claim', namespace: 'mac', key: 'm1', owner: 'y' },
          { kind: 'update', table: 'logical_switch', object: { ...(stored as LogicalSwitch), version: 1 } },
        ]),
        'WEIR_STORE_CLAIMED',
        '/ops/0',
      );
      // An idempotent claim (assumed free, found ours) succeeds on the second try.
      await s.commit([{ kind: 'claim', namespace: 'mac', key: 'm1', owner: 'x' }]);
      assert.deepEqual(await s.listClaims('mac'), [{ key: 'm1', owner: 'x' }]);
    });

    it('versions a client holds save it a read; a stale one costs a retry, never a wrong answer', async () => {
      const a = await stores.open();
      const b = await stores.openSecond();
      const net = fx.network();
      const [v1] = (await a.commit([{ kind: 'create', table: 'logical_switch', object: net }])).written;
      await b.commit([
        { kind: 'update', table: 'logical_switch', object: { ...(v1 as LogicalSwitch), mtu: 1300 } },
      ]);
      // `a` still holds v1: its CAS from v1 must lose, and its delete (no version) must win.
      await rejectsWith(
        a.commit([
          { kind: 'update', table: 'logical_switch', object: { ...(v1 as LogicalSwitch), mtu: 1200 } },
        ]),
        'WEIR_STORE_CONFLICT',
        '/ops/0',
      );
      await a.commit([{ kind: 'delete', table: 'logical_switch', id: net.id }]);
      assert.equal(await b.get('logical_switch', net.id), undefined);

      // Deleted and created again under another topic behind `a`'s back: a's delete finds it.
      const moving = fx.network();
      await a.commit([{ kind: 'create', table: 'logical_switch', object: moving }]);
      await b.commit([{ kind: 'delete', table: 'logical_switch', id: moving.id }]);
      await b.commit([{ kind: 'create', table: 'logical_switch', object: { ...moving, topic: TOPIC_B } }]);
      await a.commit([{ kind: 'delete', table: 'logical_switch', id: moving.id }]);
      assert.deepEqual((await b.list('logical_switch', { topic: TOPIC_B })).items, []);

      // A caller changing an object it was given in place does not change what we believe is
      // stored: the update still moves the index entries from the old network to the new one.
      const [netA, netB] = [randomUUID(), randomUUID()];
      await a.commit([{ kind: 'create', table: 'logical_port', object: fx.port({ networkId: netA }) }]);
      const [port] = (await a.list('logical_port')).items;
      const got = (await a.get('logical_port', port?.id ?? '')) as LogicalPort;
      got.networkId = netB;
      await a.commit([{ kind: 'update', table: 'logical_port', object: got }]);
      const on = async (n: string): Promise<number> =>
        (await b.list('logical_port', { index: { name: 'network', value: n } })).items.length;
      assert.deepEqual([await on(netA), await on(netB)], [0, 1]);
    });

    it('reads issued together reach etcd as one transaction, each with its own answer', async () => {
      /** etcd's own count of unary KV reads it served (Range and Txn calls). */
      const served = async (): Promise<number> => {
        const text = await (await fetch(`${etcd().endpoints[0] as string}/metrics`)).text();
        let n = 0;
        for (const m of text.matchAll(
          /^grpc_server_handled_total\{[^}]*grpc_method="(Range|Txn)"[^}]*\} (\d+)$/gm,
        ))
          n += Number(m[2]);
        return n;
      };
      const writer = await stores.open();
      const nets = [fx.network(), fx.network(), fx.network()];
      const port = fx.port({ networkId: (nets[0] as LogicalSwitch).id });
      await writer.commit([
        ...nets.map((object): WriteOp => ({ kind: 'create', table: 'logical_switch', object })),
        { kind: 'create', table: 'logical_port', object: port },
      ]);
      // Another client: it knows nothing of these objects, so every get is a read.
      const s = await stores.client();
      const before = await served();
      const [a, b, missing, ports, count] = await Promise.all([
        s.get('logical_switch', (nets[0] as LogicalSwitch).id),
        s.get('logical_switch', (nets[1] as LogicalSwitch).id),
        s.get('logical_switch', randomUUID()),
        s.list('logical_port', { index: { name: 'network', value: (nets[0] as LogicalSwitch).id } }),
        s.count('logical_switch'),
      ]);
      const reads = (await served()) - before;
      assert.equal(a?.id, (nets[0] as LogicalSwitch).id);
      assert.equal(b?.id, (nets[1] as LogicalSwitch).id);
      assert.equal(missing, undefined);
      assert.deepEqual(
        ports.items.map((p) => p.id),
        [port.id],
      );
      assert.equal(count, 3);
      // Five reads and the index list's fetch of its objects: two round trips, not six or seven.
      assert.equal(reads, 2, `${reads} reads served`);
    });

    describe('a rival write between the reads and the transaction', () => {
      /** A client whose next commit lets `rival` write once, after its reads, before its transaction. */
      const withRival = async (rival: () => Promise<unknown>): Promise<{ s: Store; attempts: number[] }> => {
        const attempts: number[] = [];
        const s = await stores.client({
          faults: {
            beforeCommitTxn: async (attempt) => {
              attempts.push(attempt);
              if (attempt === 1) await rival();
            },
          },
        });
        return { s, attempts };
      };

      it('makes the transaction fail; the failure branch names the op that now fails', async () => {
        const other = await stores.open();
        const net = fx.network();
        const [stored] = (await other.commit([{ kind: 'create', table: 'logical_switch', object: net }]))
          .written;
        const rename = (name: string): WriteOp => ({
          kind: 'update',
          table: 'logical_switch',
          object: { ...(stored as LogicalSwitch), name },
        });
        const { s, attempts } = await withRival(() => other.commit([rename('rival')]));
        await rejectsWith(
          s.commit([{ kind: 'claim', namespace: 'n', key: 'k', owner: 'me' }, rename('mine')]),
          'WEIR_STORE_CONFLICT',
          '/ops/1',
        );
        assert.deepEqual(attempts, [1], 'judged on the re-read the failed transaction returned');
        assert.equal((await other.get('logical_switch', net.id))?.name, 'rival');
        assert.deepEqual(await other.listClaims('n'), [], 'nothing of the failed commit');
      });

      it('EXISTS, CLAIMED and checkEmpty are found the same way', async () => {
        const other = await stores.open();
        const net = fx.network();
        const port = fx.port({ networkId: net.id });
        const cases: [
          () => Promise<unknown>,
          WriteOp[],
          'WEIR_STORE_EXISTS' | 'WEIR_STORE_CLAIMED' | 'WEIR_STORE_CONFLICT',
        ][] = [
          [
            () => other.commit([{ kind: 'create', table: 'logical_switch', object: net }]),
            [{ kind: 'create', table: 'logical_switch', object: { ...net, name: 'mine' } }],
            'WEIR_STORE_EXISTS',
          ],
          [
            () => other.commit([{ kind: 'claim', namespace: 'ip', key: '10.0.0.5', owner: 'rival' }]),
            [{ kind: 'claim', namespace: 'ip', key: '10.0.0.5', owner: 'me' }],
            'WEIR_STORE_CLAIMED',
          ],
          [
            () => other.commit([{ kind: 'create', table: 'logical_port', object: port }]),
            [{ kind: 'checkEmpty', table: 'logical_port', index: { name: 'network', value: net.id } }],
            'WEIR_STORE_CONFLICT',
          ],
        ];
        for (const [rival, ops, code] of cases) {
          const { s } = await withRival(rival);
          await rejectsWith(s.commit(ops), code, '/ops/0');
        }
      });

      it('a change that does not matter to the commit is retried, not refused', async () => {
        const other = await stores.open();
        const net = fx.network();
        const [stored] = (await other.commit([{ kind: 'create', table: 'logical_switch', object: net }]))
          .written;
        // A delete without expectedVersion does not care that the object was updated meanwhile.
        const { s, attempts } = await withRival(() =>
          other.commit([
            { kind: 'update', table: 'logical_switch', object: { ...(stored as LogicalSwitch), mtu: 1300 } },
          ]),
        );
        await s.commit([{ kind: 'delete', table: 'logical_switch', id: net.id }]);
        assert.deepEqual(attempts, [1, 2]);
        assert.equal(await other.get('logical_switch', net.id), undefined);
        assert.deepEqual((await other.list('logical_switch')).items, []);
      });
    });
  });
}
