// Octavia's batch member update: the request replaces the pool's member set in one commit.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Pool } from '@weir/model';
import {
  batchUpdateMembers,
  createHealthMonitor,
  createMember,
  createPool,
  memberNamespace,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';
import { lbNet, rejectsWith, type LbNet } from './helpers/lb-fixtures.js';

let env: Env;
let net: LbNet;
let pool: Pool;
beforeEach(async () => {
  env = await newEnv();
  net = await lbNet(env);
  const lb = await net.lb();
  pool = await createPool(env.ctx, env.alice, {
    loadBalancerId: lb.id,
    protocol: 'TCP',
    lbAlgorithm: 'ROUND_ROBIN',
  });
});
afterEach(async () => {
  await env.close();
});

const members = async () =>
  (await env.store.list('member', { index: { name: 'pool', value: pool.id } })).items;

describe('batch member update', () => {
  it('creates the new, updates the kept (with defaults), deletes the missing, in one commit', async () => {
    const kept = await createMember(env.ctx, env.alice, pool.id, {
      address: '10.20.0.5',
      protocolPort: 80,
      weight: 7,
      backup: true,
      name: 'keep',
      monitorPort: 9000,
    });
    const gone = await createMember(env.ctx, env.alice, pool.id, { address: '10.20.0.6', protocolPort: 80 });
    await createHealthMonitor(env.ctx, env.alice, {
      poolId: pool.id,
      type: 'TCP',
      delay: 5,
      timeout: 3,
      maxRetries: 3,
    });
    const commits = env.ctx.stats.commits;
    const r = await batchUpdateMembers(env.ctx, env.alice, pool.id, [
      { address: '10.20.0.5', protocolPort: 80, weight: 3 },
      { address: '10.20.0.7', protocolPort: 443, subnetId: net.subnetId, name: 'new' },
    ]);
    assert.equal(env.ctx.stats.commits, commits + 1);
    assert.deepEqual(
      r.deleted.map((m) => m.id),
      [gone.id],
    );
    assert.equal(r.updated[0]?.id, kept.id);
    assert.equal(r.updated[0]?.weight, 3);
    assert.equal(r.updated[0]?.backup, false, "Octavia's default for what the entry leaves out");
    assert.equal(r.updated[0]?.monitorPort, undefined);
    assert.equal(r.updated[0]?.name, 'keep', 'the name stays unless given');
    assert.equal(r.created[0]?.operatingStatus, 'ONLINE', 'the pool is monitored');
    const now = await members();
    assert.deepEqual(now.map((m) => `${m.address}:${m.protocolPort}`).sort(), [
      '10.20.0.5:80',
      '10.20.0.7:443',
    ]);
    assert.deepEqual((await env.store.listClaims(memberNamespace(pool.id))).map((c) => c.key).sort(), [
      '10.20.0.5:80',
      '10.20.0.7:443',
    ]);
  });

  it('additive_only keeps the members the request does not name; adding nothing is a no-op', async () => {
    await createMember(env.ctx, env.alice, pool.id, { address: '10.20.0.5', protocolPort: 80 });
    const r = await batchUpdateMembers(
      env.ctx,
      env.alice,
      pool.id,
      [{ address: '10.20.0.8', protocolPort: 80 }],
      { additiveOnly: true },
    );
    assert.equal(r.deleted.length, 0);
    assert.equal((await members()).length, 2);
    const commits = env.ctx.stats.commits;
    const empty = await batchUpdateMembers(env.ctx, env.alice, pool.id, [], { additiveOnly: true });
    assert.equal(empty.created.length + empty.updated.length + empty.deleted.length, 0);
    assert.equal(env.ctx.stats.commits, commits);
  });

  it("refuses duplicates, bad input and foreign subnets with Octavia's errors, changing nothing", async () => {
    await createMember(env.ctx, env.alice, pool.id, { address: '10.20.0.5', protocolPort: 80 });
    const twiceUpdated = await rejectsWith(
      batchUpdateMembers(env.ctx, env.alice, pool.id, [
        { address: '10.20.0.5', protocolPort: 80 },
        { address: '10.20.0.5', protocolPort: 80, weight: 2 },
      ]),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      twiceUpdated.message,
      'Validation failure: Member must be updated only once in the same request.',
    );
    await rejectsWith(
      batchUpdateMembers(env.ctx, env.alice, pool.id, [
        { address: '10.20.0.9', protocolPort: 80 },
        { address: '10.20.0.9', protocolPort: 80 },
      ]),
      'WEIR_CORE_CONFLICT',
      'DuplicateMemberEntry',
    );
    await rejectsWith(
      batchUpdateMembers(env.ctx, env.alice, pool.id, [{ address: '10.20.0.9', protocolPort: 0 }]),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
    await rejectsWith(
      batchUpdateMembers(env.ctx, env.alice, pool.id, [
        { address: '192.0.2.9', protocolPort: 80, subnetId: net.subnetId },
      ]),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    await rejectsWith(batchUpdateMembers(env.ctx, env.bob, pool.id, []), 'WEIR_CORE_NOT_FOUND', 'NotFound');
    assert.deepEqual(
      (await members()).map((m) => m.address),
      ['10.20.0.5'],
    );
  });
});
