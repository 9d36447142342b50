import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { isWeirError } from '@weir/model';
import {
  addRouterInterface,
  createFloatingIp,
  createNetwork,
  createPort,
  createRouter,
  createSubnet,
  deleteFloatingIp,
  deleteNetwork,
  deletePort,
  deleteRouter,
  removeRouterInterface,
  updateFloatingIp,
  updateRouter,
  type CoreContext,
} from '../src/index.js';
import { faultyStore, newEnv, snapshot, type Env } from './helpers/env.js';
import { createContext } from '../src/index.js';

let env: Env;
beforeEach(async () => {
  env = await newEnv();
});
afterEach(async () => {
  await env.close();
});

async function rejectsKind(p: Promise<unknown>, kind: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isWeirError(e), String(e));
    assert.equal(e.kind ?? e.code, kind, e.message);
    return true;
  });
}

async function external(ctx: CoreContext = env.ctx) {
  const ext = await createNetwork(ctx, env.admin, { external: true, name: 'public' });
  const sub = await createSubnet(ctx, env.admin, { networkId: ext.id, cidr: '198.51.100.0/24' });
  return { ext, sub };
}

async function tenantNet(cidr: string, ctx: CoreContext = env.ctx) {
  const n = await createNetwork(ctx, env.alice, {});
  const s = await createSubnet(ctx, env.alice, { networkId: n.id, cidr });
  return { n, s };
}

describe('routers', () => {
  it('connects subnets, refuses overlaps and duplicates, and cannot be deleted with interfaces', async () => {
    const r = await createRouter(env.ctx, env.alice, { name: 'r1' });
    const a = await tenantNet('10.0.1.0/24');
    const b = await tenantNet('10.0.2.0/24');
    const c = await tenantNet('10.0.1.0/25');
    const ia = await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id });
    const port = await env.store.get('logical_port', ia.portId);
    assert.deepEqual(port?.fixedIps, [{ subnetId: a.s.id, ipAddress: '10.0.1.1' }]);
    assert.equal(port?.deviceOwner, 'network:router_interface');
    await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: b.s.id });
    await rejectsKind(addRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id }), 'BadRequest');
    await rejectsKind(addRouterInterface(env.ctx, env.alice, r.id, { subnetId: c.s.id }), 'BadRequest');
    await rejectsKind(deleteRouter(env.ctx, env.alice, r.id), 'RouterInUse');
    await rejectsKind(deletePort(env.ctx, env.alice, ia.portId), 'L3PortInUse');
    await removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: a.s.id });
    await removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: b.s.id });
    await rejectsKind(
      removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: b.s.id }),
      'RouterInterfaceNotFoundForSubnet',
    );
    await deleteRouter(env.ctx, env.alice, r.id);
    assert.equal((await env.store.list('logical_port')).items.length, 0);
    assert.deepEqual(await env.store.listClaims(`ip:${a.s.id}`), []);
  });

  it('lets a project attach a shared network’s subnet to its router', async () => {
    const shared = await createNetwork(env.ctx, env.admin, { shared: true });
    const s = await createSubnet(env.ctx, env.admin, { networkId: shared.id, cidr: '10.200.0.0/24' });
    const r = await createRouter(env.ctx, env.alice, {});
    const itf = await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: s.id });
    assert.equal(itf.subnetId, s.id);
    // A private subnet of another project stays invisible.
    const bobs = await createNetwork(env.ctx, env.bob, {});
    const bs = await createSubnet(env.ctx, env.bob, { networkId: bobs.id, cidr: '10.201.0.0/24' });
    await rejectsKind(addRouterInterface(env.ctx, env.alice, r.id, { subnetId: bs.id }), 'SubnetNotFound');
  });

  it('attaches an existing port as an interface and validates routes against connected subnets', async () => {
    const r = await createRouter(env.ctx, env.alice, {});
    const a = await tenantNet('10.0.3.0/24');
    const p = await createPort(env.ctx, env.alice, {
      networkId: a.n.id,
      fixedIps: [{ ipAddress: '10.0.3.254' }],
    });
    await addRouterInterface(env.ctx, env.alice, r.id, { portId: p.id });
    await rejectsKind(addRouterInterface(env.ctx, env.alice, r.id, { portId: p.id }), 'PortInUse');
    const u = await updateRouter(env.ctx, env.alice, r.id, {
      routes: [{ destination: '192.0.2.0/24', nexthop: '10.0.3.10' }],
    });
    assert.deepEqual(u.routes, [{ destination: '192.0.2.0/24', nexthop: '10.0.3.10' }]);
    await rejectsKind(
      updateRouter(env.ctx, env.alice, r.id, {
        routes: [{ destination: '192.0.2.0/24', nexthop: '172.16.0.1' }],
      }),
      'InvalidRoutes',
    );
  });

  it('sets, changes and clears an external gateway (a port on the external network)', async () => {
    const { ext, sub } = await external();
    const r = await createRouter(env.ctx, env.alice, { externalGateway: { networkId: ext.id } });
    assert.equal(r.externalGateway?.enableSnat, true);
    const gw = await env.store.get('logical_port', r.externalGateway?.portId ?? '');
    assert.equal(gw?.deviceOwner, 'network:router_gateway');
    assert.equal(gw?.fixedIps[0]?.subnetId, sub.id);
    const tenant = await tenantNet('10.0.4.0/24');
    await rejectsKind(
      createRouter(env.ctx, env.alice, { externalGateway: { networkId: tenant.n.id } }),
      'BadRequest',
    );
    const cleared = await updateRouter(env.ctx, env.alice, r.id, { externalGateway: null });
    assert.equal(cleared.externalGateway, undefined);
    assert.equal(await env.store.get('logical_port', gw?.id ?? ''), undefined);
    assert.equal((await env.store.listClaims(`ip:${sub.id}`)).length, 0);
  });
});

describe('floating IPs', () => {
  it('allocates on the external network, associates through a router, and cleans up', async () => {
    const { ext, sub } = await external();
    const t = await tenantNet('10.0.5.0/24');
    const vm = await createPort(env.ctx, env.alice, { networkId: t.n.id });
    const fip = await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id });
    assert.match(fip.floatingIpAddress, /^198\.51\.100\./);
    assert.equal(fip.status, 'DOWN');
    // Not reachable yet: no router connects the subnet to the external network.
    await rejectsKind(
      updateFloatingIp(env.ctx, env.alice, fip.id, { portId: vm.id }),
      'ExternalGatewayForFloatingIPNotFound',
    );
    const r = await createRouter(env.ctx, env.alice, { externalGateway: { networkId: ext.id } });
    await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: t.s.id });
    const assoc = await updateFloatingIp(env.ctx, env.alice, fip.id, { portId: vm.id });
    assert.equal(assoc.routerId, r.id);
    assert.equal(assoc.fixedIpAddress, vm.fixedIps[0]?.ipAddress);
    const second = await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id });
    await rejectsKind(
      updateFloatingIp(env.ctx, env.alice, second.id, { portId: vm.id }),
      'FloatingIPPortAlreadyAssociated',
    );
    await rejectsKind(
      removeRouterInterface(env.ctx, env.alice, r.id, { subnetId: t.s.id }),
      'RouterInterfaceInUseByFloatingIP',
    );
    await rejectsKind(deleteRouter(env.ctx, env.alice, r.id), 'RouterInUse');
    // Deleting the VM port disassociates the floating IP.
    await deletePort(env.ctx, env.alice, vm.id);
    const after = await env.store.get('floating_ip', fip.id);
    assert.equal(after?.portId, undefined);
    await deleteFloatingIp(env.ctx, env.alice, fip.id);
    await deleteFloatingIp(env.ctx, env.alice, second.id);
    assert.equal((await env.store.list('floating_ip')).items.length, 0);
    const claims = await env.store.listClaims(`ip:${sub.id}`);
    assert.equal(claims.length, 1, 'only the router gateway address remains');
  });

  it('refuses non-external networks and a taken address', async () => {
    const { ext } = await external();
    const t = await tenantNet('10.0.6.0/24');
    await rejectsKind(createFloatingIp(env.ctx, env.alice, { floatingNetworkId: t.n.id }), 'BadRequest');
    const f = await createFloatingIp(env.ctx, env.admin, {
      floatingNetworkId: ext.id,
      floatingIpAddress: '198.51.100.77',
    });
    assert.equal(f.floatingIpAddress, '198.51.100.77');
    await rejectsKind(
      createFloatingIp(env.ctx, env.admin, { floatingNetworkId: ext.id, floatingIpAddress: '198.51.100.77' }),
      'IpAddressAlreadyAllocated',
    );
  });

  it('an external network goes with its unassociated floating IPs; an associated one keeps it', async () => {
    const { ext, sub } = await external();
    // Another project's floating IPs go too (Neutron deletes them with an elevated context).
    await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: ext.id });
    await createFloatingIp(env.ctx, env.admin, { floatingNetworkId: ext.id });
    await deleteNetwork(env.ctx, env.admin, ext.id);
    assert.equal((await env.store.list('floating_ip')).items.length, 0);
    assert.equal((await env.store.list('logical_port')).items.length, 0);
    assert.deepEqual(await env.store.listClaims(`ip:${sub.id}`), []);

    const second = await external();
    const t = await tenantNet('10.0.7.0/24');
    const vm = await createPort(env.ctx, env.alice, { networkId: t.n.id });
    const r = await createRouter(env.ctx, env.alice, { externalGateway: { networkId: second.ext.id } });
    await addRouterInterface(env.ctx, env.alice, r.id, { subnetId: t.s.id });
    await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: second.ext.id, portId: vm.id });
    await createFloatingIp(env.ctx, env.alice, { floatingNetworkId: second.ext.id });
    const before = await snapshot(env.store);
    await rejectsKind(deleteNetwork(env.ctx, env.admin, second.ext.id), 'NetworkInUse');
    assert.deepEqual(await snapshot(env.store), before, 'a refused delete changes nothing');
  });
});

describe('nothing half-made when a multi-step operation fails', () => {
  it('a router whose gateway commit fails leaves no router and no gateway port behind', async () => {
    const faulty = faultyStore(env.store);
    const ctx = createContext(faulty);
    const { ext } = await external(ctx);
    const before = await snapshot(env.store);
    // createRouter: commit 1 creates the router, commit 2 creates the gateway port, commit 3
    // attaches it — fail the attach.
    faulty.failOn(3);
    await assert.rejects(
      createRouter(ctx, env.alice, { externalGateway: { networkId: ext.id } }),
      /injected fault/,
    );
    assert.deepEqual(await snapshot(env.store), before);
  });

  it('an interface add whose router commit fails leaves no interface port behind', async () => {
    const faulty = faultyStore(env.store);
    const ctx = createContext(faulty);
    const t = await tenantNet('10.0.7.0/24', ctx);
    const r = await createRouter(ctx, env.alice, {});
    const before = await snapshot(env.store);
    faulty.failOn(2); // 1: interface port, 2: router update
    await assert.rejects(addRouterInterface(ctx, env.alice, r.id, { subnetId: t.s.id }), /injected fault/);
    assert.deepEqual(await snapshot(env.store), before);
    assert.deepEqual(await env.store.listClaims(`ip:${t.s.id}`), []);
  });

  it('a floating IP whose commit fails gives its address back', async () => {
    const faulty = faultyStore(env.store);
    const ctx = createContext(faulty);
    const { sub, ext } = await external(ctx);
    faulty.failOn(2); // 1: floating port, 2: the floating IP
    await assert.rejects(createFloatingIp(ctx, env.alice, { floatingNetworkId: ext.id }), /injected fault/);
    assert.deepEqual(await env.store.listClaims(`ip:${sub.id}`), []);
    assert.equal((await env.store.list('logical_port')).items.length, 0);
  });
});
