import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  addSubnetPoolPrefixes,
  createNetwork,
  createSubnet,
  createSubnetPool,
  deleteNetwork,
  deleteSubnet,
  deleteSubnetPool,
  removeSubnetPoolPrefixes,
  subnetPoolNamespace,
  updateSubnetPool,
  type SubnetInput,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejects(p: Promise<unknown>, kind: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

describe('subnet pools', () => {
  it("completes and compacts like Neutron's SubnetPoolReader", async () => {
    const v4 = await createSubnetPool(env.ctx, env.alice, {
      name: 'p',
      prefixes: ['10.0.1.0/24', '10.0.0.0/24', '10.0.0.0/25'],
    });
    assert.deepEqual(v4.prefixes, ['10.0.0.0/23']);
    assert.deepEqual([v4.ipVersion, v4.minPrefixlen, v4.defaultPrefixlen, v4.maxPrefixlen], [4, 8, 8, 32]);
    assert.equal(v4.defaultQuota, undefined);
    assert.equal(v4.topic, env.alice.projectId);
    const v6 = await createSubnetPool(env.ctx, env.alice, {
      name: 'p6',
      prefixes: ['2001:db8::/48'],
      maxPrefixlen: 80,
      defaultQuota: 4,
    });
    assert.deepEqual([v6.ipVersion, v6.minPrefixlen, v6.defaultPrefixlen, v6.maxPrefixlen], [6, 64, 64, 80]);
    assert.equal(v6.defaultQuota, 4);
  });

  it("refuses what Neutron refuses, with Neutron's messages", async () => {
    const create = (input: Partial<Parameters<typeof createSubnetPool>[2]>) =>
      createSubnetPool(env.ctx, env.alice, { name: 'x', prefixes: ['10.0.0.0/16'], ...input });
    await rejects(create({ prefixes: [] }), 'EmptySubnetPoolPrefixList', 'Empty subnet pool prefix list.');
    await rejects(
      create({ prefixes: ['10.0.0.0/16', '2001:db8::/48'] }),
      'PrefixVersionMismatch',
      'Cannot mix IPv4 and IPv6 prefixes in a subnet pool.',
    );
    await rejects(
      create({ minPrefixlen: 24, maxPrefixlen: 20 }),
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: min_prefixlen=24, max_prefixlen=20.',
    );
    await rejects(
      create({ maxPrefixlen: 33 }),
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: max_prefixlen=33, ip_version_max=32.',
    );
    await rejects(
      create({ minPrefixlen: 20, defaultPrefixlen: 16 }),
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: default_prefixlen=16, min_prefixlen=20.',
    );
    await rejects(create({ shared: true }), 'PolicyNotAuthorized');
    await rejects(create({ isDefault: true }), 'PolicyNotAuthorized');
    await rejects(
      create({ addressScopeId: 'a5'.repeat(16) }),
      'AddressScopeNotFound',
      `Address scope ${'a5'.repeat(16)} could not be found.`,
    );
  });

  it('shares with every project but only its owner changes it; others see nothing', async () => {
    const shared = await createSubnetPool(env.ctx, env.admin, {
      name: 's',
      prefixes: ['10.0.0.0/16'],
      shared: true,
    });
    const own = await createSubnetPool(env.ctx, env.bob, { name: 'b', prefixes: ['10.1.0.0/16'] });
    await rejects(
      updateSubnetPool(env.ctx, env.alice, shared.id, { name: 'mine' }),
      'PolicyNotAuthorized',
      '(rule:update_subnetpool) is disallowed by policy',
    );
    await rejects(deleteSubnetPool(env.ctx, env.alice, shared.id), 'PolicyNotAuthorized');
    await rejects(
      updateSubnetPool(env.ctx, env.alice, own.id, { name: 'mine' }),
      'SubnetPoolNotFound',
      `Subnet pool ${own.id} could not be found.`,
    );
    await rejects(deleteSubnetPool(env.ctx, env.alice, own.id), 'SubnetPoolNotFound');
    // Alice allocates from the shared pool; not from Bob's.
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await createSubnet(env.ctx, env.alice, {
      networkId: n.id,
      subnetpoolId: shared.id,
      prefixlen: 24,
    });
    assert.equal(s.cidr, '10.0.0.0/24');
    const n2 = await createNetwork(env.ctx, env.alice, {});
    await rejects(
      createSubnet(env.ctx, env.alice, { networkId: n2.id, subnetpoolId: own.id }),
      'SubnetPoolNotFound',
    );
  });

  it('updates only grow the prefixes; bounds are checked again; is_default is for admins', async () => {
    const pool = await createSubnetPool(env.ctx, env.alice, {
      name: 'p',
      prefixes: ['10.11.12.0/24'],
      minPrefixlen: 29,
    });
    const grown = await updateSubnetPool(env.ctx, env.alice, pool.id, {
      prefixes: ['10.11.12.0/24', '10.11.13.0/24'],
      minPrefixlen: 28,
      maxPrefixlen: 30,
    });
    assert.deepEqual(grown.prefixes, ['10.11.12.0/23']);
    assert.deepEqual([grown.minPrefixlen, grown.defaultPrefixlen, grown.maxPrefixlen], [28, 29, 30]);
    assert.ok(grown.version > pool.version);
    await rejects(
      updateSubnetPool(env.ctx, env.alice, pool.id, { prefixes: ['10.11.12.0/24'] }),
      'IllegalSubnetPoolPrefixUpdate',
      'Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.',
    );
    await rejects(
      updateSubnetPool(env.ctx, env.alice, pool.id, { minPrefixlen: 30 }),
      'IllegalSubnetPoolPrefixBounds',
      'Illegal prefix bounds: default_prefixlen=29, min_prefixlen=30.',
    );
    await rejects(
      updateSubnetPool(env.ctx, env.alice, pool.id, { isDefault: false }),
      'PolicyNotAuthorized',
      '(rule:update_subnetpool:is_default) is disallowed by policy',
    );
    await rejects(
      updateSubnetPool(env.ctx, env.alice, pool.id, { name: 'y' }, { ifMatchVersion: pool.version }),
      'RevisionNumberConstraintFailed',
    );
  });

  it('one default pool per IP version, the claim following the flag', async () => {
    const a = await createSubnetPool(env.ctx, env.admin, {
      name: 'a',
      prefixes: ['10.0.0.0/8'],
      isDefault: true,
    });
    await createSubnetPool(env.ctx, env.admin, { name: 'v6', prefixes: ['2001:db8::/32'], isDefault: true });
    const message =
      'Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family.';
    await rejects(
      createSubnetPool(env.ctx, env.admin, { name: 'b', prefixes: ['172.16.0.0/12'], isDefault: true }),
      'InvalidInput',
      message,
    );
    const b = await createSubnetPool(env.ctx, env.admin, { name: 'b', prefixes: ['172.16.0.0/12'] });
    await rejects(updateSubnetPool(env.ctx, env.admin, b.id, { isDefault: true }), 'InvalidInput', message);
    assert.deepEqual(
      (await env.store.listClaims('subnetpool-default')).map((c) => [c.key, c.owner === a.id]).sort(),
      [
        ['4', true],
        ['6', false],
      ],
    );
    await updateSubnetPool(env.ctx, env.admin, a.id, { isDefault: false });
    await updateSubnetPool(env.ctx, env.admin, b.id, { isDefault: true });
    await deleteSubnetPool(env.ctx, env.admin, b.id);
    await createSubnetPool(env.ctx, env.admin, { name: 'c', prefixes: ['192.168.0.0/16'], isDefault: true });
  });

  it('add_prefixes merges; remove_prefixes refuses allocated space and is a no-op outside', async () => {
    const pool = await createSubnetPool(env.ctx, env.alice, {
      name: 'p',
      prefixes: ['192.168.1.0/24', '10.10.10.0/24'],
      minPrefixlen: 16,
    });
    assert.deepEqual(
      await addSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['192.168.0.0/24', '10.10.0.0/16']),
      ['10.10.0.0/16', '192.168.0.0/23'],
    );
    await rejects(
      addSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['2001:db8::/48']),
      'PrefixVersionMismatch',
    );
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await createSubnet(env.ctx, env.alice, {
      networkId: n.id,
      subnetpoolId: pool.id,
      cidr: '192.168.1.0/25',
    });
    await rejects(
      removeSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['192.168.1.0/24']),
      'IllegalSubnetPoolPrefixUpdate',
      'Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet.',
    );
    const before = (await env.store.get('subnet_pool', pool.id))?.version;
    assert.deepEqual(await removeSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['172.16.0.0/12']), [
      '10.10.0.0/16',
      '192.168.0.0/23',
    ]);
    assert.equal((await env.store.get('subnet_pool', pool.id))?.version, before, 'a no-op writes nothing');
    assert.deepEqual(
      await removeSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['10.10.128.0/17', '192.168.0.0/24']),
      ['10.10.0.0/17', '192.168.1.0/24'],
    );
    await deleteSubnet(env.ctx, env.alice, s.id);
    assert.deepEqual(await removeSubnetPoolPrefixes(env.ctx, env.alice, pool.id, ['0.0.0.0/0']), []);
  });
});

describe('subnets from subnet pools', () => {
  const pool = (extra: Partial<Parameters<typeof createSubnetPool>[2]> = {}) =>
    createSubnetPool(env.ctx, env.alice, {
      name: 'p',
      prefixes: ['10.20.0.0/24'],
      minPrefixlen: 26,
      maxPrefixlen: 28,
      ...extra,
    });
  const subnet = async (input: Omit<SubnetInput, 'networkId'>) => {
    const n = await createNetwork(env.ctx, env.alice, {});
    return createSubnet(env.ctx, env.alice, { networkId: n.id, ipVersion: 4, ...input });
  };

  it('allocates free prefixes smallest hole first, gives them back on subnet and network delete', async () => {
    const p = await pool();
    const a = await subnet({ subnetpoolId: p.id });
    assert.deepEqual([a.cidr, a.gatewayIp, a.subnetpoolId], ['10.20.0.0/26', '10.20.0.1', p.id]);
    assert.deepEqual(a.allocationPools, [{ start: '10.20.0.2', end: '10.20.0.62' }]);
    const b = await subnet({ subnetpoolId: p.id, prefixlen: 28 });
    assert.equal(b.cidr, '10.20.0.64/28');
    const c = await subnet({ subnetpoolId: p.id, prefixlen: 28, gatewayIp: null });
    assert.deepEqual([c.cidr, c.gatewayIp], ['10.20.0.80/28', null]);
    const d = await subnet({ subnetpoolId: p.id, prefixlen: 27 });
    assert.equal(d.cidr, '10.20.0.96/27', 'the /27 hole before the free /26');
    assert.equal((await subnet({ subnetpoolId: p.id })).cidr, '10.20.0.128/26');
    const last = await subnet({ subnetpoolId: p.id });
    assert.equal(last.cidr, '10.20.0.192/26');
    await rejects(
      subnet({ subnetpoolId: p.id, prefixlen: 28 }),
      'SubnetAllocationError',
      'Failed to allocate subnet: Insufficient prefix space to allocate subnet size /28.',
    );
    assert.equal((await env.store.listClaims(subnetPoolNamespace(p.id))).length, 6);
    await deleteSubnet(env.ctx, env.alice, b.id);
    await deleteNetwork(env.ctx, env.alice, last.networkId);
    const claims = await env.store.listClaims(subnetPoolNamespace(p.id));
    assert.deepEqual(claims.map((x) => x.key).sort(), [
      '10.20.0.0/26',
      '10.20.0.128/26',
      '10.20.0.80/28',
      '10.20.0.96/27',
    ]);
    assert.equal((await subnet({ subnetpoolId: p.id, prefixlen: 28 })).cidr, '10.20.0.64/28');
    assert.equal((await subnet({ subnetpoolId: p.id })).cidr, '10.20.0.192/26');
  });

  it('takes a requested cidr (or the prefix around a gateway) only when free in the pool', async () => {
    const p = await pool();
    assert.equal((await subnet({ subnetpoolId: p.id, cidr: '10.20.0.64/27' })).cidr, '10.20.0.64/27');
    const cannot =
      'Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes.';
    await rejects(subnet({ subnetpoolId: p.id, cidr: '10.20.0.64/28' }), 'SubnetAllocationError', cannot);
    await rejects(subnet({ subnetpoolId: p.id, cidr: '10.20.0.64/26' }), 'SubnetAllocationError', cannot);
    await rejects(subnet({ subnetpoolId: p.id, cidr: '10.21.0.0/27' }), 'SubnetAllocationError', cannot);
    const gw = await subnet({ subnetpoolId: p.id, gatewayIp: '10.20.0.129', prefixlen: 27 });
    assert.deepEqual([gw.cidr, gw.gatewayIp], ['10.20.0.128/27', '10.20.0.129']);
    await rejects(
      subnet({ subnetpoolId: p.id, cidr: '10.20.0.0/25' }),
      'MinPrefixSubnetAllocationError',
      'Unable to allocate subnet with prefix length 25, minimum allowed prefix is 26.',
    );
    await rejects(
      subnet({ subnetpoolId: p.id, prefixlen: 29 }),
      'MaxPrefixSubnetAllocationError',
      'Unable to allocate subnet with prefix length 29, maximum allowed prefix is 28.',
    );
  });

  it("refuses Neutron's bad requests before allocating", async () => {
    const p = await pool();
    const bad = (msg: string) => `Bad subnets request: ${msg}.`;
    await rejects(
      subnet({ subnetpoolId: p.id, cidr: '10.20.0.0/26', prefixlen: 26 }),
      'BadRequest',
      bad('cidr and prefixlen must not be supplied together'),
    );
    await rejects(
      subnet({ subnetpoolId: p.id, useDefaultSubnetpool: true }),
      'BadRequest',
      bad('subnetpool_id and use_default_subnetpool cannot both be specified'),
    );
    await rejects(subnet({}), 'BadRequest', bad('a subnetpool must be specified in the absence of a cidr'));
    await rejects(
      subnet({ subnetpoolId: p.id, allocationPools: [{ start: '10.20.0.5', end: '10.20.0.9' }] }),
      'BadRequest',
      bad('allocation_pools allowed only for specific subnet requests'),
    );
    await rejects(
      subnet({ subnetpoolId: p.id, ipVersion: 6 }),
      'BadRequest',
      bad('Cannot allocate IPv6 subnet from IPv4 subnet pool'),
    );
    await rejects(
      subnet({ useDefaultSubnetpool: true }),
      'BadRequest',
      bad('No default subnetpool found for IPv4'),
    );
    await rejects(subnet({ subnetpoolId: 'c0'.repeat(16) }), 'SubnetPoolNotFound');
  });

  it('uses the default pool; one pool per IP version on a network; in-use pools stay', async () => {
    const dflt = await createSubnetPool(env.ctx, env.admin, {
      name: 'd',
      prefixes: ['10.30.0.0/16'],
      defaultPrefixlen: 24,
      shared: true,
      isDefault: true,
    });
    const s = await subnet({ useDefaultSubnetpool: true });
    assert.deepEqual([s.cidr, s.subnetpoolId], ['10.30.0.0/24', dflt.id]);
    // Another IPv4 subnet on that network must come from the same pool.
    const p = await pool();
    await rejects(
      createSubnet(env.ctx, env.alice, { networkId: s.networkId, subnetpoolId: p.id }),
      'NetworkSubnetPoolAffinityError',
      'Subnets hosted on the same network must be allocated from the same subnet pool.',
    );
    await rejects(
      createSubnet(env.ctx, env.alice, { networkId: s.networkId, cidr: '192.168.0.0/24' }),
      'NetworkSubnetPoolAffinityError',
    );
    const second = await createSubnet(env.ctx, env.alice, { networkId: s.networkId, subnetpoolId: dflt.id });
    assert.equal(second.cidr, '10.30.1.0/24');
    await rejects(
      deleteSubnetPool(env.ctx, env.admin, dflt.id),
      'SubnetPoolDeleteError',
      'Unable to delete subnet pool: Subnet pool has existing allocations.',
    );
    await deleteNetwork(env.ctx, env.alice, s.networkId);
    await deleteSubnetPool(env.ctx, env.admin, dflt.id);
    assert.equal(await env.store.get('subnet_pool', dflt.id), undefined);
    assert.deepEqual(await env.store.listClaims('subnetpool-default'), []);
  });

  it("holds each project to the pool's default_quota (in /32 units)", async () => {
    const p = await pool({ defaultQuota: 80, shared: false });
    await subnet({ subnetpoolId: p.id }); // 64
    await subnet({ subnetpoolId: p.id, prefixlen: 28 }); // 80
    await rejects(
      subnet({ subnetpoolId: p.id, prefixlen: 28 }),
      'SubnetPoolQuotaExceeded',
      'Per-project subnet pool prefix quota exceeded.',
    );
  });
});
