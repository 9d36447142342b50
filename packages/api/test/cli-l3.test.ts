// The real `openstack` CLI (python-openstackclient 6.0) for routers, floating IPs, security
// groups and quotas. Fixtures are made over HTTP; the CLI runs only what the real client proves
// (name lookups, the request bodies it sends, the responses it parses, Neutron's messages it
// prints). Each call costs ~1.5 s.
//
// Quotas: OSC 6.0's `quota show` and `quota set` create compute and volume clients before doing
// anything, so they fail on a cloud without Nova and Cinder endpoints (with auth none they even
// send Nova requests to the network endpoint). `quota list --network` needs only Keystone and
// Neutron, so the quota part runs with Keystone password auth and uses that command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { authHeader, login, passwordAuth, startKeystoneServer, USERS } from './helpers/keystone.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import type { One } from './helpers/wire.js';
import { externalNetwork, port, tenantNetwork, type FloatingIpView } from './helpers/wire-l3.js';

const OPENSTACK = '/usr/bin/openstack';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(env: Record<string, string>, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(OPENSTACK, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('openstack CLI: routers, floating IPs, security groups', { skip: !existsSync(OPENSTACK) }, () => {
  let s: TestServer;
  let home: string;
  before(async () => {
    s = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'weir-cli-l3-'));
  });
  after(async () => {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** Only OS_AUTH_TYPE and OS_ENDPOINT (no clouds.yaml: HOME is empty). */
  const os = (...args: string[]): Promise<Run> =>
    run({ PATH: '/usr/bin:/bin', HOME: home, OS_AUTH_TYPE: 'none', OS_ENDPOINT: s.urls.network }, args);
  const ok = async (...args: string[]): Promise<string> => {
    const r = await os(...args);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '-f', 'json')) as T;

  it('router with an interface and a gateway, a floating IP on a port, and the unreachable case', async () => {
    const ext = await externalNetwork(s);
    await s.neutron('PUT', `/v2.0/networks/${ext.network.id}`, { network: { name: 'public' } });
    const priv = await tenantNetwork(s, '10.0.0.0/24');
    await s.neutron('PUT', `/v2.0/subnets/${priv.subnet.id}`, { subnet: { name: 'privsub' } });
    const vm = await port(s, priv.network.id);
    await s.neutron('PUT', `/v2.0/ports/${vm.id}`, { port: { name: 'vm1' } });

    const r = await json<{ id: string; name: string; external_gateway_info: unknown }>(
      'router',
      'create',
      'r1',
    );
    assert.equal(r.name, 'r1');
    assert.equal(r.external_gateway_info, null);
    await ok('router', 'add', 'subnet', 'r1', 'privsub');
    await ok('router', 'set', '--external-gateway', 'public', 'r1');
    const shown = await json<{
      external_gateway_info: {
        network_id: string;
        enable_snat: boolean;
        external_fixed_ips: { subnet_id: string }[];
      };
      interfaces_info: { subnet_id: string; ip_address: string }[];
    }>('router', 'show', 'r1');
    assert.equal(shown.external_gateway_info.network_id, ext.network.id);
    assert.equal(shown.external_gateway_info.enable_snat, true);
    assert.equal(shown.external_gateway_info.external_fixed_ips[0]?.subnet_id, ext.subnet.id);
    // The client finds the interfaces with GET /v2.0/ports?device_id=<router>.
    assert.deepEqual(
      shown.interfaces_info.map((i) => [i.subnet_id, i.ip_address]),
      [[priv.subnet.id, '10.0.0.1']],
    );

    const fip = await json<{ id: string; floating_ip_address: string; port_id: string | null }>(
      'floating',
      'ip',
      'create',
      'public',
    );
    assert.match(fip.floating_ip_address, /^203\.0\.113\./);
    assert.equal(fip.port_id, null);
    await ok('floating', 'ip', 'set', '--port', 'vm1', fip.id);
    const assoc = await s.neutron<One<'floatingip', FloatingIpView>>('GET', `/v2.0/floatingips/${fip.id}`);
    assert.equal(assoc.body.floatingip.port_id, vm.id);
    assert.equal(assoc.body.floatingip.router_id, r.id);
    assert.equal(assoc.body.floatingip.fixed_ip_address, vm.fixed_ips[0]?.ip_address);

    // Neutron's messages, as the client prints them.
    const lonely = await tenantNetwork(s, '10.9.0.0/24');
    const stray = await port(s, lonely.network.id);
    const unreachable = await os('floating', 'ip', 'create', '--port', stray.id, 'public');
    assert.notEqual(unreachable.code, 0);
    assert.ok(
      unreachable.stderr.includes(
        `External network ${ext.network.id} is not reachable from subnet ${lonely.subnet.id}.  Therefore, cannot associate Port ${stray.id} with a Floating IP.`,
      ),
      unreachable.stderr,
    );
    const inUse = await os('router', 'remove', 'subnet', 'r1', 'privsub');
    assert.notEqual(inUse.code, 0);
    assert.ok(
      inUse.stderr.includes(
        `Router interface for subnet ${priv.subnet.id} on router ${r.id} cannot be deleted, as it is required by one or more floating IPs.`,
      ),
      inUse.stderr,
    );
  });

  it('security group create, rule create, list, show, delete; a duplicate rule is refused', async () => {
    const g = await json<{ id: string; name: string; stateful: boolean }>(
      'security',
      'group',
      'create',
      'web',
    );
    assert.equal(g.name, 'web');
    assert.equal(g.stateful, true);
    const rule = await json<{
      id: string;
      protocol: string;
      port_range_min: number;
      port_range_max: number;
      direction: string;
      ether_type: string;
      remote_ip_prefix: string;
      security_group_id: string;
    }>('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'web');
    assert.deepEqual(
      [rule.protocol, rule.port_range_min, rule.port_range_max, rule.direction, rule.ether_type],
      ['tcp', 22, 22, 'ingress', 'IPv4'],
    );
    assert.equal(rule.security_group_id, g.id);
    assert.equal(rule.remote_ip_prefix, '0.0.0.0/0');
    const dup = await os(
      'security',
      'group',
      'rule',
      'create',
      '--protocol',
      'tcp',
      '--dst-port',
      '22',
      'web',
    );
    assert.notEqual(dup.code, 0);
    assert.ok(dup.stderr.includes(`Security group rule already exists. Rule id is ${rule.id}.`), dup.stderr);

    const list = await json<{ ID: string; Name: string }[]>('security', 'group', 'list');
    assert.deepEqual(list.map((x) => x.Name).sort(), ['default', 'web'], 'the default group exists too');
    const shown = await json<{ id: string; rules: { id: string; direction: string }[] }>(
      'security',
      'group',
      'show',
      'web',
    );
    assert.equal(shown.id, g.id);
    assert.deepEqual(shown.rules.map((x) => x.direction).sort(), ['egress', 'egress', 'ingress']);
    assert.ok(shown.rules.some((x) => x.id === rule.id));
    await ok('security', 'group', 'delete', 'web');
    assert.equal((await s.neutron('GET', `/v2.0/security-groups/${g.id}`)).status, 404);
  });
});

describe('openstack CLI: network quotas (Keystone auth)', { skip: !existsSync(OPENSTACK) }, () => {
  let s: TestServer;
  let home: string;
  before(async () => {
    s = await startKeystoneServer();
    home = mkdtempSync(join(tmpdir(), 'weir-cli-quota-'));
  });
  after(async () => {
    await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** An openrc-like environment for the configured admin. */
  const admin = (...args: string[]): Promise<Run> =>
    run(
      {
        PATH: '/usr/bin:/bin',
        HOME: home,
        OS_AUTH_URL: `${s.urls.identity}/v3`,
        OS_USERNAME: 'admin',
        OS_PASSWORD: USERS.admin.password,
        OS_PROJECT_NAME: 'admin',
        OS_USER_DOMAIN_NAME: 'Default',
        OS_PROJECT_DOMAIN_NAME: 'Default',
        OS_IDENTITY_API_VERSION: '3',
        OS_INTERFACE: 'public',
      },
      [...args, '-f', 'json'],
    );

  it('details with usage for a project, and the projects with non-default quotas', async () => {
    const demo = await s.keystone<{ token: { project: { id: string } } }>(
      'POST',
      '/v3/auth/tokens',
      passwordAuth('alice', USERS.alice.password, 'demo'),
    );
    const demoId = demo.body.token.project.id;
    const aliceToken = demo.headers.get('x-subject-token') ?? '';
    assert.equal(
      (await s.neutron('POST', '/v2.0/networks', { network: { name: 'n' } }, authHeader(aliceToken))).status,
      201,
    );
    const adminToken = await login(s, 'admin', 'admin');
    const set = await s.neutron(
      'PUT',
      `/v2.0/quotas/${demoId}`,
      { quota: { port: 5 } },
      authHeader(adminToken),
    );
    assert.equal(set.status, 200, set.text);

    const details = await admin('quota', 'list', '--network', '--detail', '--project', 'demo');
    assert.equal(details.code, 0, details.stderr);
    const rows = JSON.parse(details.stdout) as { Resource: string; 'In Use': number; Limit: number }[];
    const byName = new Map(rows.map((r) => [r.Resource, [r['In Use'], r.Limit]]));
    assert.deepEqual(byName.get('networks'), [1, 100]);
    assert.deepEqual(byName.get('ports'), [0, 5]);

    const listed = await admin('quota', 'list', '--network');
    assert.equal(listed.code, 0, listed.stderr);
    const projects = JSON.parse(listed.stdout) as { 'Project ID': string; Ports: number; Networks: number }[];
    assert.deepEqual(
      projects.map((p) => [p['Project ID'], p.Ports, p.Networks]),
      [[demoId, 5, 100]],
    );
  });
});
