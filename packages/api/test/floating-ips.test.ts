// Neutron floating IPs over HTTP: create (with and without a port), associate by PUT port_id,
// disassociate with port_id null, the refusal when no router connects the port's subnet to the
// external network, Neutron's other refusals, policy and visibility.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Many, One } from './helpers/wire.js';
import {
  externalNetwork,
  made,
  port,
  tenantNetwork,
  type FloatingIpView,
  type RouterView,
} from './helpers/wire-l3.js';

type F = One<'floatingip', FloatingIpView>;
type Fs = Many<'floatingips', FloatingIpView>;

const ALICE = asProject('a1'.repeat(16));
const BOB = asProject('b2'.repeat(16));

describe('Neutron floating IPs', () => {
  let s: TestServer;
  let ext: Awaited<ReturnType<typeof externalNetwork>>;
  before(async () => {
    s = await startTestServer();
    ext = await externalNetwork(s, '198.51.100.0/24');
  });
  after(async () => {
    await s.close();
  });
  const fip = (
    body: Record<string, unknown>,
    headers: Record<string, string> = ALICE,
  ): Promise<FloatingIpView> => made<FloatingIpView>(s, '/v2.0/floatingips', 'floatingip', body, headers);
  const update = (id: string, body: Record<string, unknown>, headers: Record<string, string> = ALICE) =>
    s.neutron<F>('PUT', `/v2.0/floatingips/${id}`, { floatingip: body }, headers);

  /** A tenant subnet behind a router whose gateway is on the external network, and a VM port. */
  async function reachable(cidr: string) {
    const t = await tenantNetwork(s, cidr, ALICE);
    const r = await made<RouterView>(
      s,
      '/v2.0/routers',
      'router',
      { external_gateway_info: { network_id: ext.network.id } },
      ALICE,
    );
    const added = await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}/add_router_interface`,
      { subnet_id: t.subnet.id },
      ALICE,
    );
    assert.equal(added.status, 200, added.text);
    return { ...t, router: r, vm: await port(s, t.network.id, ALICE) };
  }

  it('create, associate, move, disassociate, show, list, delete', async () => {
    const a = await reachable('10.20.1.0/24');
    const f = await fip({ floating_network_id: ext.network.id, description: 'web' });
    assert.match(f.floating_ip_address, /^198\.51\.100\./);
    assert.equal(f.floating_network_id, ext.network.id);
    assert.equal(f.port_id, null);
    assert.equal(f.fixed_ip_address, null);
    assert.equal(f.router_id, null);
    assert.equal(f.status, 'DOWN');
    assert.equal(f.description, 'web');
    assert.equal(f.project_id, 'a1'.repeat(16));
    assert.ok(!('name' in f), 'floating IPs have no name');

    const on = await update(f.id, { port_id: a.vm.id });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.floatingip.port_id, a.vm.id);
    assert.equal(on.body.floatingip.fixed_ip_address, a.vm.fixed_ips[0]?.ip_address);
    assert.equal(on.body.floatingip.router_id, a.router.id);
    assert.equal(on.body.floatingip.status, 'ACTIVE');

    // Another port on the same subnet: the floating IP moves.
    const vm2 = await port(s, a.network.id, ALICE);
    const moved = await update(f.id, { port_id: vm2.id, fixed_ip_address: vm2.fixed_ips[0]?.ip_address });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.floatingip.port_id, vm2.id);

    const byPort = await s.neutron<Fs>('GET', `/v2.0/floatingips?port_id=${vm2.id}`, undefined, ALICE);
    assert.deepEqual(
      byPort.body.floatingips.map((x) => x.id),
      [f.id],
    );
    const byRouter = await s.neutron<Fs>(
      'GET',
      `/v2.0/floatingips?router_id=${a.router.id}&fields=id`,
      undefined,
      ALICE,
    );
    assert.deepEqual(byRouter.body.floatingips, [{ id: f.id }]);

    const off = await update(f.id, { port_id: null });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.floatingip.port_id, null);
    assert.equal(off.body.floatingip.fixed_ip_address, null);
    assert.equal(off.body.floatingip.router_id, null);
    assert.equal(off.body.floatingip.status, 'DOWN');

    const tagged = await s.neutron('PUT', `/v2.0/floatingips/${f.id}/tags/web`, undefined, ALICE);
    assert.equal(tagged.status, 201);
    const shown = await s.neutron<F>('GET', `/v2.0/floatingips/${f.id}`, undefined, ALICE);
    assert.deepEqual(shown.body.floatingip.tags, ['web']);
    const stale = await s.neutron(
      'PUT',
      `/v2.0/floatingips/${f.id}`,
      { floatingip: { description: 'x' } },
      { ...ALICE, 'if-match': `revision_number=${f.revision_number}` },
    );
    assert.equal(stale.status, 412);
    assert.equal((await s.neutron('DELETE', `/v2.0/floatingips/${f.id}`, undefined, ALICE)).status, 204);
    const gone = await s.neutron('GET', `/v2.0/floatingips/${f.id}`, undefined, ALICE);
    assert.deepEqual(gone.error, {
      type: 'FloatingIPNotFound',
      message: `Floating IP ${f.id} could not be found`,
    });
  });

  it('create associated in one request', async () => {
    const a = await reachable('10.20.2.0/24');
    const f = await fip({ floating_network_id: ext.network.id, port_id: a.vm.id });
    assert.equal(f.port_id, a.vm.id);
    assert.equal(f.router_id, a.router.id);
    // Deleting the port disassociates the floating IP (Neutron does the same).
    assert.equal((await s.neutron('DELETE', `/v2.0/ports/${a.vm.id}`, undefined, ALICE)).status, 204);
    const after = await s.neutron<F>('GET', `/v2.0/floatingips/${f.id}`, undefined, ALICE);
    assert.equal(after.body.floatingip.port_id, null);
  });

  it('refuses a port the external network cannot reach (ExternalGatewayForFloatingIPNotFound)', async () => {
    const lonely = await tenantNetwork(s, '10.20.3.0/24', ALICE);
    const vm = await port(s, lonely.network.id, ALICE);
    const f = await fip({ floating_network_id: ext.network.id });
    const expected = {
      type: 'ExternalGatewayForFloatingIPNotFound',
      message: `External network ${ext.network.id} is not reachable from subnet ${lonely.subnet.id}.  Therefore, cannot associate Port ${vm.id} with a Floating IP.`,
    };
    const assoc = await update(f.id, { port_id: vm.id });
    assert.equal(assoc.status, 404);
    assert.deepEqual(assoc.error, expected);
    const create = await s.neutron(
      'POST',
      '/v2.0/floatingips',
      {
        floatingip: { floating_network_id: ext.network.id, port_id: vm.id },
      },
      ALICE,
    );
    assert.equal(create.status, 404);
    assert.deepEqual(create.error, expected);
    // A router without a gateway on that external network does not count either.
    const r = await made<RouterView>(s, '/v2.0/routers', 'router', {}, ALICE);
    await s.neutron(
      'PUT',
      `/v2.0/routers/${r.id}/add_router_interface`,
      { subnet_id: lonely.subnet.id },
      ALICE,
    );
    assert.equal((await update(f.id, { port_id: vm.id })).status, 404);
  });

  it("Neutron's other refusals", async () => {
    const a = await reachable('10.20.4.0/24');
    const private_ = await tenantNetwork(s, '10.20.5.0/24', ALICE);
    const taken = await fip({ floating_network_id: ext.network.id, port_id: a.vm.id });
    const second = await fip({ floating_network_id: ext.network.id });
    const cases: [
      string,
      'POST' | 'PUT',
      Record<string, unknown>,
      Record<string, string>,
      number,
      string,
      string,
    ][] = [
      [
        'not external',
        'POST',
        { floating_network_id: private_.network.id },
        ALICE,
        400,
        'BadRequest',
        `Bad floatingip request: Network ${private_.network.id} is not a valid external network.`,
      ],
      [
        'address chosen by a non-admin',
        'POST',
        { floating_network_id: ext.network.id, floating_ip_address: '198.51.100.200' },
        ALICE,
        403,
        'PolicyNotAuthorized',
        '(rule:create_floatingip:floating_ip_address) is disallowed by policy',
      ],
      [
        'missing network',
        'POST',
        {},
        ALICE,
        400,
        'HTTPBadRequest',
        "Failed to parse request. Required attribute 'floating_network_id' not specified",
      ],
      [
        'fixed IP taken',
        'PUT',
        { port_id: a.vm.id },
        ALICE,
        409,
        'FloatingIPPortAlreadyAssociated',
        `Cannot associate floating IP ${second.floating_ip_address} (${second.id}) with port ${a.vm.id} using fixed IP ${a.vm.fixed_ips[0]?.ip_address ?? ''}, as that fixed IP already has a floating IP on external network ${ext.network.id}.`,
      ],
      [
        'fixed IP the port does not have',
        'PUT',
        { port_id: a.vm.id, fixed_ip_address: '10.20.4.250' },
        ALICE,
        400,
        'BadRequest',
        `Bad floatingip request: Port ${a.vm.id} does not have fixed ip 10.20.4.250.`,
      ],
      [
        'fixed IP without port',
        'PUT',
        { fixed_ip_address: '10.20.4.250' },
        ALICE,
        400,
        'BadRequest',
        'Bad floatingip request: fixed_ip_address cannot be specified without a port_id.',
      ],
      [
        'read-only attribute',
        'PUT',
        { floating_ip_address: '198.51.100.9' },
        ALICE,
        400,
        'HTTPBadRequest',
        'Cannot update read-only attribute floating_ip_address',
      ],
      [
        "another project's port",
        'PUT',
        { port_id: a.vm.id },
        BOB,
        404,
        'FloatingIPNotFound',
        `Floating IP ${second.id} could not be found`,
      ],
    ];
    for (const [what, method, body, headers, status, type, message] of cases) {
      const res =
        method === 'POST'
          ? await s.neutron('POST', '/v2.0/floatingips', { floatingip: body }, headers)
          : await update(second.id, body, headers);
      assert.equal(res.status, status, what);
      assert.deepEqual(res.error, { type, message }, what);
    }
    // An admin may choose the address.
    const chosen = await made<FloatingIpView>(s, '/v2.0/floatingips', 'floatingip', {
      floating_network_id: ext.network.id,
      floating_ip_address: '198.51.100.200',
    });
    assert.equal(chosen.floating_ip_address, '198.51.100.200');
    assert.ok(taken.id);
  });

  it("others' floating IPs are invisible", async () => {
    const f = await fip({ floating_network_id: ext.network.id });
    assert.equal((await s.neutron('GET', `/v2.0/floatingips/${f.id}`, undefined, BOB)).status, 404);
    const bobs = await s.neutron<Fs>('GET', '/v2.0/floatingips', undefined, BOB);
    assert.deepEqual(bobs.body.floatingips, []);
    assert.equal((await s.neutron('DELETE', `/v2.0/floatingips/${f.id}`, undefined, BOB)).status, 404);
    const all = await s.neutron<Fs>('GET', `/v2.0/floatingips?floating_network_id=${ext.network.id}`);
    assert.ok(
      all.body.floatingips.some((x) => x.id === f.id),
      'admins see every project',
    );
  });
});
