// Neutron's quotas API over HTTP: defaults, per-project overrides (admin-only), a member reading
// its own quota but not another's, details with usage, the projects listing, delete back to
// defaults, and a lowered quota making the next create a 409 OverQuota.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import { made, type QuotaLimits } from './helpers/wire-l3.js';
import type { NetworkView } from './helpers/wire.js';

type Q = { readonly quota: QuotaLimits };
type Details = {
  readonly quota: Readonly<Record<string, { limit: number; used: number; reserved: number }>>;
};
type Qs = { readonly quotas: (QuotaLimits & { project_id: string; tenant_id: string })[] };

const CAROL_ID = 'c3'.repeat(16);
const CAROL = asProject(CAROL_ID);
const DAVE_ID = 'd4'.repeat(16);

const DEFAULTS = {
  network: 100,
  subnet: 100,
  port: 500,
  router: 10,
  floatingip: 50,
  security_group: 10,
  security_group_rule: 100,
};

describe('Neutron quotas', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  it('defaults, a member reading its own quota, and nobody else’s', async () => {
    const own = await s.neutron<Q>('GET', `/v2.0/quotas/${CAROL_ID}`, undefined, CAROL);
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(own.body.quota, DEFAULTS);
    assert.deepEqual(
      (await s.neutron<Q>('GET', `/v2.0/quotas/${CAROL_ID}/default`, undefined, CAROL)).body.quota,
      DEFAULTS,
    );
    const whoami = await s.neutron<{ project: { project_id: string } }>(
      'GET',
      '/v2.0/quotas/project',
      undefined,
      CAROL,
    );
    assert.deepEqual(whoami.body, { project: { project_id: CAROL_ID } });
    const others = await s.neutron('GET', `/v2.0/quotas/${DAVE_ID}`, undefined, CAROL);
    assert.equal(others.status, 403);
    assert.deepEqual(others.error, {
      type: 'PolicyNotAuthorized',
      message: '(rule:get_quota) is disallowed by policy',
    });
    const details = await s.neutron('GET', `/v2.0/quotas/${DAVE_ID}/details`, undefined, CAROL);
    assert.equal(details.status, 403);
    assert.equal(details.error?.type, 'AdminRequired');
    assert.equal((await s.neutron('GET', '/v2.0/quotas', undefined, CAROL)).status, 403);
    const put = await s.neutron('PUT', `/v2.0/quotas/${CAROL_ID}`, { quota: { network: 1000 } }, CAROL);
    assert.equal(put.status, 403);
    assert.deepEqual(put.error, {
      type: 'PolicyNotAuthorized',
      message: '(rule:update_quota) is disallowed by policy',
    });
    assert.equal((await s.neutron('DELETE', `/v2.0/quotas/${CAROL_ID}`, undefined, CAROL)).status, 403);
  });

  it('lowering a quota makes the next create 409 OverQuota; details show usage; delete restores', async () => {
    const net = (): Promise<NetworkView> => made<NetworkView>(s, '/v2.0/networks', 'network', {}, CAROL);
    await net();
    await net();
    const below = await s.neutron('PUT', `/v2.0/quotas/${CAROL_ID}`, { quota: { network: 1 } });
    assert.equal(below.status, 400);
    assert.equal(
      below.error?.message,
      'Quota limit 1 for network must be greater than or equal to already used 2',
    );
    const set = await s.neutron<Q>('PUT', `/v2.0/quotas/${CAROL_ID}`, {
      quota: { network: 2, router: '3', check_limit: true },
    });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.quota, { ...DEFAULTS, network: 2, router: 3 });
    const over = await s.neutron('POST', '/v2.0/networks', { network: {} }, CAROL);
    assert.equal(over.status, 409);
    assert.deepEqual(over.error, {
      type: 'OverQuota',
      message: "Quota exceeded for resources: ['network'].",
    });
    const details = await s.neutron<Details>('GET', `/v2.0/quotas/${CAROL_ID}/details`, undefined, CAROL);
    assert.deepEqual(details.body.quota.network, { limit: 2, used: 2, reserved: 0 });
    assert.deepEqual(details.body.quota.router, { limit: 3, used: 0, reserved: 0 });
    const forced = await s.neutron<Q>('PUT', `/v2.0/quotas/${CAROL_ID}`, {
      quota: { network: 0, force: true },
    });
    assert.equal(forced.body.quota.network, 0);
    const listed = await s.neutron<Qs>('GET', '/v2.0/quotas');
    const mine = listed.body.quotas.find((q) => q.project_id === CAROL_ID);
    assert.deepEqual(mine, { ...DEFAULTS, network: 0, router: 3, project_id: CAROL_ID, tenant_id: CAROL_ID });
    assert.ok(!listed.body.quotas.some((q) => q.project_id === DAVE_ID), 'only projects with overrides');
    assert.equal((await s.neutron('DELETE', `/v2.0/quotas/${CAROL_ID}`)).status, 204);
    assert.deepEqual((await s.neutron<Q>('GET', `/v2.0/quotas/${CAROL_ID}`)).body.quota, DEFAULTS);
    const again = await s.neutron('DELETE', `/v2.0/quotas/${CAROL_ID}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.error, {
      type: 'TenantQuotaNotFound',
      message: `Quota for project ${CAROL_ID} could not be found.`,
    });
    assert.equal((await s.neutron('POST', '/v2.0/networks', { network: {} }, CAROL)).status, 201);
  });

  it('security group rule and port quotas bite too', async () => {
    const erin = asProject('e5'.repeat(16));
    // The default group (4 rules) appears on first listing; a new group brings 2 more.
    await s.neutron('GET', '/v2.0/security-groups', undefined, erin);
    assert.equal(
      (await s.neutron('PUT', `/v2.0/quotas/${'e5'.repeat(16)}`, { quota: { security_group_rule: 6 } }))
        .status,
      200,
    );
    const g = await s.neutron<{ security_group: { id: string } }>(
      'POST',
      '/v2.0/security-groups',
      { security_group: { name: 'g' } },
      erin,
    );
    assert.equal(g.status, 201, g.text);
    const rule = await s.neutron(
      'POST',
      '/v2.0/security-group-rules',
      { security_group_rule: { security_group_id: g.body.security_group.id, direction: 'ingress' } },
      erin,
    );
    assert.equal(rule.status, 409);
    assert.deepEqual(rule.error, {
      type: 'OverQuota',
      message: "Quota exceeded for resources: ['security_group_rule'].",
    });
  });

  it("refuses what Neutron's quota PUT refuses", async () => {
    const cases: [unknown, string, string][] = [
      [{ quota: { networks: 5 } }, 'HTTPBadRequest', "Unrecognized attribute(s) 'networks'"],
      [
        { quota: { network: 'many' } },
        'InvalidInput',
        "Invalid input for operation: 'many' is not an integer.",
      ],
      [
        { quota: { network: -2 } },
        'HTTPBadRequest',
        "Invalid input for network. Reason: '-2' is too small - must be at least '-1'.",
      ],
      [
        { quota: { network: 2147483648 } },
        'HTTPBadRequest',
        "Invalid input for network. Reason: '2147483648' is too large - must be no larger than '2147483647'.",
      ],
      [{ quotas: {} }, 'HTTPBadRequest', "Unable to find 'quota' in request body"],
    ];
    for (const [body, type, message] of cases) {
      const r = await s.neutron('PUT', `/v2.0/quotas/${DAVE_ID}`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.error, { type, message });
    }
    const unlimited = await s.neutron<Q>('PUT', `/v2.0/quotas/${DAVE_ID}`, { quota: { port: -1 } });
    assert.equal(unlimited.body.quota.port, -1);
  });
});
