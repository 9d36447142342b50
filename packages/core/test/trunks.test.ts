import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import { openStore } from '@weir/nbdb';
import {
  TRUNK_PORT_NAMESPACE,
  addSubports,
  createTrunk,
  deletePort,
  deleteTrunk,
  removeSubports,
  updatePort,
  updateTrunk,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';
import { rejectsWith, trunkNet } from './helpers/trunk-fixtures.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

const claims = async (): Promise<Map<string, string>> =>
  new Map((await env.store.listClaims(TRUNK_PORT_NAMESPACE)).map((c) => [c.key, c.owner]));

const vlan = (portId: string, segmentationId: number) => ({
  portId,
  segmentationType: 'vlan',
  segmentationId,
});

describe('trunks: create', () => {
  it('creates a DOWN trunk, marks its subports and claims every port it uses', async () => {
    const net = await trunkNet(env);
    const [parent, a, b] = [await net.port(), await net.port(), await net.port()];
    const trunk = await createTrunk(env.ctx, env.alice, {
      portId: parent.id,
      name: 't1',
      subports: [vlan(a.id, 100), vlan(b.id, 200)],
    });
    assert.equal(trunk.status, 'DOWN');
    assert.equal(trunk.adminStateUp, true);
    assert.equal(trunk.topic, env.alice.projectId);
    assert.deepEqual(
      trunk.subports.map((s) => [s.portId, s.segmentationId]),
      [
        [a.id, 100],
        [b.id, 200],
      ],
    );
    const sa = await env.store.get('logical_port', a.id);
    assert.deepEqual(sa?.subportOf, {
      trunkId: trunk.id,
      parentPortId: parent.id,
      segmentationType: 'vlan',
      segmentationId: 100,
    });
    assert.equal((await env.store.get('logical_port', parent.id))?.subportOf, undefined);
    assert.deepEqual(
      await claims(),
      new Map([
        [parent.id, trunk.id],
        [a.id, trunk.id],
        [b.id, trunk.id],
      ]),
    );
  });

  it('refuses a parent that does not exist or belongs to another project (PortNotFound)', async () => {
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: randomUUID() }),
      'WEIR_CORE_NOT_FOUND',
      'PortNotFound',
    );
    const bobs = await trunkNet(env, { actor: env.bob });
    const port = await bobs.port();
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: port.id }),
      'WEIR_CORE_NOT_FOUND',
      'PortNotFound',
    );
  });

  it('refuses a parent already used by a trunk, as parent or as subport', async () => {
    const net = await trunkNet(env);
    const [parent, sub] = [await net.port(), await net.port()];
    await createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(sub.id, 10)] });
    const e1 = await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id }),
      'WEIR_CORE_IN_USE',
      'ParentPortInUse',
    );
    assert.equal(
      e1.message,
      `Port ${parent.id} is currently in use and is not eligible for use as a parent port.`,
    );
    const e2 = await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: sub.id }),
      'WEIR_CORE_IN_USE',
      'TrunkPortInUse',
    );
    assert.equal(e2.message, `Port ${sub.id} is in use by another trunk.`);
  });

  it('refuses a bound parent (the OVS data plane trunks a port when it is plugged)', async () => {
    const net = await trunkNet(env);
    const parent = await net.port();
    await updatePort(env.ctx, env.admin, parent.id, { binding: { hostId: 'node-1' } });
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id }),
      'WEIR_CORE_IN_USE',
      'ParentPortInUse',
    );
  });

  it('refuses subports that are the parent, in a trunk, in use by a device, or not visible', async () => {
    const net = await trunkNet(env);
    const [parent, p2, s2, withDevice] = [
      await net.port(),
      await net.port(),
      await net.port(),
      await net.port({ deviceId: 'vm-1' }),
    ];
    await createTrunk(env.ctx, env.alice, { portId: p2.id, subports: [vlan(s2.id, 5)] });
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(parent.id, 5)] }),
      'WEIR_CORE_IN_USE',
      'ParentPortInUse',
    );
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(s2.id, 5)] }),
      'WEIR_CORE_IN_USE',
      'TrunkPortInUse',
    );
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(p2.id, 5)] }),
      'WEIR_CORE_IN_USE',
      'ParentPortInUse',
    );
    const e = await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(withDevice.id, 5)] }),
      'WEIR_CORE_IN_USE',
      'PortInUse',
    );
    assert.match(e.message, /Port already has an attached device vm-1\.$/);
    const bobs = await trunkNet(env, { actor: env.bob });
    const bobPort = await bobs.port();
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(bobPort.id, 5)] }),
      'WEIR_CORE_NOT_FOUND',
      'PortNotFound',
    );
    // Nothing of the refused trunks was written.
    assert.equal((await env.store.list('trunk')).items.length, 1);
    assert.equal((await claims()).has(parent.id), false);
  });

  it('validates segmentation details (400) and refuses duplicate ids in one trunk (409)', async () => {
    const net = await trunkNet(env);
    const [parent, a, b] = [await net.port(), await net.port(), await net.port()];
    const cases: [string, number, string][] = [
      ['gre', 5, "Unknown segmentation_type 'gre'"],
      ['vlan', 0, "Segmentation ID '0' is not in range"],
      ['vlan', 4095, "Segmentation ID '4095' is not in range"],
      ['vlan', 1.5, "Segmentation ID '1.5' is not in range"],
    ];
    for (const [segmentationType, segmentationId, reason] of cases) {
      const e = await rejectsWith(
        createTrunk(env.ctx, env.alice, {
          portId: parent.id,
          subports: [{ portId: a.id, segmentationType, segmentationId }],
        }),
        'WEIR_CORE_BAD_REQUEST',
        'InvalidInput',
      );
      assert.equal(e.message, `Invalid input for operation: ${reason}.`);
    }
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(a.id, 5), vlan(a.id, 6)] }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
    const e = await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(a.id, 7), vlan(b.id, 7)] }),
      'WEIR_CORE_IN_USE',
      'DuplicateSubPort',
    );
    assert.match(e.message, /^segmentation_type vlan and segmentation_id 7 already in use on trunk /);
    // The edges of the VLAN range are fine.
    const t = await createTrunk(env.ctx, env.alice, {
      portId: parent.id,
      subports: [vlan(a.id, 1), vlan(b.id, 4094)],
    });
    assert.equal(t.subports.length, 2);
  });

  it("refuses a subport whose network MTU exceeds the parent's", async () => {
    const small = await trunkNet(env, { mtu: 1400 });
    const big = await trunkNet(env);
    const parent = await small.port();
    const sub = await big.port();
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(sub.id, 9)] }),
      'WEIR_CORE_CONFLICT',
      'SubPortMtuGreaterThanTrunkPortMtu',
    );
    // The other way round is fine.
    const parent2 = await big.port();
    const sub2 = await small.port();
    await createTrunk(env.ctx, env.alice, { portId: parent2.id, subports: [vlan(sub2.id, 9)] });
  });

  it('lets admins create for another project; members may not', async () => {
    const net = await trunkNet(env);
    const parent = await net.port();
    await rejectsWith(
      createTrunk(env.ctx, env.alice, { portId: parent.id, projectId: env.bob.projectId }),
      'WEIR_CORE_FORBIDDEN',
      'PolicyNotAuthorized',
    );
    const t = await createTrunk(env.ctx, env.admin, { portId: parent.id, projectId: env.alice.projectId });
    assert.equal(t.topic, env.alice.projectId);
  });
});

describe('trunks: update, subports, delete', () => {
  it('updates name, description and admin state', async () => {
    const net = await trunkNet(env);
    const t = await createTrunk(env.ctx, env.alice, { portId: (await net.port()).id });
    const u = await updateTrunk(env.ctx, env.alice, t.id, {
      name: 'renamed',
      description: 'd',
      adminStateUp: false,
    });
    assert.equal(u.name, 'renamed');
    assert.equal(u.description, 'd');
    assert.equal(u.adminStateUp, false);
    assert.ok(u.version > t.version);
    await rejectsWith(
      updateTrunk(env.ctx, env.bob, t.id, { name: 'x' }),
      'WEIR_CORE_NOT_FOUND',
      'TrunkNotFound',
    );
  });

  it('adds subports (back to DOWN) and refuses a segmentation id already on the trunk', async () => {
    const net = await trunkNet(env);
    const [parent, a, b, c] = [await net.port(), await net.port(), await net.port(), await net.port()];
    const t = await createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(a.id, 10)] });
    const u = await addSubports(env.ctx, env.alice, t.id, [vlan(b.id, 20)]);
    assert.equal(u.status, 'DOWN');
    assert.deepEqual(
      u.subports.map((s) => s.segmentationId),
      [10, 20],
    );
    assert.equal((await env.store.get('logical_port', b.id))?.subportOf?.segmentationId, 20);
    assert.equal((await claims()).get(b.id), t.id);
    await rejectsWith(
      addSubports(env.ctx, env.alice, t.id, [vlan(c.id, 10)]),
      'WEIR_CORE_IN_USE',
      'DuplicateSubPort',
    );
    await rejectsWith(
      addSubports(env.ctx, env.alice, t.id, [vlan(a.id, 30)]),
      'WEIR_CORE_IN_USE',
      'TrunkPortInUse',
    );
    await rejectsWith(
      addSubports(env.ctx, env.alice, t.id, [vlan(parent.id, 30)]),
      'WEIR_CORE_IN_USE',
      'ParentPortInUse',
    );
    assert.equal((await env.store.get('logical_port', c.id))?.subportOf, undefined);
  });

  it('removes subports: clears their mark and gives back their claims', async () => {
    const net = await trunkNet(env);
    const [parent, a, b] = [await net.port(), await net.port(), await net.port()];
    const t = await createTrunk(env.ctx, env.alice, {
      portId: parent.id,
      subports: [vlan(a.id, 10), vlan(b.id, 20)],
    });
    const u = await removeSubports(env.ctx, env.alice, t.id, [{ portId: a.id }]);
    assert.deepEqual(
      u.subports.map((s) => s.portId),
      [b.id],
    );
    assert.equal((await env.store.get('logical_port', a.id))?.subportOf, undefined);
    assert.equal((await claims()).has(a.id), false);
    const e = await rejectsWith(
      removeSubports(env.ctx, env.alice, t.id, [{ portId: a.id }]),
      'WEIR_CORE_NOT_FOUND',
      'SubPortNotFound',
    );
    assert.equal(e.message, `SubPort ${a.id} on trunk ${t.id} could not be found.`);
    // The removed port can join another trunk now.
    const p2 = await net.port();
    await createTrunk(env.ctx, env.alice, { portId: p2.id, subports: [vlan(a.id, 10)] });
  });

  it('refuses changes to a disabled trunk (TrunkDisabled)', async () => {
    const net = await trunkNet(env);
    const [parent, a] = [await net.port(), await net.port()];
    const t = await createTrunk(env.ctx, env.alice, { portId: parent.id, adminStateUp: false });
    await rejectsWith(
      addSubports(env.ctx, env.alice, t.id, [vlan(a.id, 1)]),
      'WEIR_CORE_CONFLICT',
      'TrunkDisabled',
    );
    await rejectsWith(removeSubports(env.ctx, env.alice, t.id, []), 'WEIR_CORE_CONFLICT', 'TrunkDisabled');
    const e = await rejectsWith(deleteTrunk(env.ctx, env.alice, t.id), 'WEIR_CORE_CONFLICT', 'TrunkDisabled');
    assert.equal(e.message, `Trunk ${t.id} is currently disabled.`);
  });

  it('refuses to delete a trunk whose parent is bound (TrunkInUse)', async () => {
    const net = await trunkNet(env);
    const parent = await net.port();
    const t = await createTrunk(env.ctx, env.alice, { portId: parent.id });
    await updatePort(env.ctx, env.admin, parent.id, { binding: { hostId: 'node-1' } });
    const e = await rejectsWith(deleteTrunk(env.ctx, env.alice, t.id), 'WEIR_CORE_IN_USE', 'TrunkInUse');
    assert.equal(e.message, `Trunk ${t.id} is currently in use.`);
    await updatePort(env.ctx, env.admin, parent.id, { binding: { hostId: '' } });
    await deleteTrunk(env.ctx, env.alice, t.id);
  });

  it('deletes a trunk in one commit: no trunk, no marks, no claims left', async () => {
    const net = await trunkNet(env);
    const [parent, a, b] = [await net.port(), await net.port(), await net.port()];
    const t = await createTrunk(env.ctx, env.alice, {
      portId: parent.id,
      subports: [vlan(a.id, 10), vlan(b.id, 20)],
    });
    const commits = env.ctx.stats.commits;
    await deleteTrunk(env.ctx, env.alice, t.id);
    assert.equal(env.ctx.stats.commits, commits + 1);
    assert.equal(await env.store.get('trunk', t.id), undefined);
    for (const p of [parent, a, b])
      assert.equal((await env.store.get('logical_port', p.id))?.subportOf, undefined);
    assert.equal((await claims()).size, 0);
    await rejectsWith(deleteTrunk(env.ctx, env.alice, t.id), 'WEIR_CORE_NOT_FOUND', 'TrunkNotFound');
    // Every port is free again: the parent can be deleted.
    await deletePort(env.ctx, env.alice, parent.id);
  });

  it('port deletes: a parent and a subport are both refused (Neutron), until they leave the trunk', async () => {
    const net = await trunkNet(env);
    const [parent, a] = [await net.port(), await net.port()];
    const t = await createTrunk(env.ctx, env.alice, { portId: parent.id, subports: [vlan(a.id, 10)] });
    await rejectsWith(
      deletePort(env.ctx, env.alice, parent.id),
      'WEIR_CORE_IN_USE',
      'PortInUseAsTrunkParent',
    );
    await rejectsWith(deletePort(env.ctx, env.alice, a.id), 'WEIR_CORE_IN_USE', 'PortInUseAsSubPort');
    await removeSubports(env.ctx, env.alice, t.id, [{ portId: a.id }]);
    await deletePort(env.ctx, env.alice, a.id);
    assert.deepEqual((await env.store.get('trunk', t.id))?.subports, []);
    assert.deepEqual(await claims(), new Map([[parent.id, t.id]]));
  });
});

/** Two store clients on one in-memory store, as two API replicas would be. */
async function replicas(): Promise<[Env, Env]> {
  const name = `trunk-race-${randomUUID()}`;
  return [await newEnv(await openStore(`memory:${name}`)), await newEnv(await openStore(`memory:${name}`))];
}

/** Runs the attempts together; returns the winners' count and the losers' error kinds. */
async function race(
  attempts: readonly (() => Promise<unknown>)[],
): Promise<{ won: number; kinds: string[] }> {
  const results = await Promise.allSettled(attempts.map((a) => a()));
  const kinds: string[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') continue;
    assert.ok(isWeirError(r.reason), String(r.reason));
    kinds.push(r.reason.kind ?? r.reason.code);
  }
  return { won: results.length - kinds.length, kinds };
}

describe('trunks: concurrent writers', () => {
  it('many trunks racing for one parent port: exactly one wins', async () => {
    const [r1, r2] = await replicas();
    try {
      const parent = await (await trunkNet(r1)).port();
      const { won, kinds } = await race(
        Array.from(
          { length: 12 },
          (_, i) => () => createTrunk((i % 2 ? r1 : r2).ctx, r1.alice, { portId: parent.id, name: `t${i}` }),
        ),
      );
      assert.equal(won, 1);
      assert.ok(r1.ctx.stats.retries + r2.ctx.stats.retries > 0, 'the race reached the store');
      assert.ok(
        kinds.every((k) => k === 'ParentPortInUse'),
        kinds.join(),
      );
      assert.equal((await r1.store.list('trunk')).items.length, 1);
    } finally {
      await r1.close();
      await r2.close();
    }
  });

  it('many trunks racing for one subport: exactly one wins', async () => {
    const [r1, r2] = await replicas();
    try {
      const net = await trunkNet(r1);
      const sub = await net.port();
      const parents = await Promise.all(Array.from({ length: 10 }, () => net.port()));
      const { won, kinds } = await race(
        parents.map(
          (p, i) => () =>
            createTrunk((i % 2 ? r1 : r2).ctx, r1.alice, { portId: p.id, subports: [vlan(sub.id, 42)] }),
        ),
      );
      assert.equal(won, 1);
      assert.ok(r1.ctx.stats.retries + r2.ctx.stats.retries > 0, 'the race reached the store');
      assert.ok(
        kinds.every((k) => k === 'TrunkPortInUse'),
        kinds.join(),
      );
      const trunks = (await r1.store.list('trunk')).items;
      assert.equal(trunks.length, 1);
      assert.equal((await r1.store.get('logical_port', sub.id))?.subportOf?.trunkId, trunks[0]?.id);
    } finally {
      await r1.close();
      await r2.close();
    }
  });

  it('one port wanted as a parent by some and as a subport by others: exactly one wins', async () => {
    const [r1, r2] = await replicas();
    try {
      const net = await trunkNet(r1);
      const contested = await net.port();
      const others = await Promise.all(Array.from({ length: 8 }, () => net.port()));
      const { won } = await race([
        ...others
          .slice(0, 4)
          .map((_, i) => () => createTrunk((i % 2 ? r1 : r2).ctx, r1.alice, { portId: contested.id })),
        ...others.slice(4).map(
          (p, i) => () =>
            createTrunk((i % 2 ? r2 : r1).ctx, r1.alice, {
              portId: p.id,
              subports: [vlan(contested.id, 3)],
            }),
        ),
      ]);
      assert.equal(won, 1);
      assert.ok(r1.ctx.stats.retries + r2.ctx.stats.retries > 0, 'the race reached the store');
      assert.equal(
        (await r1.store.listClaims(TRUNK_PORT_NAMESPACE)).filter((c) => c.key === contested.id).length,
        1,
      );
    } finally {
      await r1.close();
      await r2.close();
    }
  });

  it('subports racing for one segmentation id on one trunk: exactly one wins', async () => {
    const [r1, r2] = await replicas();
    try {
      const net = await trunkNet(r1);
      const t = await createTrunk(r1.ctx, r1.alice, { portId: (await net.port()).id });
      const subs = await Promise.all(Array.from({ length: 10 }, () => net.port()));
      const { won, kinds } = await race(
        subs.map((s, i) => () => addSubports((i % 2 ? r1 : r2).ctx, r1.alice, t.id, [vlan(s.id, 77)])),
      );
      assert.equal(won, 1);
      assert.ok(r1.ctx.stats.retries + r2.ctx.stats.retries > 0, 'the race reached the store');
      assert.ok(
        kinds.every((k) => k === 'DuplicateSubPort'),
        kinds.join(),
      );
      assert.equal((await r1.store.get('trunk', t.id))?.subports.length, 1);
      // Only the winner is marked and claimed.
      const marked = [];
      for (const s of subs) if ((await r1.store.get('logical_port', s.id))?.subportOf) marked.push(s.id);
      assert.equal(marked.length, 1);
      assert.equal((await r1.store.listClaims(TRUNK_PORT_NAMESPACE)).length, 2);
    } finally {
      await r1.close();
      await r2.close();
    }
  });

  it('a parent deleted while a trunk is created on it: never both', async () => {
    for (let round = 0; round < 10; round++) {
      const [r1, r2] = await replicas();
      try {
        const parent = await (await trunkNet(r1)).port();
        const [created, deleted] = await Promise.allSettled([
          createTrunk(r1.ctx, r1.alice, { portId: parent.id }),
          deletePort(r2.ctx, r2.alice, parent.id),
        ]);
        const trunks = (await r1.store.list('trunk')).items;
        const port = await r1.store.get('logical_port', parent.id);
        assert.notEqual(created.status === 'fulfilled', deleted.status === 'fulfilled');
        if (created.status === 'fulfilled') assert.ok(port && trunks.length === 1);
        else assert.ok(!port && trunks.length === 0);
      } finally {
        await r1.close();
        await r2.close();
      }
    }
  });
});
