// The HTTP edge every API shares: strict bodies, size limits, the .json suffix, errors in
// Neutron's shape for anything the router or parser refuses, health, readiness and metrics.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { Many, NetworkView } from './helpers/wire.js';

describe('HTTP edge (Neutron listener)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  it('GET / answers a version document (what the openstack CLI probes first)', async () => {
    const r = await s.neutron<{ versions: { id: string }[] }>('GET', '/');
    assert.equal(r.status, 200);
    assert.equal(r.body.versions[0]?.id, 'v2.0');
    assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
  });

  it('malformed JSON, invalid UTF-8, duplicate keys and deep nesting are 400 MalformedRequestBody', async () => {
    for (const body of [
      '{"network": {',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      '{"network": {"name": "a", "name": "b"}}',
      '{"network": {"name": "a"}, "net\\u0077ork": {}}',
      `{"network": ${'['.repeat(100)}${']'.repeat(100)}}`,
      `${'['.repeat(100_000)}`,
    ]) {
      const r = await s.neutron('POST', '/v2.0/networks', body);
      assert.equal(r.status, 400, `${String(body).slice(0, 40)} -> ${r.text}`);
      assert.equal(r.error?.type, 'MalformedRequestBody');
    }
    const list = await s.neutron<Many<'networks', NetworkView>>('GET', '/v2.0/networks');
    assert.equal(list.body.networks.length, 0, 'nothing was created');
  });

  it('a body over the limit is 413 in NeutronError shape', async () => {
    const r = await s.neutron('POST', '/v2.0/networks', { network: { name: 'x'.repeat(200_000) } });
    assert.equal(r.status, 413);
    assert.equal(r.error?.type, 'HTTPRequestEntityTooLarge');
  });

  it('unknown paths are 404 with a NeutronError body; ".json" suffix and trailing slash are accepted', async () => {
    const r = await s.neutron('GET', '/v2.0/nonsense');
    assert.equal(r.status, 404);
    assert.equal(r.error?.type, 'HTTPNotFound');
    assert.equal((await s.neutron('GET', '/v2.0/networks.json')).status, 200);
    assert.equal((await s.neutron('GET', '/v2.0/networks/')).status, 200);
    assert.equal((await s.neutron('GET', '/v2.0/networks.json?fields=id')).status, 200);
  });

  it('health, readiness and Prometheus metrics', async () => {
    assert.equal((await s.neutron('GET', '/healthz')).status, 200);
    assert.equal((await s.neutron<{ status: string }>('GET', '/readyz')).body.status, 'ready');
    const m = await s.neutron('GET', '/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /weir_api_request_duration_seconds_bucket\{.*api="network".*route="\/"/);
  });
});
