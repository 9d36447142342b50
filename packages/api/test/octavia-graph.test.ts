// Octavia over HTTP: the whole graph (load balancer → listener → pool → members → health monitor)
// with its VIP port in Neutron, the status tree, updates, member rules, the batch member update,
// and the cascade delete that removes everything including the VIP port.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers/server.js';
import type {
  HealthMonitorView,
  LbNet,
  ListenerView,
  LoadBalancerView,
  MemberView,
  PoolView,
  StatusTreeView,
} from './helpers/octavia-wire.js';
import { lbNet } from './helpers/octavia-wire.js';
import type { One, PortView } from './helpers/wire.js';

const LB = '/v2/lbaas';

describe('Octavia: the load-balancing graph', () => {
  let s: TestServer;
  let net: LbNet;
  before(async () => {
    s = await startTestServer();
    net = await lbNet(s);
  });
  after(async () => {
    await s.close();
  });

  async function post<T>(path: string, key: string, body: Record<string, unknown>): Promise<T> {
    const r = await s.octavia<Record<string, T>>('POST', `${LB}/${path}`, { [key]: body });
    assert.equal(r.status, 201, r.text);
    return r.body[key] as T;
  }
  async function get<T>(path: string, key: string): Promise<T> {
    const r = await s.octavia<Record<string, T>>('GET', `${LB}/${path}`);
    assert.equal(r.status, 200, r.text);
    return r.body[key] as T;
  }
  async function put<T>(path: string, key: string, body: Record<string, unknown>): Promise<T> {
    const r = await s.octavia<Record<string, T>>('PUT', `${LB}/${path}`, { [key]: body });
    assert.equal(r.status, 200, r.text);
    return r.body[key] as T;
  }

  interface Graph {
    lb: LoadBalancerView;
    listener: ListenerView;
    pool: PoolView;
    members: MemberView[];
    hm: HealthMonitorView;
  }
  async function graph(name: string): Promise<Graph> {
    const lb = await post<LoadBalancerView>('loadbalancers', 'loadbalancer', {
      name,
      vip_subnet_id: net.subnetId,
    });
    const listener = await post<ListenerView>('listeners', 'listener', {
      protocol: 'TCP',
      protocol_port: 80,
      loadbalancer_id: lb.id,
    });
    const pool = await post<PoolView>('pools', 'pool', {
      protocol: 'TCP',
      lb_algorithm: 'ROUND_ROBIN',
      listener_id: listener.id,
      session_persistence: { type: 'SOURCE_IP' },
    });
    const members = [
      await post<MemberView>(`pools/${pool.id}/members`, 'member', {
        address: '10.0.0.5',
        protocol_port: 8080,
        subnet_id: net.subnetId,
      }),
      await post<MemberView>(`pools/${pool.id}/members`, 'member', {
        address: '10.0.0.6',
        protocol_port: 8080,
        weight: 5,
      }),
    ];
    const hm = await post<HealthMonitorView>('healthmonitors', 'healthmonitor', {
      pool_id: pool.id,
      type: 'HTTP',
      delay: 5,
      timeout: 3,
      max_retries: 3,
      url_path: '/health',
    });
    return { lb, listener, pool, members, hm };
  }

  it('creates the whole graph; the VIP is a Neutron port; views link the objects', async () => {
    const g = await graph('web');
    assert.equal(g.lb.provider, 'weir');
    assert.equal(g.lb.provisioning_status, 'ACTIVE');
    assert.equal(g.lb.operating_status, 'ONLINE');
    assert.equal(g.lb.flavor_id, null);
    assert.equal(g.lb.vip_subnet_id, net.subnetId);
    assert.equal(g.lb.vip_network_id, net.networkId);
    assert.match(g.lb.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, "wsme's naive datetime");
    const port = await s.neutron<One<'port', PortView>>('GET', `/v2.0/ports/${g.lb.vip_port_id}`);
    assert.equal(port.status, 200, port.text);
    assert.equal(port.body.port.device_owner, 'Octavia');
    assert.deepEqual(port.body.port.fixed_ips, [{ subnet_id: net.subnetId, ip_address: g.lb.vip_address }]);

    assert.deepEqual(g.listener.loadbalancers, [{ id: g.lb.id }]);
    assert.equal(g.listener.connection_limit, -1);
    assert.equal(g.members[0]?.operating_status, 'NO_MONITOR', 'no monitor yet when it was made');
    assert.equal(g.members[1]?.weight, 5);
    assert.equal(g.hm.http_method, 'GET');
    assert.equal(g.hm.expected_codes, '200');
    assert.equal(g.hm.url_path, '/health');
    assert.deepEqual(g.hm.pools, [{ id: g.pool.id }]);

    const lb = await get<LoadBalancerView>(`loadbalancers/${g.lb.id}`, 'loadbalancer');
    assert.deepEqual(lb.listeners, [{ id: g.listener.id }]);
    assert.deepEqual(lb.pools, [{ id: g.pool.id }]);
    const listener = await get<ListenerView>(`listeners/${g.listener.id}`, 'listener');
    assert.equal(listener.default_pool_id, g.pool.id);
    const pool = await get<PoolView>(`pools/${g.pool.id}`, 'pool');
    assert.deepEqual(pool.listeners, [{ id: g.listener.id }]);
    assert.deepEqual(
      pool.members,
      g.members.map((m) => ({ id: m.id })),
    );
    assert.equal(pool.healthmonitor_id, g.hm.id);
    assert.deepEqual(pool.session_persistence, {
      type: 'SOURCE_IP',
      cookie_name: null,
      persistence_timeout: null,
      persistence_granularity: null,
    });
    const member = await get<MemberView>(`pools/${g.pool.id}/members/${g.members[0]?.id}`, 'member');
    assert.equal(member.operating_status, 'ONLINE', 'monitored now');
    // The same API under /v2.0 (octaviaclient's prefix) and without "lbaas" (Octavia's alias).
    for (const prefix of ['/v2.0/lbaas', '/v2.0', '/v2']) {
      const r = await s.octavia<{ loadbalancer: LoadBalancerView }>(
        'GET',
        `${prefix}/loadbalancers/${g.lb.id}`,
      );
      assert.equal(r.body.loadbalancer.id, g.lb.id, prefix);
    }
  });

  it("answers the status tree in Octavia's shape (and under the /statuses alias)", async () => {
    const g = await graph('tree');
    const r = await s.octavia<StatusTreeView>('GET', `${LB}/loadbalancers/${g.lb.id}/status`);
    assert.equal(r.status, 200, r.text);
    const lb = r.body.statuses.loadbalancer;
    assert.deepEqual(
      { id: lb.id, name: lb.name, p: lb.provisioning_status, o: lb.operating_status },
      { id: g.lb.id, name: 'tree', p: 'ACTIVE', o: 'ONLINE' },
    );
    const pool = lb.listeners[0]?.pools[0];
    assert.equal(lb.listeners[0]?.id, g.listener.id);
    assert.equal(pool?.id, g.pool.id);
    assert.deepEqual(pool?.health_monitor, {
      id: g.hm.id,
      name: '',
      provisioning_status: 'ACTIVE',
      operating_status: 'ONLINE',
      type: 'HTTP',
    });
    assert.deepEqual(
      pool?.members.map((m) => [m.address, m.protocol_port, m.operating_status]),
      [
        ['10.0.0.5', 8080, 'ONLINE'],
        ['10.0.0.6', 8080, 'ONLINE'],
      ],
    );
    const alias = await s.octavia<StatusTreeView>('GET', `${LB}/loadbalancers/${g.lb.id}/statuses`);
    assert.deepEqual(alias.body, r.body);
    const stats = await s.octavia<{ stats: Record<string, number> }>(
      'GET',
      `${LB}/loadbalancers/${g.lb.id}/stats`,
    );
    assert.deepEqual(stats.body.stats, {
      bytes_in: 0,
      bytes_out: 0,
      active_connections: 0,
      total_connections: 0,
      request_errors: 0,
    });
    const missing = await s.octavia('GET', `${LB}/loadbalancers/${g.listener.id}/status`);
    assert.equal(missing.status, 404);
    assert.equal(missing.error?.message, `Load Balancer ${g.listener.id} not found.`);
  });

  it('updates each object; nulls reset what Octavia resets', async () => {
    const g = await graph('upd');
    const lb = await put<LoadBalancerView>(`loadbalancers/${g.lb.id}`, 'loadbalancer', {
      name: 'renamed',
      admin_state_up: false,
      tags: ['blue', 'blue', 'green'],
    });
    assert.equal(lb.name, 'renamed');
    assert.equal(lb.operating_status, 'OFFLINE');
    assert.deepEqual(lb.tags, ['blue', 'green']);
    // octaviaclient sends connection_limit as a string; wsme converts it.
    let l = await put<ListenerView>(`listeners/${g.listener.id}`, 'listener', {
      connection_limit: '100',
      timeout_client_data: 1000,
    });
    assert.equal(l.connection_limit, 100);
    assert.equal(l.timeout_client_data, 1000);
    l = await put<ListenerView>(`listeners/${g.listener.id}`, 'listener', {
      connection_limit: null,
      timeout_client_data: null,
    });
    assert.equal(l.connection_limit, -1);
    assert.equal(l.timeout_client_data, 50000);
    const p = await put<PoolView>(`pools/${g.pool.id}`, 'pool', {
      lb_algorithm: 'SOURCE_IP_PORT',
      session_persistence: null,
    });
    assert.equal(p.lb_algorithm, 'SOURCE_IP_PORT');
    assert.equal(p.session_persistence, null);
    const m = await put<MemberView>(`pools/${g.pool.id}/members/${g.members[1]?.id}`, 'member', {
      weight: null,
      backup: true,
      monitor_port: 9000,
    });
    assert.deepEqual([m.weight, m.backup, m.monitor_port], [1, true, 9000]);
    const hm = await put<HealthMonitorView>(`healthmonitors/${g.hm.id}`, 'healthmonitor', {
      delay: 10,
      expected_codes: '200-204',
    });
    assert.deepEqual([hm.delay, hm.expected_codes], [10, '200-204']);
    const refused = await s.octavia('PUT', `${LB}/healthmonitors/${g.hm.id}`, {
      healthmonitor: { delay: null },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.error?.message, 'None is not a valid option for delay');
  });

  it('members: the address must lie in the member subnet; one endpoint per pool', async () => {
    const g = await graph('members');
    const path = `${LB}/pools/${g.pool.id}/members`;
    const outside = await s.octavia('POST', path, {
      member: { address: '192.0.2.10', protocol_port: 80, subnet_id: net.subnetId },
    });
    assert.equal(outside.status, 400, outside.text);
    assert.equal(
      outside.error?.message,
      `Validation failure: Member address 192.0.2.10 is not in subnet ${net.subnetId} (10.0.0.0/24).`,
    );
    const dup = await s.octavia('POST', path, { member: { address: '10.0.0.5', protocol_port: 8080 } });
    assert.equal(dup.status, 409, dup.text);
    assert.deepEqual(dup.body, {
      faultcode: 'Client',
      faultstring: 'Another member on this pool is already using ip 10.0.0.5 on protocol_port 8080',
      debuginfo: null,
    });
    const noSubnet = await s.octavia('POST', path, {
      member: { address: '10.0.0.9', protocol_port: 80, subnet_id: g.lb.id },
    });
    assert.equal(noSubnet.status, 404);
    assert.equal(noSubnet.error?.message, `Subnet ${g.lb.id} not found.`);
    // A member is found only under its own pool.
    const other = await s.octavia<{ pool: PoolView }>('POST', `${LB}/pools`, {
      pool: { protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN', loadbalancer_id: g.lb.id },
    });
    const wrong = await s.octavia('GET', `${LB}/pools/${other.body.pool.id}/members/${g.members[0]?.id}`);
    assert.equal(wrong.status, 404);
    assert.equal(wrong.error?.message, `Member ${g.members[0]?.id} not found.`);
  });

  it('the batch member update replaces the set (202), or adds with additive_only', async () => {
    const g = await graph('batch');
    const path = `${LB}/pools/${g.pool.id}/members`;
    const r = await s.octavia('PUT', path, {
      members: [
        { address: '10.0.0.6', protocol_port: 8080, name: 'kept' },
        { address: '10.0.0.7', protocol_port: 8080, subnet_id: net.subnetId },
      ],
    });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.text, '');
    const list = async (): Promise<MemberView[]> =>
      (await s.octavia<{ members: MemberView[] }>('GET', path)).body.members;
    const now = await list();
    assert.deepEqual(now.map((m) => m.address).sort(), ['10.0.0.6', '10.0.0.7']);
    const kept = now.find((m) => m.address === '10.0.0.6');
    assert.equal(kept?.id, g.members[1]?.id, 'same member, updated in place');
    assert.equal(kept?.weight, 1, "Octavia's default for what the entry leaves out");
    assert.equal(kept?.name, 'kept');
    const add = await s.octavia('PUT', `${path}?additive_only=true`, {
      members: [{ address: '10.0.0.8', protocol_port: 8080 }],
    });
    assert.equal(add.status, 202, add.text);
    assert.equal((await list()).length, 3);
    const bad = await s.octavia('PUT', path, { members: [{ address: '10.0.0.8' }] });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.error?.message,
      "Invalid input for field/attribute protocol_port. Value: 'None'. Mandatory field missing.",
    );
    assert.equal((await list()).length, 3, 'a refused batch changes nothing');
  });

  it('cascade delete removes the whole graph and the VIP port', async () => {
    const g = await graph('doomed');
    const plain = await s.octavia('DELETE', `${LB}/loadbalancers/${g.lb.id}`);
    assert.equal(plain.status, 400);
    assert.equal(
      plain.error?.message,
      `Validation failure: Cannot delete Load Balancer ${g.lb.id} - it has children`,
    );
    const r = await s.octavia('DELETE', `${LB}/loadbalancers/${g.lb.id}?cascade=true`);
    assert.equal(r.status, 204, r.text);
    const gone: [string, string, string][] = [
      [`loadbalancers/${g.lb.id}`, 'Load Balancer', g.lb.id],
      [`listeners/${g.listener.id}`, 'Listener', g.listener.id],
      [`pools/${g.pool.id}`, 'Pool', g.pool.id],
      [`healthmonitors/${g.hm.id}`, 'Health Monitor', g.hm.id],
    ];
    for (const [path, title, id] of gone) {
      const x = await s.octavia('GET', `${LB}/${path}`);
      assert.equal(x.status, 404, path);
      assert.equal(x.error?.message, `${title} ${id} not found.`);
    }
    const members = await s.octavia('GET', `${LB}/pools/${g.pool.id}/members`);
    assert.equal(members.status, 404);
    assert.equal(members.error?.message, `Pool ${g.pool.id} not found.`);
    const port = await s.neutron('GET', `/v2.0/ports/${g.lb.vip_port_id}`);
    assert.equal(port.status, 404, 'the VIP port went with the load balancer');
    const left = await s.neutron<{ ports: PortView[] }>('GET', `/v2.0/ports?device_id=lb-${g.lb.id}`);
    assert.deepEqual(left.body.ports, []);
  });
});
