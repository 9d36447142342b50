// Router and floating IP rules added to match Neutron's wording and checks: extra routes (nexthop
// used by the router, atomic add/remove, interface needed by a route), interface requests,
// overlaps with the gateway network, If-Match, floating IP association errors.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  addExtraRoutes,
  addRouterInterface,
  createFloatingIp,
  createNetwork,
  createPort,
  createRouter,
  createSubnet,
  deleteFloatingIp,
  deleteRouter,
  removeExtraRoutes,
  removeRouterInterface,
  updateFloatingIp,
  updateRouter,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejectsWith(p: Promise<unknown>, kind: string, message?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

async function tenantNet(cidr: string, gatewayIp?: string | null) {
  const n = await createNetwork(env.ctx, env.alice, {});
  const s = await createSubnet(env.ctx, env.alice, {
    networkId: n.id,
    cidr,
    ...(gatewayIp === undefined ? {} : { gatewayIp }),
  });
  return { n, s };
}

describe('routers (Neutron checks)', () => {
  it('extra routes: nexthop connected and not the router, atomic add/remove, interface kept while routed', async () => {
    const r = await createRouter(env.ctx, env.alice, {});
    const a = await tenantNet('10.1.0.0/24');
    await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id });
    await rejectsWith(
      updateRouter(env.ctx, env.alice, r.id, {
        routes: [{ destination: '192.0.2.0/24', nexthop: '10.1.0.1' }],
      }),
      'InvalidRoutes',
      "Invalid format for routes: [{'destination': '192.0.2.0/24', 'nexthop': '10.1.0.1'}], the nexthop is used by router",
    );
    await rejectsWith(
      updateRouter(env.ctx, env.alice, r.id, {
        routes: [{ destination: '192.0.2.0/24', nexthop: '10.9.0.5' }],
      }),
      'InvalidRoutes',
      "Invalid format for routes: [{'destination': '192.0.2.0/24', 'nexthop': '10.9.0.5'}], the nexthop is not connected with router",
    );
    const one = { destination: '192.0.2.0/24', nexthop: '10.1.0.5' };
    const two = { destination: '198.18.0.0/15', nexthop: '10.1.0.6' };
    await addExtraRoutes(env.ctx, env.alice, r.id, [one]);
    const both = await addExtraRoutes(env.ctx, env.alice, r.id, [one, two]);
    assert.deepEqual(both.routes, [one, two]);
    await rejectsWith(
      removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id }),
      'RouterInterfaceInUseByRoute',
      `Router interface for subnet ${a.s.id} on router ${r.id} cannot be deleted, as it is required by one or more routes.`,
    );
    const left = await removeExtraRoutes(env.ctx, env.alice, r.id, [
      one,
      { destination: '203.0.113.0/24', nexthop: '10.1.0.7' },
    ]);
    assert.deepEqual(left.routes, [two]);
    await updateRouter(env.ctx, env.alice, r.id, { routes: [] });
    await removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id });
  });

  it("interface requests: Neutron's messages, overlaps with the gateway network, port/subnet mismatch", async () => {
    const ext = await createNetwork(env.ctx, env.admin, { external: true });
    await createSubnet(env.ctx, env.admin, { networkId: ext.id, cidr: '10.50.0.0/16' });
    const r = await createRouter(env.ctx, env.alice, { externalGateway: { networkId: ext.id } });
    const noGw = await tenantNet('10.2.0.0/24', null);
    await rejectsWith(
      addRouterInterface(env.ctx, env.alice, r.id, { subnetId: noGw.s.id }),
      'BadRequest',
      'Bad router request: Subnet for router interface must have a gateway IP.',
    );
    const inside = await tenantNet('10.50.1.0/24');
    await rejectsWith(addRouterInterface(env.ctx, env.alice, r.id, { subnetId: inside.s.id }), 'BadRequest');
    const b = await tenantNet('10.3.0.0/24');
    await rejectsWith(
      addRouterInterface(env.ctx, env.alice, r.id, { subnetId: b.s.id, portId: b.s.id }),
      'BadRequest',
      'Bad router request: Cannot specify both subnet-id and port-id.',
    );
    const itf = await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: b.s.id });
    await rejectsWith(
      removeRouterInterface(env.ctx, env.alice, r.id, { portId: itf.portId, subnetId: noGw.s.id }),
      'SubnetMismatchForPort',
      `Subnet on port ${itf.portId} does not match the requested subnet ${noGw.s.id}.`,
    );
    await rejectsWith(
      deleteRouter(env.ctx, env.alice, r.id),
      'RouterInUse',
      `Router ${r.id} has ports still attached: ${itf.portId}`,
    );
    await removeRouterInterface(env.ctx, env.alice, r.id, { portId: itf.portId, subnetId: b.s.id });
    const current = await updateRouter(env.ctx, env.alice, r.id, { name: 'x' });
    await rejectsWith(
      deleteRouter(env.ctx, env.alice, r.id, { ifMatchVersion: current.version - 1 }),
      'RevisionNumberConstraintFailed',
    );
    await rejectsWith(
      updateRouter(env.ctx, env.alice, r.id, { tags: ['t'] }, { ifMatchVersion: current.version - 1 }),
      'RevisionNumberConstraintFailed',
    );
    const tagged = await updateRouter(
      env.ctx,
      env.alice,
      r.id,
      { tags: ['t'] },
      { ifMatchVersion: current.version },
    );
    assert.deepEqual(tagged.tags, ['t']);
    await deleteRouter(env.ctx, env.alice, r.id, { ifMatchVersion: tagged.version });
  });
});

describe('floating IPs (Neutron checks)', () => {
  it('association errors, tags and If-Match on update, disassociation with null', async () => {
    const v6only = await createNetwork(env.ctx, env.admin, { external: true });
    await createSubnet(env.ctx, env.admin, { networkId: v6only.id, cidr: 'fd00:5::/64' });
    await rejectsWith(
      createFloatingIp(env.ctx, env.alice, { floatingNetworkId: v6only.id }),
      'BadRequest',
      `Bad floatingip request: Network ${v6only.id} does not contain any IPv4 subnet.`,
    );
    const ext = await createNetwork(env.ctx, env.admin, { external: true });
    await createSubnet(env.ctx, env.admin, { networkId: ext.id, cidr: '203.0.113.0/24' });
    await rejectsWith(
      createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id, fixedIpAddress: '10.0.0.3' }),
      'BadRequest',
      'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.',
    );
    const t = await tenantNet('10.4.0.0/24');
    const r = await createRouter(env.ctx, env.alice, { externalGateway: { networkId: ext.id } });
    await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: t.s.id });
    const vm = await createPort(env.ctx, env.alice, { networkId: t.n.id });
    const f1 = await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id, portId: vm.id });
    assert.equal(f1.routerId, r.id);
    const f2 = await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id });
    const fixed = vm.fixedIps[0]?.ipAddress ?? '';
    await rejectsWith(
      updateFloatingIp(env.ctx, env.alice, f2.id, { portId: vm.id }),
      'FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP ${f2.floatingIpAddress} (${f2.id}) with port ${vm.id} using fixed IP ${fixed}, as that fixed IP already has a floating IP on external network ${ext.id}.`,
    );
    await rejectsWith(
      updateFloatingIp(env.ctx, env.alice, f2.id, { portId: vm.id, fixedIpAddress: '10.4.0.250' }),
      'BadRequest',
      `Bad floatingip request: Port ${vm.id} does not have fixed ip 10.4.0.250.`,
    );
    await rejectsWith(
      updateFloatingIp(env.ctx, env.alice, f1.id, { portId: null }, { ifMatchVersion: f1.version + 1000 }),
      'RevisionNumberConstraintFailed',
    );
    const tagged = await updateFloatingIp(env.ctx, env.alice, f1.id, { tags: ['web'] });
    assert.deepEqual(tagged.tags, ['web']);
    assert.equal(tagged.portId, vm.id, 'a patch without port_id keeps the association');
    const off = await updateFloatingIp(env.ctx, env.alice, f1.id, { portId: null });
    assert.equal(off.portId, undefined);
    assert.equal(off.routerId, undefined);
    assert.equal(off.status, 'DOWN');
    assert.deepEqual(off.tags, ['web']);
    await deleteFloatingIp(env.ctx, env.alice, f1.id, { ifMatchVersion: off.version });
  });
});
