// `?name=` on every named resource: answered from the store's name index (unnamed objects are not
// in it, so `?name=` with an empty value must still find them), scoped to what the caller sees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';

const BOB = '0b0b0b0b0b0b4b0b8b0b0b0b0b0b0b0b';

interface Named {
  readonly id: string;
  readonly name: string;
  readonly project_id: string;
}

describe('name filters', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  const create = async (
    singular: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<Named> => {
    const plural = singular === 'security_group' ? 'security-groups' : `${singular}s`;
    const r = await s.neutron<Record<string, Named>>(
      'POST',
      `/v2.0/${plural}`,
      { [singular]: body },
      headers,
    );
    assert.equal(r.status, 201, r.text);
    return r.body[singular] as Named;
  };
  const names = async (path: string, headers?: Record<string, string>): Promise<string[]> => {
    const r = await s.neutron<Record<string, Named[]>>('GET', path, undefined, headers);
    assert.equal(r.status, 200, r.text);
    const key = Object.keys(r.body)[0] as string;
    return (r.body[key] ?? []).map((o) => `${o.project_id === BOB ? 'bob:' : ''}${o.name}`).sort();
  };

  it('ports: exact names, several values, unnamed, and only what the caller may see', async () => {
    const bob = asProject(BOB);
    const net = await create('network', { name: 'shared-net', shared: true });
    await create('subnet', { network_id: net.id, cidr: '10.9.0.0/24', ip_version: 4 });
    for (const name of ['web', 'web-2', 'db', ''])
      await create('port', { network_id: net.id, ...(name ? { name } : {}) });
    await create('port', { network_id: net.id, name: 'web' }, bob);
    assert.deepEqual(await names('/v2.0/ports?name=web'), ['bob:web', 'web']);
    assert.deepEqual(await names('/v2.0/ports?name=web', bob), ['bob:web']);
    assert.deepEqual(await names('/v2.0/ports?name=web&name=db'), ['bob:web', 'db', 'web']);
    assert.deepEqual(await names('/v2.0/ports?name=we'), [], 'exact match, not a prefix');
    assert.deepEqual(await names(`/v2.0/ports?name=&network_id=${net.id}`), ['']);
    // A rename moves the port in the index.
    const ports = await s.neutron<{ ports: Named[] }>('GET', '/v2.0/ports?name=db');
    const db = ports.body.ports[0] as Named;
    assert.equal((await s.neutron('PUT', `/v2.0/ports/${db.id}`, { port: { name: 'cache' } })).status, 200);
    assert.deepEqual(await names('/v2.0/ports?name=db'), []);
    assert.deepEqual(await names('/v2.0/ports?name=cache'), ['cache']);
  });

  it('networks (own and shared), subnets, routers, security groups, trunks', async () => {
    const bob = asProject(BOB);
    await create('network', { name: 'blue' });
    await create('network', { name: 'blue' }, bob);
    await create('network', { name: 'blue', shared: true });
    assert.deepEqual(await names('/v2.0/networks?name=blue', bob), ['blue', 'bob:blue']);
    assert.deepEqual(await names('/v2.0/networks?name=blue'), ['blue', 'blue', 'bob:blue']);
    const n = await create('network', { name: 'green' }, bob);
    await create('subnet', { network_id: n.id, cidr: '10.8.0.0/24', ip_version: 4, name: 'g-sub' }, bob);
    assert.deepEqual(await names('/v2.0/subnets?name=g-sub', bob), ['bob:g-sub']);
    assert.deepEqual(
      await names('/v2.0/subnets?name=g-sub', asProject('0c0c0c0c0c0c4c0c8c0c0c0c0c0c0c0c')),
      [],
    );
    await create('router', { name: 'edge' }, bob);
    assert.deepEqual(await names('/v2.0/routers?name=edge', bob), ['bob:edge']);
    assert.deepEqual(await names('/v2.0/security-groups?name=default', bob), ['bob:default']);
    await create('security_group', { name: 'web' }, bob);
    assert.deepEqual(await names('/v2.0/security-groups?name=web', bob), ['bob:web']);
    const p = await create('port', { network_id: n.id }, bob);
    await create('trunk', { port_id: p.id, name: 't1' }, bob);
    assert.deepEqual(await names('/v2.0/trunks?name=t1', bob), ['bob:t1']);
  });
});
