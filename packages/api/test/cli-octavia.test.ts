// The real `openstack loadbalancer` CLI (python-octaviaclient 3.1) against a real server: the
// whole graph created by name (octaviaclient resolves names through list filters, subnets through
// neutronclient), shown, listed, its status tree, Octavia's messages printed by the client, and a
// cascade delete. Each call costs ~1.5 s, so this file holds only what the real client proves.
//
// With auth none the two clients find their endpoints differently: octaviaclient reads
// `load_balancer_endpoint_override`, while neutronclient (used by octaviaclient for --vip-subnet-id
// and --subnet-id) asks the auth plugin, so the `none` plugin needs `auth.endpoint` too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';

const OPENSTACK = '/usr/bin/openstack';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('openstack CLI: load balancers', { skip: !existsSync(OPENSTACK) }, () => {
  let s: TestServer;
  let home: string;
  let clouds: string;
  before(async () => {
    s = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'weir-cli-lb-'));
    clouds = join(home, 'clouds.yaml');
    writeFileSync(
      clouds,
      [
        'clouds:',
        '  weir:',
        '    auth_type: none',
        '    auth:',
        `      endpoint: ${s.urls.network}`,
        `    network_endpoint_override: ${s.urls.network}`,
        `    load_balancer_endpoint_override: ${s.urls.loadBalancer}`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  const os = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = { PATH: '/usr/bin:/bin', HOME: home, OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'weir' };
      execFile(OPENSTACK, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await os(...args, '-f', 'json');
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const fails = async (...args: string[]): Promise<string> => {
    const r = await os(...args);
    assert.notEqual(r.code, 0, `openstack ${args.join(' ')} should fail: ${r.stdout}`);
    return r.stderr.trim();
  };

  it('builds, shows and cascade-deletes a load balancer graph by name', async () => {
    // The network and subnet through the server's own Neutron API (no CLI calls spent on them).
    const net = await s.neutron<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'N' },
    });
    const sub = await s.neutron<{ subnet: { id: string } }>('POST', '/v2.0/subnets', {
      subnet: { network_id: net.body.network.id, cidr: '10.0.0.0/24', ip_version: 4, name: 'S' },
    });
    assert.equal(sub.status, 201, sub.text);
    const subnetId = sub.body.subnet.id;

    const lb = await json<{
      id: string;
      vip_subnet_id: string;
      vip_port_id: string;
      provider: string;
      provisioning_status: string;
    }>('loadbalancer', 'create', '--vip-subnet-id', 'S', '--name', 'lb1');
    assert.equal(lb.vip_subnet_id, subnetId, 'the subnet name was resolved through Neutron');
    assert.equal(lb.provider, 'weir');
    assert.equal(lb.provisioning_status, 'ACTIVE');

    const listed = await json<{ id: string; name: string; provider: string }[]>('loadbalancer', 'list');
    assert.deepEqual(
      listed.map((l) => [l.id, l.name, l.provider]),
      [[lb.id, 'lb1', 'weir']],
    );
    assert.equal((await json<{ id: string }>('loadbalancer', 'show', 'lb1')).id, lb.id);

    const listener = await json<{
      id: string;
      protocol: string;
      protocol_port: number;
      loadbalancers: string;
    }>(
      'loadbalancer',
      'listener',
      'create',
      '--protocol',
      'TCP',
      '--protocol-port',
      '80',
      '--name',
      'L',
      'lb1',
    );
    assert.deepEqual([listener.protocol, listener.protocol_port, listener.loadbalancers], ['TCP', 80, lb.id]);
    const pool = await json<{ id: string; listeners: string; lb_algorithm: string }>(
      'loadbalancer',
      'pool',
      'create',
      '--lb-algorithm',
      'ROUND_ROBIN',
      '--listener',
      'L',
      '--protocol',
      'TCP',
      '--name',
      'P',
    );
    assert.equal(pool.listeners, listener.id);
    const member = await json<{ id: string; subnet_id: string; operating_status: string }>(
      'loadbalancer',
      'member',
      'create',
      '--address',
      '10.0.0.5',
      '--protocol-port',
      '8080',
      '--subnet-id',
      'S',
      'P',
    );
    assert.equal(member.subnet_id, subnetId);
    assert.equal(member.operating_status, 'NO_MONITOR');
    const hm = await json<{ id: string; type: string; pools: string }>(
      'loadbalancer',
      'healthmonitor',
      'create',
      '--delay',
      '5',
      '--timeout',
      '3',
      '--max-retries',
      '3',
      '--type',
      'TCP',
      'P',
    );
    assert.deepEqual([hm.type, hm.pools], ['TCP', pool.id]);

    // Octavia's messages, printed by the client as Octavia's would be.
    assert.match(
      await fails(
        'loadbalancer',
        'member',
        'create',
        '--address',
        '10.0.0.5',
        '--protocol-port',
        '8080',
        'P',
      ),
      /^Another member on this pool is already using ip 10\.0\.0\.5 on protocol_port 8080 \(HTTP 409\)/,
    );
    assert.match(
      await fails(
        'loadbalancer',
        'member',
        'create',
        '--address',
        '192.0.2.5',
        '--protocol-port',
        '80',
        '--subnet-id',
        'S',
        'P',
      ),
      new RegExp(
        `^Validation failure: Member address 192\\.0\\.2\\.5 is not in subnet ${subnetId} \\(10\\.0\\.0\\.0/24\\)\\. \\(HTTP 400\\)`,
      ),
    );

    const tree = await os('loadbalancer', 'status', 'show', 'lb1');
    assert.equal(tree.code, 0, tree.stderr);
    const statuses = JSON.parse(tree.stdout) as {
      loadbalancer: {
        id: string;
        listeners: {
          id: string;
          pools: {
            id: string;
            health_monitor: { id: string };
            members: { id: string; address: string; operating_status: string }[];
          }[];
        }[];
      };
    };
    const treePool = statuses.loadbalancer.listeners[0]?.pools[0];
    assert.equal(statuses.loadbalancer.id, lb.id);
    assert.equal(statuses.loadbalancer.listeners[0]?.id, listener.id);
    assert.equal(treePool?.health_monitor.id, hm.id);
    assert.deepEqual(treePool?.members, [
      {
        id: member.id,
        name: '',
        provisioning_status: 'ACTIVE',
        operating_status: 'ONLINE',
        address: '10.0.0.5',
        protocol_port: 8080,
      },
    ]);

    assert.match(
      await fails('loadbalancer', 'delete', 'lb1'),
      new RegExp(
        `^Validation failure: Cannot delete Load Balancer ${lb.id} - it has children \\(HTTP 400\\)`,
      ),
    );
    const deleted = await os('loadbalancer', 'delete', '--cascade', 'lb1');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await json<unknown[]>('loadbalancer', 'list'), []);
    const vip = await s.neutron('GET', `/v2.0/ports/${lb.vip_port_id}`);
    assert.equal(vip.status, 404, 'the VIP port went with the cascade');
    assert.match(await fails('loadbalancer', 'show', 'lb1'), /^Unable to locate lb1 in loadbalancers/);
  });
});
