// Selective topology distribution on a real store (the embedded driver): the subscription holds
// exactly the networks its interfaces need, loads them without losing concurrent changes, lets
// them go with the last interface, and re-reads after a watch reset.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  DEFAULT_CONFIG,
  adminActor,
  createContext,
  createNetwork,
  createPort,
  deletePort,
  updatePort,
  type CoreContext,
} from '@weir/core';
import { Engine } from '@weir/engine';
import type { LogicalPort } from '@weir/model';
import { openStore, type Store, type WatchBatch, type WatchFilter } from '@weir/nbdb';
import { buildControllerGraph, TopologySubscription, type PortView } from '../src/index.js';

const actor = adminActor('b'.repeat(32));

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A store whose watch can be paused (events dropped, as a broken stream loses them) and reset. */
function pausableStore(store: Store): { store: Store; pause(): void; resetAndResume(): void } {
  let listener: ((b: WatchBatch) => void) | undefined;
  let paused = false;
  const wrapped: Store = Object.create(store) as Store;
  wrapped.watch = (filter: WatchFilter, l: (b: WatchBatch) => void) => {
    listener = l;
    return store.watch(filter, (b) => {
      if (!paused) l(b);
    });
  };
  return {
    store: wrapped,
    pause: () => {
      paused = true;
    },
    resetAndResume: () => {
      paused = false;
      listener?.({ revision: 0, events: [{ type: 'reset' }] });
    },
  };
}

describe('topology subscription', () => {
  let store: Store;
  let ctx: CoreContext;
  let graph: ReturnType<typeof buildControllerGraph>;
  let engine: Engine;
  let sub: TopologySubscription | undefined;

  beforeEach(async () => {
    store = await openStore('memory:');
    ctx = createContext(store, { defaultQuotas: { ...DEFAULT_CONFIG.defaultQuotas, network: -1, port: -1 } });
    graph = buildControllerGraph();
    engine = new Engine(graph.graph);
  });
  afterEach(async () => {
    sub?.close();
    await store.close();
  });

  function subscribe(s: Store = store): TopologySubscription {
    sub = new TopologySubscription(s, {
      ports: engine.input(graph.ports),
      networks: engine.input(graph.networks),
      chassis: engine.input(graph.chassis),
      changed: () => undefined,
    });
    return sub;
  }
  const ports = (): ReadonlyMap<string, PortView> => engine.input(graph.ports).current;
  const networks = (): ReadonlySet<string> => new Set(engine.input(graph.networks).current.keys());

  it('holds only the networks of its interfaces: 1 of 100 networks', async () => {
    const nets = [];
    for (let i = 0; i < 100; i++) nets.push(await createNetwork(ctx, actor, { name: `n${i}` }));
    const byNet = new Map<string, string[]>();
    for (const n of nets) {
      for (let j = 0; j < 3; j++) {
        const p = await createPort(ctx, actor, { networkId: n.id });
        byNet.set(n.id, [...(byNet.get(n.id) ?? []), p.id]);
      }
    }
    const s = subscribe();
    await s.start();
    const target = nets[42]!;
    s.want(byNet.get(target.id)![0]!);
    await until('network 42 loaded', () => ports().size === 3);
    assert.deepEqual(networks(), new Set([target.id]));
    assert.deepEqual(new Set(ports().keys()), new Set(byNet.get(target.id)));
    // Changes elsewhere are dropped on arrival; changes in the held network arrive.
    await createPort(ctx, actor, { networkId: nets[7]!.id });
    const extra = await createPort(ctx, actor, { networkId: target.id });
    await until('new port of the held network', () => ports().has(extra.id));
    assert.equal(ports().size, 4);
    assert.equal(s.stats().networks, 1);
    assert.ok(s.stats().dropped >= 1, 'the other network’s event was dropped');
  });

  it('an interface plugged before its port exists subscribes once the port is created', async () => {
    const n = await createNetwork(ctx, actor, { name: 'late' });
    const s = subscribe();
    await s.start();
    const id = '0a1b2c3d-0000-4000-8000-000000000001';
    s.want(id);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(networks().size, 0);
    // The port appears later, with that id (as a CMS that plugs first would arrange).
    const created = await createPortWithId(ctx, n.id, id);
    await until('subscribed through the watch', () => ports().has(created));
    assert.deepEqual(networks(), new Set([n.id]));
  });

  it('the last interface leaving evicts the network and its ports; one of two leaving does not', async () => {
    const n = await createNetwork(ctx, actor, { name: 'evict' });
    const a = await createPort(ctx, actor, { networkId: n.id });
    const b = await createPort(ctx, actor, { networkId: n.id });
    const s = subscribe();
    await s.start();
    s.want(a.id);
    s.want(b.id);
    await until('loaded', () => ports().size === 2);
    s.unwant(a.id);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(ports().size, 2);
    s.unwant(b.id);
    assert.equal(ports().size, 0);
    assert.equal(networks().size, 0);
    assert.equal(s.stats().networks, 0);
  });

  it('changes made while a network loads are not lost (list-then-replay by version)', async () => {
    const n = await createNetwork(ctx, actor, { name: 'busy' });
    const seed = await createPort(ctx, actor, { networkId: n.id });
    const doomed: LogicalPort[] = [];
    for (let i = 0; i < 20; i++) doomed.push(await createPort(ctx, actor, { networkId: n.id }));
    const s = subscribe();
    await s.start();
    // Subscribe and, at the same time, create, update and delete ports of that network.
    s.want(seed.id);
    const created = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const p = await createPort(ctx, actor, { networkId: n.id });
        await deletePort(ctx, actor, doomed[i]!.id);
        return updatePort(ctx, actor, p.id, { name: `renamed-${i}`, adminStateUp: i % 2 === 0 });
      }),
    );
    const expected = new Map(
      (await store.list('logical_port', { index: { name: 'network', value: n.id } })).items.map((p) => [
        p.id,
        p,
      ]),
    );
    await until(
      'converged',
      () => ports().size === expected.size && [...expected.keys()].every((id) => ports().has(id)),
    );
    for (const p of created) assert.equal(ports().get(p.id)?.adminUp, p.adminStateUp);
    for (const d of doomed) assert.equal(ports().has(d.id), false);
  });

  it('a watch reset re-reads every held network and the chassis', async () => {
    const n = await createNetwork(ctx, actor, { name: 'reset' });
    const a = await createPort(ctx, actor, { networkId: n.id });
    const gone = await createPort(ctx, actor, { networkId: n.id });
    const p = pausableStore(store);
    const s = subscribe(p.store);
    await s.start();
    s.want(a.id);
    await until('loaded', () => ports().size === 2);
    p.pause();
    // Lost while the stream was down: a create, a delete, an update.
    const added = await createPort(ctx, actor, { networkId: n.id });
    await deletePort(ctx, actor, gone.id);
    await updatePort(ctx, actor, a.id, { adminStateUp: false });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(ports().has(added.id), false);
    p.resetAndResume();
    await until(
      're-read',
      () => ports().has(added.id) && !ports().has(gone.id) && ports().get(a.id)?.adminUp === false,
    );
    assert.equal(s.stats().resets, 1);
  });
});

/** A port with a given id, written through the store as core would (the API assigns ids itself). */
async function createPortWithId(ctx: CoreContext, networkId: string, id: string): Promise<string> {
  const port = await createPort(ctx, actor, { networkId });
  // Re-create the same object under the wanted id: delete, then create a copy with that id.
  await deletePort(ctx, actor, port.id);
  const { version: _v, ...rest } = port;
  void _v;
  await ctx.store.commit([{ kind: 'create', table: 'logical_port', object: { ...rest, id, version: 0 } }]);
  return id;
}
