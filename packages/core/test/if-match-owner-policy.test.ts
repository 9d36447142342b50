// If-Match (revision) on subnet, port and trunk writes; binding profiles replaced as a whole; and
// Neutron's network-owner policy for ports on another project's shared network.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createNetwork,
  createPort,
  createSubnet,
  createTrunk,
  deletePort,
  deleteSubnet,
  deleteTrunk,
  updatePort,
  updateSubnet,
  updateTrunk,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';
import { rejectsWith } from './helpers/trunk-fixtures.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

const STALE = 'RevisionNumberConstraintFailed';

describe('If-Match on subnets, ports and trunks', () => {
  it('refuses a stale revision and accepts the current one', async () => {
    const n = await createNetwork(env.ctx, env.alice, {});
    const s = await createSubnet(env.ctx, env.alice, { networkId: n.id, cidr: '10.0.0.0/24' });
    const s2 = await updateSubnet(env.ctx, env.alice, s.id, { name: 'a' }, { ifMatchVersion: s.version });
    await rejectsWith(
      updateSubnet(env.ctx, env.alice, s.id, { name: 'b' }, { ifMatchVersion: s.version }),
      'WEIR_CORE_BAD_REQUEST',
      STALE,
    );
    const p = await createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [] });
    const parent = await createPort(env.ctx, env.alice, { networkId: n.id, fixedIps: [] });
    const t = await createTrunk(env.ctx, env.alice, { portId: parent.id });
    const t2 = await updateTrunk(env.ctx, env.alice, t.id, { name: 'x' }, { ifMatchVersion: t.version });
    await rejectsWith(
      updateTrunk(env.ctx, env.alice, t.id, { name: 'y' }, { ifMatchVersion: t.version }),
      'WEIR_CORE_BAD_REQUEST',
      STALE,
    );
    await rejectsWith(
      deleteTrunk(env.ctx, env.alice, t.id, { ifMatchVersion: t.version }),
      'WEIR_CORE_BAD_REQUEST',
      STALE,
    );
    await deleteTrunk(env.ctx, env.alice, t.id, { ifMatchVersion: t2.version });
    await rejectsWith(
      deletePort(env.ctx, env.alice, p.id, { ifMatchVersion: p.version + 1 }),
      'WEIR_CORE_BAD_REQUEST',
      STALE,
    );
    await deletePort(env.ctx, env.alice, p.id, { ifMatchVersion: p.version });
    await deletePort(env.ctx, env.alice, parent.id);
    await rejectsWith(
      deleteSubnet(env.ctx, env.alice, s.id, { ifMatchVersion: s.version }),
      'WEIR_CORE_BAD_REQUEST',
      STALE,
    );
    await deleteSubnet(env.ctx, env.alice, s.id, { ifMatchVersion: s2.version });
    assert.equal(await env.store.get('subnet', s.id), undefined);
  });
});

describe('ports', () => {
  it('replace the binding profile as a whole (an empty one clears it)', async () => {
    const n = await createNetwork(env.ctx, env.admin, {});
    const p = await createPort(env.ctx, env.admin, {
      networkId: n.id,
      binding: { profile: { a: '1', b: true } },
    });
    const q = await updatePort(env.ctx, env.admin, p.id, { binding: { profile: { c: 3 } } });
    assert.deepEqual(q.binding.profile, { c: 3 });
    const r = await updatePort(env.ctx, env.admin, p.id, { binding: { profile: {} } });
    assert.deepEqual(r.binding.profile, {});
  });

  it("on another project's shared network: only the owner picks addresses, MACs, pairs", async () => {
    const n = await createNetwork(env.ctx, env.admin, { shared: true });
    const s = await createSubnet(env.ctx, env.admin, { networkId: n.id, cidr: '10.0.0.0/24' });
    const denied = [
      { fixedIps: [{ ipAddress: '10.0.0.9' }] },
      { macAddress: 'fa:16:3e:00:00:09' },
      { allowedAddressPairs: [{ ipAddress: '10.0.0.99' }] },
      { deviceOwner: 'network:dhcp' },
    ];
    for (const extra of denied) {
      await rejectsWith(
        createPort(env.ctx, env.bob, { networkId: n.id, ...extra }),
        'WEIR_CORE_FORBIDDEN',
        'PolicyNotAuthorized',
      );
    }
    // A subnet-only request is fine (Neutron's rule:shared), and so is a plain port.
    const p = await createPort(env.ctx, env.bob, { networkId: n.id, fixedIps: [{ subnetId: s.id }] });
    const err = await rejectsWith(
      updatePort(env.ctx, env.bob, p.id, { fixedIps: [{ subnetId: s.id }, { subnetId: s.id }] }),
      'WEIR_CORE_FORBIDDEN',
      'PolicyNotAuthorized',
    );
    assert.match(err.message, /^\(rule:update_port:fixed_ips\) is disallowed by policy$/);
    assert.equal((await updatePort(env.ctx, env.bob, p.id, { name: 'mine' })).name, 'mine');
    // The network's owner may do all of it.
    await createPort(env.ctx, env.admin, { networkId: n.id, fixedIps: [{ ipAddress: '10.0.0.9' }] });
  });
});
