// The real `openstack` CLI (python-openstackclient 6.0, via openstacksdk) with subnet pools: a
// pool created, a subnet allocated from it by name (the client finds the pool by name and sends
// no cidr), and Neutron's refusal to delete a pool in use as the client prints it. Each call
// costs ~1.5 s, so this stays at five.
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

describe('openstack CLI: subnet pools', { skip: !existsSync(OPENSTACK) }, () => {
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
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await os(...args, '-f', 'json');
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };

  it('subnet create --subnet-pool allocates a prefix of the default length', async () => {
    const [pool] = await Promise.all([
      json<{ id: string; prefixes: string[]; default_prefixlen: number; ip_version: number }>(
        'subnet',
        'pool',
        'create',
        '--pool-prefix',
        '10.10.0.0/16',
        '--default-prefix-length',
        '24',
        'P',
      ),
      json<{ id: string }>('network', 'create', 'N'),
    ]);
    assert.deepEqual(pool.prefixes, ['10.10.0.0/16']);
    assert.equal(pool.default_prefixlen, 24);
    assert.equal(pool.ip_version, 4);
    const subnet = await json<{ cidr: string; subnetpool_id: string; gateway_ip: string }>(
      'subnet',
      'create',
      '--subnet-pool',
      'P',
      '--network',
      'N',
      'S',
    );
    assert.deepEqual(subnet, {
      ...subnet,
      cidr: '10.10.0.0/24',
      subnetpool_id: pool.id,
      gateway_ip: '10.10.0.1',
    });
    const second = await json<{ cidr: string }>(
      'subnet',
      'create',
      '--subnet-pool',
      'P',
      '--prefix-length',
      '26',
      '--network',
      'N',
      'S2',
    );
    assert.equal(second.cidr, '10.10.1.0/26');
    const busy = await os('subnet', 'pool', 'delete', 'P');
    assert.notEqual(busy.code, 0);
    assert.match(busy.stderr, /Unable to delete subnet pool: Subnet pool has existing allocations\./);
  });
});
