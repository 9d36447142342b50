// Neutron routers over HTTP: CRUD with an external gateway, interfaces by subnet and by port with
// Neutron's refusals, the gateway policy for non-admins, extra routes (PUT and the atomic
// actions), visibility across projects.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, One, PortView } from './helpers/wire.js';
import {
  externalNetwork,
  made,
  port,
  tenantNetwork,
  type FloatingIpView,
  type InterfaceView,
  type RouterView,
} from './helpers/wire-l3.js';

type R = One<'router', RouterView>;
type Rs = Many<'routers', RouterView>;

const ALICE = asProject('a1'.repeat(16));
const BOB = asProject('b2'.repeat(16));

describe('Neutron routers', () => {
  let s: TestServer;
  let ext: Awaited<ReturnType<typeof externalNetwork>>;
  before(async () => {
    s = await startTestServer();
    ext = await externalNetwork(s);
  });
  after(async () => {
    await s.close();
  });
  const router = (
    body: Record<string, unknown>,
    headers: Record<string, string> = ALICE,
  ): Promise<RouterView> => made<RouterView>(s, '/v2.0/routers', 'router', body, headers);
  const itf = (
    id: string,
    action: 'add' | 'remove',
    body: unknown,
    headers: Record<string, string> = ALICE,
  ) => s.neutron<InterfaceView>('PUT', `/v2.0/routers/${id}/${action}_router_interface`, body, headers);

  it('create with a gateway, show, list, update, delete', async () => {
    const r = await router({
      name: 'edge',
      admin_state_up: false,
      external_gateway_info: { network_id: ext.network.id },
    });
    assert.equal(r.name, 'edge');
    assert.equal(r.admin_state_up, false);
    assert.equal(r.status, 'ACTIVE');
    assert.deepEqual(r.routes, []);
    const gw = r.external_gateway_info;
    assert.equal(gw?.network_id, ext.network.id);
    assert.equal(gw?.enable_snat, true);
    assert.equal(gw?.external_fixed_ips.length, 1);
    assert.equal(gw?.external_fixed_ips[0]?.subnet_id, ext.subnet.id);
    assert.match(gw?.external_fixed_ips[0]?.ip_address ?? '', /^203\.0\.113\./);
    const shown = await s.neutron<R>('GET', `/v2.0/routers/${r.id}`, undefined, ALICE);
    assert.deepEqual(shown.body.router, r);
    const listed = await s.neutron<Rs>('GET', '/v2.0/routers?name=edge&fields=id', undefined, ALICE);
    assert.deepEqual(listed.body.routers, [{ id: r.id }]);
    const u = await s.neutron<R>(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { name: 'edge2', admin_state_up: true } },
      ALICE,
    );
    assert.equal(u.status, 200, u.text);
    assert.equal(u.body.router.name, 'edge2');
    assert.equal(u.body.router.admin_state_up, true);
    const stale = await s.neutron('DELETE', `/v2.0/routers/${r.id}`, undefined, {
      ...ALICE,
      'if-match': `revision_number=${r.revision_number}`,
    });
    assert.equal(stale.status, 412);
    assert.equal((await s.neutron('DELETE', `/v2.0/routers/${r.id}`, undefined, ALICE)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/routers/${r.id}`, undefined, ALICE);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.error, { type: 'RouterNotFound', message: `Router ${r.id} could not be found` });
  });

  it('interfaces by subnet and by port, and what Neutron refuses', async () => {
    const r = await router({ name: 'itf' });
    const a = await tenantNetwork(s, '10.10.1.0/24', ALICE);
    const b = await tenantNetwork(s, '10.10.2.0/24', ALICE);
    const overlapping = await tenantNetwork(s, '10.10.1.0/25', ALICE);
    const noGateway = await tenantNetwork(s, '10.10.3.0/24', ALICE, { gateway_ip: null });

    const bySubnet = await itf(r.id, 'add', { subnet_id: a.subnet.id });
    assert.equal(bySubnet.status, 200, bySubnet.text);
    assert.equal(bySubnet.body.id, r.id);
    assert.equal(bySubnet.body.subnet_id, a.subnet.id);
    assert.deepEqual(bySubnet.body.subnet_ids, [a.subnet.id]);
    assert.equal(bySubnet.body.network_id, a.network.id);
    assert.equal(bySubnet.body.project_id, 'a1'.repeat(16));
    const ip = await s.neutron<One<'port', PortView>>(
      'GET',
      `/v2.0/ports/${bySubnet.body.port_id}`,
      undefined,
      ALICE,
    );
    assert.equal(ip.body.port.device_owner, 'network:router_interface');
    assert.equal(ip.body.port.device_id, r.id);
    assert.deepEqual(ip.body.port.fixed_ips, [{ subnet_id: a.subnet.id, ip_address: '10.10.1.1' }]);

    const p = await port(s, b.network.id, ALICE);
    const byPort = await itf(r.id, 'add', { port_id: p.id });
    assert.equal(byPort.status, 200, byPort.text);
    assert.equal(byPort.body.port_id, p.id);
    assert.equal(byPort.body.subnet_id, b.subnet.id);

    const refusals: [unknown, number, string, string][] = [
      [
        { subnet_id: noGateway.subnet.id },
        400,
        'BadRequest',
        'Bad router request: Subnet for router interface must have a gateway IP.',
      ],
      [
        { subnet_id: overlapping.subnet.id },
        400,
        'BadRequest',
        `Bad router request: Cidr 10.10.1.0/25 of subnet ${overlapping.subnet.id} overlaps with cidr 10.10.1.0/24 of subnet ${a.subnet.id}.`,
      ],
      [
        { subnet_id: a.subnet.id },
        400,
        'BadRequest',
        `Bad router request: Router already has a port on subnet ${a.subnet.id}.`,
      ],
      [{}, 400, 'BadRequest', 'Bad router request: Either subnet_id or port_id must be specified.'],
      [{ subnet_id: 'nope' }, 400, 'BadRequest', "Bad router request: 'nope' is not a valid UUID."],
      [
        { port_id: p.id },
        409,
        'PortInUse',
        `Unable to complete operation on port ${p.id} for network ${b.network.id}. Port already has an attached device ${r.id}.`,
      ],
    ];
    for (const [body, status, type, message] of refusals) {
      const res = await itf(r.id, 'add', body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.deepEqual(res.error, { type, message });
    }
    const busy = await s.neutron('DELETE', `/v2.0/routers/${r.id}`, undefined, ALICE);
    assert.equal(busy.status, 409);
    assert.equal(busy.error?.type, 'RouterInUse');

    const missing = await itf(r.id, 'remove', { subnet_id: noGateway.subnet.id });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.error, {
      type: 'RouterInterfaceNotFoundForSubnet',
      message: `Router ${r.id} has no interface on subnet ${noGateway.subnet.id}`,
    });
    assert.equal((await itf(r.id, 'remove', { subnet_id: a.subnet.id })).status, 200);
    const removed = await itf(r.id, 'remove', { port_id: p.id });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.body.port_id, p.id);
    assert.equal((await s.neutron('GET', `/v2.0/ports/${p.id}`, undefined, ALICE)).status, 404);
    assert.equal((await s.neutron('DELETE', `/v2.0/routers/${r.id}`, undefined, ALICE)).status, 204);
  });

  it('an interface a floating IP needs cannot be removed', async () => {
    const r = await router({ external_gateway_info: { network_id: ext.network.id } });
    const t = await tenantNetwork(s, '10.11.0.0/24', ALICE);
    await itf(r.id, 'add', { subnet_id: t.subnet.id });
    const vm = await port(s, t.network.id, ALICE);
    const fip = await made<FloatingIpView>(
      s,
      '/v2.0/floatingips',
      'floatingip',
      { floating_network_id: ext.network.id, port_id: vm.id },
      ALICE,
    );
    const res = await itf(r.id, 'remove', { subnet_id: t.subnet.id });
    assert.equal(res.status, 409);
    assert.deepEqual(res.error, {
      type: 'RouterInterfaceInUseByFloatingIP',
      message: `Router interface for subnet ${t.subnet.id} on router ${r.id} cannot be deleted, as it is required by one or more floating IPs.`,
    });
    const clear = await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: null } },
      ALICE,
    );
    assert.equal(clear.status, 409);
    assert.equal(clear.error?.type, 'RouterExternalGatewayInUseByFloatingIp');
    assert.equal((await s.neutron('DELETE', `/v2.0/floatingips/${fip.id}`, undefined, ALICE)).status, 204);
    assert.equal((await itf(r.id, 'remove', { subnet_id: t.subnet.id })).status, 200);
  });

  it('gateway: set, refuse, admin-only sub-attributes, clear', async () => {
    const r = await router({ name: 'gw' });
    const set = await s.neutron<R>(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: { network_id: ext.network.id } } },
      ALICE,
    );
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.router.external_gateway_info?.network_id, ext.network.id);
    const cases: [unknown, number, string, string][] = [
      [
        { network_id: ext.network.id, enable_snat: false },
        403,
        'PolicyNotAuthorized',
        '(rule:update_router:external_gateway_info:enable_snat) is disallowed by policy',
      ],
      [
        { network_id: ext.network.id, external_fixed_ips: [{ ip_address: '203.0.113.50' }] },
        403,
        'PolicyNotAuthorized',
        '(rule:update_router:external_gateway_info:external_fixed_ips) is disallowed by policy',
      ],
      [
        { enable_snat: true },
        400,
        'HTTPBadRequest',
        "Invalid input for external_gateway_info. Reason: Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: {'enable_snat'}.",
      ],
      [
        { network_id: ext.network.id, color: 'red' },
        400,
        'HTTPBadRequest',
        'Invalid input for external_gateway_info. Reason: Unexpected keys supplied: color.',
      ],
    ];
    for (const [gw, status, type, message] of cases) {
      const res = await s.neutron(
        'PUT',
        `/v2.0/routers/${r.id}`,
        { router: { external_gateway_info: gw } },
        ALICE,
      );
      assert.equal(res.status, status, JSON.stringify(gw));
      assert.deepEqual(res.error, { type, message });
    }
    const tenant = await tenantNetwork(s, '10.12.0.0/24', ALICE);
    const notExternal = await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: { network_id: tenant.network.id } } },
      ALICE,
    );
    assert.equal(notExternal.status, 400);
    assert.equal(
      notExternal.error?.message,
      `Bad router request: Network ${tenant.network.id} is not an external network.`,
    );
    const unknown = await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: { network_id: '0f0f0f0f-0000-4000-8000-000000000000' } } },
      ALICE,
    );
    assert.equal(unknown.status, 404);
    assert.equal(unknown.error?.type, 'NetworkNotFound');
    // An admin chooses SNAT and the address.
    const admin = await s.neutron<R>('PUT', `/v2.0/routers/${r.id}`, {
      router: {
        external_gateway_info: {
          network_id: ext.network.id,
          enable_snat: false,
          external_fixed_ips: [{ subnet_id: ext.subnet.id, ip_address: '203.0.113.77' }],
        },
      },
    });
    assert.equal(admin.status, 200, admin.text);
    assert.deepEqual(admin.body.router.external_gateway_info, {
      network_id: ext.network.id,
      enable_snat: false,
      external_fixed_ips: [{ subnet_id: ext.subnet.id, ip_address: '203.0.113.77' }],
    });
    const cleared = await s.neutron<R>(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: {} } },
      ALICE,
    );
    assert.equal(cleared.body.router.external_gateway_info, null);
  });

  it('extra routes: PUT, atomic add/remove, refusals, clearing with null', async () => {
    const r = await router({ name: 'routes' });
    const a = await tenantNetwork(s, '10.13.0.0/24', ALICE);
    await itf(r.id, 'add', { subnet_id: a.subnet.id });
    const route1 = { destination: '192.0.2.0/24', nexthop: '10.13.0.5' };
    const route2 = { destination: '198.51.100.0/24', nexthop: '10.13.0.6' };
    const put = await s.neutron<R>('PUT', `/v2.0/routers/${r.id}`, { router: { routes: [route1] } }, ALICE);
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.router.routes, [route1]);
    const added = await s.neutron<R>(
      'PUT',
      `/v2.0/routers/${r.id}/add_extraroutes`,
      { router: { routes: [route1, route2] } },
      ALICE,
    );
    assert.equal(added.status, 200, added.text);
    assert.deepEqual(added.body.router.routes, [route1, route2]);
    const far = { destination: '192.0.2.0/24', nexthop: '172.31.0.1' };
    const bad = await s.neutron('PUT', `/v2.0/routers/${r.id}`, { router: { routes: [far] } }, ALICE);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.error, {
      type: 'InvalidRoutes',
      message:
        "Invalid format for routes: [{'destination': '192.0.2.0/24', 'nexthop': '172.31.0.1'}], the nexthop is not connected with router",
    });
    const dup = await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}`,
      { router: { routes: [route1, route1] } },
      ALICE,
    );
    assert.equal(dup.status, 400);
    assert.match(dup.error?.message ?? '', /^Invalid input for routes\. Reason: Duplicate hostroute/);
    const used = await itf(r.id, 'remove', { subnet_id: a.subnet.id });
    assert.equal(used.status, 409);
    assert.equal(used.error?.type, 'RouterInterfaceInUseByRoute');
    const removed = await s.neutron<R>(
      'PUT',
      `/v2.0/routers/${r.id}/remove_extraroutes`,
      { router: { routes: [route1] } },
      ALICE,
    );
    assert.deepEqual(removed.body.router.routes, [route2]);
    const cleared = await s.neutron<R>('PUT', `/v2.0/routers/${r.id}`, { router: { routes: null } }, ALICE);
    assert.deepEqual(cleared.body.router.routes, []);
    assert.equal((await itf(r.id, 'remove', { subnet_id: a.subnet.id })).status, 200);
  });

  it("others' routers are invisible; readers cannot change them; routes are not settable on create", async () => {
    const r = await router({ name: 'private' });
    assert.equal((await s.neutron('GET', `/v2.0/routers/${r.id}`, undefined, BOB)).status, 404);
    const bobs = await s.neutron<Rs>('GET', '/v2.0/routers', undefined, BOB);
    assert.ok(!bobs.body.routers.some((x) => x.id === r.id));
    assert.equal((await itf(r.id, 'add', { subnet_id: ext.subnet.id }, BOB)).status, 404);
    const reader = asProject('a1'.repeat(16), ['reader']);
    const denied = await s.neutron('PUT', `/v2.0/routers/${r.id}`, { router: { name: 'x' } }, reader);
    assert.equal(denied.status, 403);
    const routes = await s.neutron('POST', '/v2.0/routers', { router: { routes: [] } }, ALICE);
    assert.equal(routes.status, 400);
    assert.equal(routes.error?.message, "Attribute 'routes' not allowed in POST");
    const admin = await s.neutron<Rs>('GET', `/v2.0/routers?id=${r.id}`);
    assert.equal(admin.body.routers.length, 1);
  });
});
