// Two `weir server` replicas on one real etcd behave as one service: what one creates the other
// shows, and 300 port creates split across both on one /24 hand out exactly 253 distinct
// addresses and refuse the rest with Neutron's IpAddressGenerationFailure — through HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EtcdInstance } from '@weir/lab';
import { startTestServer, type TestServer } from './helpers/server.js';

interface PortView {
  readonly id: string;
  readonly fixed_ips: { readonly subnet_id: string; readonly ip_address: string }[];
}

describe('two API replicas on one etcd', () => {
  let etcd: EtcdInstance;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    etcd = await EtcdInstance.start();
    const db = `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, '')).join(',')}/replicas${process.pid}`;
    a = await startTestServer({ db });
    b = await startTestServer({ db });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await etcd?.stop();
  });

  it('what one replica writes the other reads; an IPAM race across both never duplicates', async () => {
    const net = await a.neutron<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'shared-view' },
    });
    assert.equal(net.status, 201, net.text);
    const seen = await b.neutron<{ network: { id: string; name: string } }>(
      'GET',
      `/v2.0/networks/${net.body.network.id}`,
    );
    assert.equal(seen.body.network.name, 'shared-view');
    const subnet = await b.neutron<{ subnet: { id: string } }>('POST', '/v2.0/subnets', {
      subnet: { network_id: net.body.network.id, cidr: '10.77.0.0/24', ip_version: 4 },
    });
    assert.equal(subnet.status, 201, subnet.text);

    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        (i % 2 === 0 ? a : b).neutron<{ port: PortView }>('POST', '/v2.0/ports', {
          port: { network_id: net.body.network.id, name: `race-${i}` },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    assert.equal(created.length, 253, `${created.length} created`);
    for (const r of refused) {
      assert.equal(r.status, 409, r.text);
      assert.equal(r.error?.type, 'IpAddressGenerationFailure');
    }
    const addresses = created.map((r) => r.body.port.fixed_ips[0]?.ip_address);
    assert.equal(new Set(addresses).size, 253, 'every address is distinct');
    const listA = await a.neutron<{ ports: PortView[] }>(
      'GET',
      `/v2.0/ports?network_id=${net.body.network.id}`,
    );
    const listB = await b.neutron<{ ports: PortView[] }>(
      'GET',
      `/v2.0/ports?network_id=${net.body.network.id}`,
    );
    assert.equal(listA.body.ports.length, 253);
    assert.deepEqual(
      listA.body.ports.map((p) => p.id),
      listB.body.ports.map((p) => p.id),
    );
  });
});
