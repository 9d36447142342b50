// The real `openstack` CLI (python-openstackclient 6.0, via openstacksdk) against a real server:
// subnets, ports and a trunk created, found by name, listed with filters, changed and deleted,
// and Neutron's error messages printed by the client. Each call costs ~1.5 s, so this file holds
// only what the real client proves (name lookups, request and response shapes it parses).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

describe('openstack CLI: subnets, ports, trunks', { skip: !existsSync(OPENSTACK) }, () => {
  let s: TestServer;
  let home: string;
  before(async () => {
    s = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'weir-cli-'));
  });
  after(async () => {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** One CLI call with only OS_AUTH_TYPE and OS_ENDPOINT set (no clouds.yaml: HOME is empty). */
  const os = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const env = { PATH: '/usr/bin:/bin', HOME: home, OS_AUTH_TYPE: 'none', OS_ENDPOINT: s.urls.network };
      execFile(OPENSTACK, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  const ok = async (...args: string[]): Promise<string> => {
    const r = await os(...args);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '-f', 'json')) as T;

  it('subnet and port lifecycle, name lookups, filters and Neutron messages', async () => {
    await ok('network', 'create', 'N');
    const sub = await json<{ id: string; cidr: string; gateway_ip: string }>(
      'subnet',
      'create',
      '--network',
      'N',
      '--subnet-range',
      '10.0.0.0/24',
      'S',
    );
    assert.equal(sub.cidr, '10.0.0.0/24');
    assert.equal(sub.gateway_ip, '10.0.0.1');
    const subs = await json<{ ID: string; Name: string; Network: string; Subnet: string }[]>(
      'subnet',
      'list',
    );
    assert.deepEqual(subs, [{ ID: sub.id, Name: 'S', Network: subs[0]?.Network, Subnet: '10.0.0.0/24' }]);
    assert.equal((await json<{ id: string }>('subnet', 'show', 'S')).id, sub.id);
    await ok('subnet', 'set', '--name', 'S2', '--dns-nameserver', '8.8.8.8', 'S');
    const renamed = await json<{ id: string; dns_nameservers: string[] }>('subnet', 'show', 'S2');
    assert.deepEqual(renamed.dns_nameservers, ['8.8.8.8']);

    const port = await json<{
      id: string;
      fixed_ips: { subnet_id: string; ip_address: string }[];
      tags: string[];
    }>(
      'port',
      'create',
      '--network',
      'N',
      '--fixed-ip',
      'subnet=S2,ip-address=10.0.0.10',
      '--tag',
      'red',
      'P',
    );
    assert.deepEqual(port.fixed_ips, [{ subnet_id: sub.id, ip_address: '10.0.0.10' }]);
    assert.deepEqual(port.tags, ['red']);
    const dup = await os(
      'port',
      'create',
      '--network',
      'N',
      '--fixed-ip',
      'subnet=S2,ip-address=10.0.0.10',
      'P2',
    );
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, new RegExp(`IP address 10\\.0\\.0\\.10 already allocated in subnet ${sub.id}`));

    const listed = await json<{ ID: string; Name: string }[]>('port', 'list', '--network', 'N');
    assert.deepEqual(
      listed.map((p) => [p.ID, p.Name]),
      [[port.id, 'P']],
    );
    assert.equal((await json<{ id: string }>('port', 'show', 'P')).id, port.id);
    await ok('port', 'set', '--name', 'P3', 'P');
    const byIp = await json<{ ID: string; Name: string }[]>(
      'port',
      'list',
      '--fixed-ip',
      'ip-address=10.0.0.10',
    );
    assert.deepEqual(
      byIp.map((p) => [p.ID, p.Name]),
      [[port.id, 'P3']],
    );

    const busy = await os('subnet', 'delete', 'S2');
    assert.notEqual(busy.code, 0);
    assert.match(busy.stderr, /One or more ports have an IP allocation from this subnet/);
    await ok('port', 'delete', 'P3');
    assert.deepEqual(await json<unknown[]>('port', 'list', '--network', 'N'), []);
    await ok('subnet', 'delete', 'S2');
    assert.deepEqual(await json<unknown[]>('subnet', 'list'), []);
  });

  it('trunk with a subport; a segmentation id clash is reported', async () => {
    await ok('network', 'create', 'TN');
    await ok('subnet', 'create', '--network', 'TN', '--subnet-range', '10.1.0.0/24', 'TS');
    await Promise.all(['TP', 'SP1', 'SP2'].map((name) => ok('port', 'create', '--network', 'TN', name)));
    const t = await json<{ id: string; sub_ports: { segmentation_id: number }[] }>(
      'network',
      'trunk',
      'create',
      '--parent-port',
      'TP',
      '--subport',
      'port=SP1,segmentation-type=vlan,segmentation-id=100',
      'T1',
    );
    assert.equal(t.sub_ports[0]?.segmentation_id, 100);
    const clash = await os(
      'network',
      'trunk',
      'set',
      '--subport',
      'port=SP2,segmentation-type=vlan,segmentation-id=100',
      'T1',
    );
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, new RegExp(`segmentation_id 100 already in use on trunk ${t.id}`));
    const subports = await json<{ 'Segmentation ID': number }[]>(
      'network',
      'subport',
      'list',
      '--trunk',
      'T1',
    );
    assert.deepEqual(
      subports.map((p) => p['Segmentation ID']),
      [100],
    );
  });
});
