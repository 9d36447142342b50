// Octavia's rules for the children of a load balancer: listeners, pools, members, health monitors.
// (The load balancer itself, cascade deletes, the status tree and the races: load-balancers.test.ts.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LoadBalancer, Pool } from '@weir/model';
import {
  createHealthMonitor,
  createListener,
  createMember,
  createPool,
  deleteHealthMonitor,
  deleteListener,
  deleteMember,
  deletePool,
  listenerPortNamespace,
  memberNamespace,
  monitorNamespace,
  updateHealthMonitor,
  updateListener,
  updateMember,
  updatePool,
  type PoolInput,
} from '../src/index.js';
import { newEnv, type Env } from './helpers/env.js';
import { lbNet, rejectsWith, type LbNet } from './helpers/lb-fixtures.js';

let env: Env;
let net: LbNet;
let lb: LoadBalancer;
beforeEach(async () => {
  env = await newEnv();
  net = await lbNet(env);
  lb = await net.lb();
});
afterEach(async () => {
  await env.close();
});

const listener = (
  protocol: 'TCP' | 'UDP' | 'SCTP' | 'HTTP' | 'HTTPS',
  protocolPort: number,
  loadBalancerId = lb.id,
) => createListener(env.ctx, env.alice, { loadBalancerId, protocol, protocolPort });
const pool = (input: Partial<PoolInput> = {}): Promise<Pool> =>
  createPool(env.ctx, env.alice, {
    loadBalancerId: lb.id,
    protocol: 'TCP',
    lbAlgorithm: 'ROUND_ROBIN',
    ...input,
  });

describe('listeners', () => {
  it("take Octavia's defaults, are ACTIVE/ONLINE and claim their port", async () => {
    const l = await listener('HTTP', 80);
    assert.equal(l.connectionLimit, -1);
    assert.equal(l.timeoutClientData, 50000);
    assert.equal(l.timeoutMemberConnect, 5000);
    assert.equal(l.timeoutMemberData, 50000);
    assert.equal(l.provisioningStatus, 'ACTIVE');
    assert.equal(l.operatingStatus, 'ONLINE');
    assert.equal(l.topic, lb.topic);
    assert.deepEqual(await env.store.listClaims(listenerPortNamespace(lb.id)), [
      { key: 'TCP:80', owner: l.id },
    ]);
    // The load balancer was CAS-updated with it (a cascade delete cannot miss the listener).
    assert.ok(((await env.store.get('load_balancer', lb.id))?.version ?? 0) > lb.version);
  });

  it('may not share a port with a listener of the same L4 protocol (DuplicateListenerEntry)', async () => {
    await listener('TCP', 80);
    for (const p of ['HTTP', 'HTTPS', 'TCP'] as const) {
      const e = await rejectsWith(listener(p, 80), 'WEIR_CORE_CONFLICT', 'DuplicateListenerEntry');
      assert.equal(
        e.message,
        'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 80',
      );
    }
    // UDP and SCTP are other L4 protocols; another load balancer is another VIP.
    await listener('UDP', 80);
    await listener('SCTP', 80);
    await rejectsWith(listener('UDP', 80), 'WEIR_CORE_CONFLICT', 'DuplicateListenerEntry');
    const other = await net.lb();
    await listener('HTTP', 80, other.id);
  });

  it('validates protocol, port and limits', async () => {
    await rejectsWith(listener('FTP' as 'TCP', 21), 'WEIR_CORE_BAD_REQUEST', 'InvalidOption');
    const t = await rejectsWith(
      createListener(env.ctx, env.alice, {
        loadBalancerId: lb.id,
        protocol: 'TERMINATED_HTTPS',
        protocolPort: 443,
      }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.match(t.message, /certificate container reference must be provided/);
    for (const port of [0, 65536, 8.5])
      await rejectsWith(listener('TCP', port), 'WEIR_CORE_BAD_REQUEST', 'InvalidInput');
    await rejectsWith(
      createListener(env.ctx, env.alice, {
        loadBalancerId: lb.id,
        protocol: 'TCP',
        protocolPort: 1,
        connectionLimit: -2,
      }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
    await rejectsWith(
      createListener(env.ctx, env.alice, { loadBalancerId: randomUUID(), protocol: 'TCP', protocolPort: 1 }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    await rejectsWith(
      createListener(env.ctx, env.bob, { loadBalancerId: lb.id, protocol: 'TCP', protocolPort: 1 }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
  });

  it('take a default pool of their load balancer with a compatible protocol (shared is fine)', async () => {
    const web = await pool({ protocol: 'HTTP' });
    const a = await createListener(env.ctx, env.alice, {
      loadBalancerId: lb.id,
      protocol: 'HTTP',
      protocolPort: 80,
      defaultPoolId: web.id,
    });
    assert.equal(a.defaultPoolId, web.id);
    // A TCP listener may use an HTTP pool; Octavia lets listeners share a default pool.
    await createListener(env.ctx, env.alice, {
      loadBalancerId: lb.id,
      protocol: 'TCP',
      protocolPort: 81,
      defaultPoolId: web.id,
    });
    const e = await rejectsWith(
      createListener(env.ctx, env.alice, {
        loadBalancerId: lb.id,
        protocol: 'UDP',
        protocolPort: 53,
        defaultPoolId: web.id,
      }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      e.message,
      "Validation failure: The pool protocol 'HTTP' is invalid while the listener protocol is 'UDP'.",
    );
    const elsewhere = await createPool(env.ctx, env.alice, {
      loadBalancerId: (await net.lb()).id,
      protocol: 'HTTP',
      lbAlgorithm: 'ROUND_ROBIN',
    });
    const nf = await rejectsWith(
      createListener(env.ctx, env.alice, {
        loadBalancerId: lb.id,
        protocol: 'HTTP',
        protocolPort: 8080,
        defaultPoolId: elsewhere.id,
      }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    assert.equal(nf.message, `Pool ${elsewhere.id} not found.`);
  });

  it('update: settings and the default pool (set, change, clear)', async () => {
    const l = await listener('HTTP', 80);
    const first = await pool({ listenerId: l.id, protocol: 'HTTP' });
    assert.equal(first.listenerId, l.id);
    const second = await pool({ protocol: 'HTTP' });
    const u = await updateListener(env.ctx, env.alice, l.id, {
      name: 'front',
      connectionLimit: 1000,
      timeoutClientData: 1,
      defaultPoolId: second.id,
      adminStateUp: false,
    });
    assert.equal(u.name, 'front');
    assert.equal(u.connectionLimit, 1000);
    assert.equal(u.timeoutClientData, 1);
    assert.equal(u.defaultPoolId, second.id);
    assert.equal(u.operatingStatus, 'OFFLINE');
    // The pool created for the listener is no longer its default pool.
    assert.equal((await env.store.get('pool', first.id))?.listenerId, undefined);
    const cleared = await updateListener(env.ctx, env.alice, l.id, { defaultPoolId: null });
    assert.equal(cleared.defaultPoolId, undefined);
    const udp = await pool({ protocol: 'UDP' });
    await rejectsWith(
      updateListener(env.ctx, env.alice, l.id, { defaultPoolId: udp.id }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    await rejectsWith(
      updateListener(env.ctx, env.alice, l.id, { timeoutMemberData: -1 }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
  });

  it('delete: even with a default pool, which stays; the port is free again', async () => {
    const l = await listener('HTTP', 80);
    const p = await pool({ listenerId: l.id, protocol: 'HTTP' });
    await deleteListener(env.ctx, env.alice, l.id);
    assert.equal(await env.store.get('listener', l.id), undefined);
    const kept = await env.store.get('pool', p.id);
    assert.ok(kept);
    assert.equal(kept.listenerId, undefined);
    assert.deepEqual(await env.store.listClaims(listenerPortNamespace(lb.id)), []);
    await listener('HTTP', 80);
    const e = await rejectsWith(deleteListener(env.ctx, env.alice, l.id), 'WEIR_CORE_NOT_FOUND', 'NotFound');
    assert.equal(e.message, `Listener ${l.id} not found.`);
  });
});

describe('pools', () => {
  it('on a load balancer, or as the default pool of a listener (at most one)', async () => {
    const onLb = await pool({ name: 'p' });
    assert.equal(onLb.loadBalancerId, lb.id);
    assert.equal(onLb.sessionPersistence, null);
    assert.equal(onLb.operatingStatus, 'ONLINE');
    const l = await listener('HTTP', 80);
    const viaListener = await createPool(env.ctx, env.alice, {
      listenerId: l.id,
      protocol: 'HTTP',
      lbAlgorithm: 'SOURCE_IP',
    });
    assert.equal(viaListener.loadBalancerId, lb.id);
    assert.equal(viaListener.listenerId, l.id);
    assert.equal((await env.store.get('listener', l.id))?.defaultPoolId, viaListener.id);
    const e = await rejectsWith(
      createPool(env.ctx, env.alice, { listenerId: l.id, protocol: 'HTTP', lbAlgorithm: 'ROUND_ROBIN' }),
      'WEIR_CORE_CONFLICT',
      'DuplicatePoolEntry',
    );
    assert.equal(e.message, 'This listener already has a default pool');
    const none = await rejectsWith(
      createPool(env.ctx, env.alice, { protocol: 'TCP', lbAlgorithm: 'ROUND_ROBIN' }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      none.message,
      'Validation failure: Must provide at least one of: loadbalancer_id, listener_id',
    );
    const other = await net.lb();
    await rejectsWith(
      createPool(env.ctx, env.alice, {
        loadBalancerId: other.id,
        listenerId: l.id,
        protocol: 'HTTP',
        lbAlgorithm: 'ROUND_ROBIN',
      }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
  });

  it("speak a protocol their listener allows (Octavia's protocol map)", async () => {
    const ok: [Parameters<typeof listener>[0], PoolInput['protocol']][] = [
      ['TCP', 'HTTP'],
      ['TCP', 'HTTPS'],
      ['TCP', 'TCP'],
      ['HTTP', 'HTTP'],
      ['HTTPS', 'HTTPS'],
      ['HTTPS', 'TCP'],
      ['UDP', 'UDP'],
      ['SCTP', 'SCTP'],
    ];
    const bad: typeof ok = [
      ['HTTP', 'TCP'],
      ['HTTP', 'HTTPS'],
      ['UDP', 'TCP'],
      ['TCP', 'UDP'],
      ['SCTP', 'UDP'],
    ];
    let port = 1000;
    for (const [lp, pp] of ok) {
      const l = await listener(lp, port++);
      await createPool(env.ctx, env.alice, { listenerId: l.id, protocol: pp, lbAlgorithm: 'ROUND_ROBIN' });
    }
    for (const [lp, pp] of bad) {
      const l = await listener(lp, port++);
      await rejectsWith(
        createPool(env.ctx, env.alice, { listenerId: l.id, protocol: pp, lbAlgorithm: 'ROUND_ROBIN' }),
        'WEIR_CORE_BAD_REQUEST',
        'ValidationException',
      );
    }
    await rejectsWith(pool({ protocol: 'TERMINATED_HTTPS' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidOption');
    await rejectsWith(
      pool({ lbAlgorithm: 'RANDOM' as 'ROUND_ROBIN' }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidOption',
    );
  });

  it('validate session persistence as Octavia does', async () => {
    const refused: [Partial<PoolInput>, RegExp][] = [
      [
        { protocol: 'UDP', sessionPersistence: { type: 'HTTP_COOKIE' } },
        /HTTP_COOKIE is not supported for UDP\/SCTP/,
      ],
      [
        { protocol: 'UDP', sessionPersistence: { type: 'APP_COOKIE', cookieName: 'a' } },
        /Cookie names are not supported/,
      ],
      [
        { protocol: 'TCP', sessionPersistence: { type: 'SOURCE_IP', persistenceTimeout: 60 } },
        /only for UDP and SCTP/,
      ],
      [{ protocol: 'HTTP', sessionPersistence: { type: 'APP_COOKIE' } }, /"cookie_name" must be specified/],
      [
        { protocol: 'HTTP', sessionPersistence: { type: 'HTTP_COOKIE', cookieName: 'a' } },
        /only be specified with .*APP_COOKIE/,
      ],
      [
        { protocol: 'HTTP', sessionPersistence: { type: 'APP_COOKIE', cookieName: 'bad name' } },
        /"cookie_name" is invalid/,
      ],
    ];
    for (const [input, message] of refused) {
      const e = await rejectsWith(pool(input), 'WEIR_CORE_BAD_REQUEST', 'ValidationException');
      assert.match(e.message, message);
    }
    await rejectsWith(
      pool({ sessionPersistence: { type: 'STICKY' } }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidOption',
    );
    const udp = await pool({
      protocol: 'UDP',
      sessionPersistence: { type: 'SOURCE_IP', persistenceTimeout: 60 },
    });
    assert.deepEqual(udp.sessionPersistence, { type: 'SOURCE_IP', persistenceTimeout: 60 });
    const app = await pool({
      protocol: 'HTTP',
      sessionPersistence: { type: 'APP_COOKIE', cookieName: 'JSESSIONID' },
    });
    assert.deepEqual(app.sessionPersistence, { type: 'APP_COOKIE', cookieName: 'JSESSIONID' });
  });

  it('update: algorithm, persistence (null clears), admin state', async () => {
    const p = await pool({ protocol: 'HTTP', sessionPersistence: { type: 'HTTP_COOKIE' } });
    const u = await updatePool(env.ctx, env.alice, p.id, {
      lbAlgorithm: 'LEAST_CONNECTIONS',
      sessionPersistence: null,
      adminStateUp: false,
    });
    assert.equal(u.lbAlgorithm, 'LEAST_CONNECTIONS');
    assert.equal(u.sessionPersistence, null);
    assert.equal(u.operatingStatus, 'OFFLINE');
    await rejectsWith(
      updatePool(env.ctx, env.alice, p.id, { sessionPersistence: { type: 'APP_COOKIE' } }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    await rejectsWith(updatePool(env.ctx, env.bob, p.id, { name: 'x' }), 'WEIR_CORE_NOT_FOUND', 'NotFound');
  });

  it('delete: members and monitor go with it, listeners let go of it, claims are given back', async () => {
    const l = await listener('HTTP', 80);
    const p = await createPool(env.ctx, env.alice, {
      listenerId: l.id,
      protocol: 'HTTP',
      lbAlgorithm: 'ROUND_ROBIN',
    });
    const shared = await listener('TCP', 81);
    await updateListener(env.ctx, env.alice, shared.id, { defaultPoolId: p.id });
    await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
    await createHealthMonitor(env.ctx, env.alice, {
      poolId: p.id,
      type: 'TCP',
      delay: 5,
      timeout: 3,
      maxRetries: 3,
    });
    await deletePool(env.ctx, env.alice, p.id);
    assert.equal(await env.store.get('pool', p.id), undefined);
    assert.deepEqual((await env.store.list('member')).items, []);
    assert.deepEqual((await env.store.list('health_monitor')).items, []);
    assert.equal((await env.store.get('listener', l.id))?.defaultPoolId, undefined);
    assert.equal((await env.store.get('listener', shared.id))?.defaultPoolId, undefined);
    assert.deepEqual(await env.store.listClaims(memberNamespace(p.id)), []);
    assert.deepEqual(await env.store.listClaims(monitorNamespace(p.id)), []);
    await rejectsWith(deletePool(env.ctx, env.alice, p.id), 'WEIR_CORE_NOT_FOUND', 'NotFound');
  });
});

describe('members', () => {
  it("take Octavia's defaults, a canonical address, and claim their endpoint", async () => {
    const p = await pool();
    const m = await createMember(env.ctx, env.alice, p.id, { address: 'FD00:0:0::0005', protocolPort: 80 });
    assert.equal(m.address, 'fd00::5');
    assert.equal(m.weight, 1);
    assert.equal(m.backup, false);
    assert.equal(m.operatingStatus, 'NO_MONITOR');
    assert.equal(m.provisioningStatus, 'ACTIVE');
    assert.deepEqual(await env.store.listClaims(memberNamespace(p.id)), [
      { key: '[fd00::5]:80', owner: m.id },
    ]);
  });

  it('one (address, protocol_port) per pool (DuplicateMemberEntry)', async () => {
    const p = await pool();
    await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
    const e = await rejectsWith(
      createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 }),
      'WEIR_CORE_CONFLICT',
      'DuplicateMemberEntry',
    );
    assert.equal(e.message, 'Another member on this pool is already using ip 10.20.0.5 on protocol_port 80');
    await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 81 });
    await createMember(env.ctx, env.alice, (await pool()).id, { address: '10.20.0.5', protocolPort: 80 });
    await createMember(env.ctx, env.alice, p.id, { address: 'fd00::0:5', protocolPort: 80 });
    await rejectsWith(
      createMember(env.ctx, env.alice, p.id, { address: 'fd00:0::5', protocolPort: 80 }),
      'WEIR_CORE_CONFLICT',
      'DuplicateMemberEntry',
    );
  });

  it('validate address, ports, weight and monitor endpoint', async () => {
    const p = await pool();
    const bad: Parameters<typeof createMember>[3][] = [
      { address: '10.20.0.256', protocolPort: 80 },
      { address: 'web-1', protocolPort: 80 },
      { address: '10.20.0.5', protocolPort: 0 },
      { address: '10.20.0.5', protocolPort: 80, weight: 257 },
      { address: '10.20.0.5', protocolPort: 80, weight: -1 },
      { address: '10.20.0.5', protocolPort: 80, monitorPort: 70000 },
      { address: '10.20.0.5', protocolPort: 80, monitorAddress: 'x' },
    ];
    for (const input of bad)
      await rejectsWith(
        createMember(env.ctx, env.alice, p.id, input),
        'WEIR_CORE_BAD_REQUEST',
        'InvalidInput',
      );
    const m = await createMember(env.ctx, env.alice, p.id, {
      address: '10.20.0.5',
      protocolPort: 80,
      weight: 0,
      backup: true,
      monitorAddress: '10.20.0.6',
      monitorPort: 9000,
    });
    assert.equal(m.weight, 0);
    assert.equal(m.backup, true);
    assert.equal(m.monitorAddress, '10.20.0.6');
    await rejectsWith(
      createMember(env.ctx, env.alice, randomUUID(), { address: '10.20.0.5', protocolPort: 80 }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
  });

  it("with a subnet: the subnet must be visible and hold the member's address", async () => {
    const p = await pool();
    const m = await createMember(env.ctx, env.alice, p.id, {
      address: '10.20.0.7',
      protocolPort: 80,
      subnetId: net.subnetId,
    });
    assert.equal(m.subnetId, net.subnetId);
    const e = await rejectsWith(
      createMember(env.ctx, env.alice, p.id, {
        address: '10.99.0.7',
        protocolPort: 80,
        subnetId: net.subnetId,
      }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      e.message,
      `Validation failure: Member address 10.99.0.7 is not in subnet ${net.subnetId} (10.20.0.0/24).`,
    );
    const missing = randomUUID();
    const nf = await rejectsWith(
      createMember(env.ctx, env.alice, p.id, { address: '10.20.0.8', protocolPort: 80, subnetId: missing }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    assert.equal(nf.message, `Subnet ${missing} not found.`);
    const bobs = await lbNet(env, { actor: env.bob, cidr: '10.40.0.0/24' });
    await rejectsWith(
      createMember(env.ctx, env.alice, p.id, {
        address: '10.40.0.8',
        protocolPort: 80,
        subnetId: bobs.subnetId,
      }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
  });

  it('update: weight, backup, monitor endpoint (null clears), admin state; only within its pool', async () => {
    const p = await pool();
    const m = await createMember(env.ctx, env.alice, p.id, {
      address: '10.20.0.5',
      protocolPort: 80,
      monitorAddress: '10.20.0.6',
      monitorPort: 9000,
    });
    const u = await updateMember(env.ctx, env.alice, p.id, m.id, {
      weight: 10,
      backup: true,
      monitorAddress: null,
      monitorPort: 9001,
      adminStateUp: false,
    });
    assert.equal(u.weight, 10);
    assert.equal(u.backup, true);
    assert.equal(u.monitorAddress, undefined);
    assert.equal(u.monitorPort, 9001);
    assert.equal(u.operatingStatus, 'OFFLINE');
    assert.equal(u.address, '10.20.0.5');
    await rejectsWith(
      updateMember(env.ctx, env.alice, p.id, m.id, { weight: 300 }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
    const other = await pool();
    const e = await rejectsWith(
      updateMember(env.ctx, env.alice, other.id, m.id, { weight: 2 }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    assert.equal(e.message, `Member ${m.id} not found.`);
  });

  it('delete: the endpoint is free again', async () => {
    const p = await pool();
    const m = await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
    await rejectsWith(
      deleteMember(env.ctx, env.alice, randomUUID(), m.id),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    await deleteMember(env.ctx, env.alice, p.id, m.id);
    assert.deepEqual(await env.store.listClaims(memberNamespace(p.id)), []);
    await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
  });
});

describe('health monitors', () => {
  const monitor = (poolId: string, extra: Partial<Parameters<typeof createHealthMonitor>[2]> = {}) =>
    createHealthMonitor(env.ctx, env.alice, {
      poolId,
      type: 'HTTP',
      delay: 5,
      timeout: 3,
      maxRetries: 3,
      ...extra,
    });

  it("HTTP: Octavia's defaults; the pool and its members become monitored", async () => {
    const p = await pool({ protocol: 'HTTP' });
    const before = await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
    const down = await createMember(env.ctx, env.alice, p.id, {
      address: '10.20.0.6',
      protocolPort: 80,
      adminStateUp: false,
    });
    const hm = await monitor(p.id);
    assert.equal(hm.httpMethod, 'GET');
    assert.equal(hm.urlPath, '/');
    assert.equal(hm.expectedCodes, '200');
    assert.equal(hm.maxRetriesDown, 3);
    assert.equal(hm.operatingStatus, 'ONLINE');
    assert.equal((await env.store.get('pool', p.id))?.healthMonitorId, hm.id);
    assert.equal((await env.store.get('member', before.id))?.operatingStatus, 'ONLINE');
    assert.equal((await env.store.get('member', down.id))?.operatingStatus, 'OFFLINE');
    const after = await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.7', protocolPort: 80 });
    assert.equal(after.operatingStatus, 'ONLINE');
    assert.deepEqual(await env.store.listClaims(monitorNamespace(p.id)), [{ key: 'monitor', owner: hm.id }]);
  });

  it('one per pool (DuplicateHealthMonitor)', async () => {
    const p = await pool({ protocol: 'HTTP' });
    await monitor(p.id);
    const e = await rejectsWith(
      monitor(p.id, { type: 'TCP' }),
      'WEIR_CORE_CONFLICT',
      'DuplicateHealthMonitor',
    );
    assert.equal(e.message, 'This pool already has a health monitor');
  });

  it('HTTP fields only on HTTP(S) monitors, and well-formed', async () => {
    const p = await pool();
    const e = await rejectsWith(
      monitor(p.id, { type: 'TCP', urlPath: '/health' }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidOption',
    );
    assert.equal(e.message, 'url_path is not a valid option for health monitors of type TCP');
    await rejectsWith(monitor(p.id, { httpMethod: 'FETCH' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidOption');
    await rejectsWith(monitor(p.id, { urlPath: 'health' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidInput');
    await rejectsWith(monitor(p.id, { expectedCodes: '2xx' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidInput');
    await rejectsWith(monitor(p.id, { type: 'BOGUS' as 'TCP' }), 'WEIR_CORE_BAD_REQUEST', 'InvalidOption');
    const hm = await monitor(p.id, {
      type: 'HTTPS',
      httpMethod: 'HEAD',
      urlPath: '/healthz',
      expectedCodes: '200, 202',
    });
    assert.equal(hm.httpMethod, 'HEAD');
    assert.equal(hm.urlPath, '/healthz');
    assert.equal(hm.expectedCodes, '200,202');
  });

  it('timers: delay, timeout ≥ 1, retries 1..10; a timeout above the delay is accepted, as in Octavia', async () => {
    const p = await pool();
    for (const extra of [
      { delay: 0 },
      { timeout: 0 },
      { maxRetries: 0 },
      { maxRetries: 11 },
      { maxRetriesDown: 11 },
    ])
      await rejectsWith(monitor(p.id, extra), 'WEIR_CORE_BAD_REQUEST', 'InvalidInput');
    // Octavia's cookbook: --delay 5 --max-retries 4 --timeout 10.
    const hm = await monitor(p.id, { delay: 5, maxRetries: 4, timeout: 10 });
    assert.equal(hm.timeout, 10);
  });

  it('suit the pool protocol: UDP pools take UDP-CONNECT/SCTP/TCP/HTTP; UDP-CONNECT only UDP pools', async () => {
    const udp = await pool({ protocol: 'UDP' });
    const e = await rejectsWith(
      monitor(udp.id, { type: 'PING' }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      e.message,
      'Validation failure: The associated pool protocol is UDP, so only a UDP-CONNECT/SCTP/TCP/HTTP health monitor is supported.',
    );
    await rejectsWith(
      monitor(udp.id, { type: 'UDP-CONNECT', delay: 2 }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    await monitor(udp.id, { type: 'UDP-CONNECT', delay: 3 });
    const tcp = await pool();
    const u = await rejectsWith(
      monitor(tcp.id, { type: 'UDP-CONNECT' }),
      'WEIR_CORE_BAD_REQUEST',
      'ValidationException',
    );
    assert.equal(
      u.message,
      'Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP.',
    );
    await monitor(tcp.id, { type: 'PING' });
  });

  it('update: timers and HTTP fields (only for HTTP types), admin state', async () => {
    const p = await pool({ protocol: 'HTTP' });
    const hm = await monitor(p.id);
    const u = await updateHealthMonitor(env.ctx, env.alice, hm.id, {
      delay: 10,
      timeout: 5,
      maxRetriesDown: 5,
      urlPath: '/ready',
      adminStateUp: false,
    });
    assert.equal(u.delay, 10);
    assert.equal(u.urlPath, '/ready');
    assert.equal(u.httpMethod, 'GET');
    assert.equal(u.operatingStatus, 'OFFLINE');
    const tcpPool = await pool();
    const tcp = await monitor(tcpPool.id, { type: 'TCP' });
    await rejectsWith(
      updateHealthMonitor(env.ctx, env.alice, tcp.id, { httpMethod: 'GET' }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidOption',
    );
    await rejectsWith(
      updateHealthMonitor(env.ctx, env.alice, tcp.id, { delay: 0 }),
      'WEIR_CORE_BAD_REQUEST',
      'InvalidInput',
    );
    const e = await rejectsWith(
      updateHealthMonitor(env.ctx, env.bob, tcp.id, { delay: 9 }),
      'WEIR_CORE_NOT_FOUND',
      'NotFound',
    );
    assert.equal(e.message, `Health Monitor ${tcp.id} not found.`);
  });

  it('delete: the pool is unmonitored again, its members NO_MONITOR, and may get a new monitor', async () => {
    const p = await pool({ protocol: 'HTTP' });
    const m = await createMember(env.ctx, env.alice, p.id, { address: '10.20.0.5', protocolPort: 80 });
    const hm = await monitor(p.id);
    await deleteHealthMonitor(env.ctx, env.alice, hm.id);
    assert.equal(await env.store.get('health_monitor', hm.id), undefined);
    assert.equal((await env.store.get('pool', p.id))?.healthMonitorId, undefined);
    assert.equal((await env.store.get('member', m.id))?.operatingStatus, 'NO_MONITOR');
    assert.deepEqual(await env.store.listClaims(monitorNamespace(p.id)), []);
    await monitor(p.id, { type: 'TCP' });
  });
});
