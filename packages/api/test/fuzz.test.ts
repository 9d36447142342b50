// 10,000 malformed or hostile requests across every API (Neutron, Octavia, Keystone): random
// JSON, wrong types, huge and deeply nested bodies, invalid UTF-8, duplicate keys, path traversal,
// injection strings, prototype keys, hostile query strings. Every request is invalid by
// construction (each body carries at least one value of the wrong type; deletes name no existing
// object), so none may change the store. Asserts: no 5xx, every error in its API's shape, the
// server still healthy, and the store exactly as it was (every object at the same version).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TABLE_NAMES } from '@weir/model';
import { startTestServer, type TestServer } from './helpers/server.js';

const REQUESTS = 10_000;
const CONCURRENCY = 16;

/** A small seeded PRNG (mulberry32) so a failure can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%00',
  "' OR '1'='1' --",
  '"; DROP TABLE ports; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '%ff%fe%fd',
  '\u202egnp.exe',
  '__proto__',
  'constructor',
  'prototype',
  '\ud83d\ude00\ud83d\ude00',
  'a'.repeat(600),
  ' ',
  '',
  '-1',
  '1e309',
  'null',
  '%',
  '%zz',
];

const NEUTRON = [
  'networks',
  'subnets',
  'ports',
  'routers',
  'floatingips',
  'security-groups',
  'security-group-rules',
  'trunks',
  'quotas',
  'subnetpools',
  'extensions',
  'agents',
];
const NEUTRON_SINGULAR: Record<string, string> = {
  networks: 'network',
  subnets: 'subnet',
  ports: 'port',
  routers: 'router',
  floatingips: 'floatingip',
  'security-groups': 'security_group',
  'security-group-rules': 'security_group_rule',
  trunks: 'trunk',
  quotas: 'quota',
  subnetpools: 'subnetpool',
  extensions: 'extension',
  agents: 'agent',
};
const NEUTRON_ACTIONS = [
  'add_router_interface',
  'remove_router_interface',
  'add_subports',
  'remove_subports',
  'get_subports',
  'add_prefixes',
  'remove_prefixes',
  'tags',
  'tags/x',
  'default',
  'details',
];
const OCTAVIA = ['loadbalancers', 'listeners', 'pools', 'healthmonitors', 'l7policies', 'amphorae'];
const OCTAVIA_SINGULAR: Record<string, string> = {
  loadbalancers: 'loadbalancer',
  listeners: 'listener',
  pools: 'pool',
  healthmonitors: 'healthmonitor',
  l7policies: 'l7policy',
  amphorae: 'amphora',
};
const KEYSTONE = [
  '/v3/auth/tokens',
  '/v3/projects',
  '/v3/domains',
  '/v3/users',
  '/v3/roles',
  '/v3',
  '/v3/auth/projects',
];

/** Values of the wrong type for any attribute (objects where strings go, and so on). */
const WRONG_TYPES: unknown[] = [
  { $gt: '' },
  { $ne: null },
  [[[]]],
  { __proto__: { admin: true } },
  Number.MAX_SAFE_INTEGER * 10,
  -1e308,
  [1, 'a', null, {}],
  { toString: 'x', valueOf: 1 },
];

const ATTRIBUTES = [
  'name',
  'network_id',
  'subnet_id',
  'cidr',
  'ip_version',
  'fixed_ips',
  'mac_address',
  'admin_state_up',
  'security_groups',
  'port_id',
  'external_gateway_info',
  'protocol',
  'direction',
  'loadbalancer_id',
  'vip_subnet_id',
  'address',
  'protocol_port',
  'lb_algorithm',
  'project_id',
  'tenant_id',
  'tags',
  'mtu',
  'shared',
  'routes',
  'allocation_pools',
  'sub_ports',
  'id',
  '__proto__',
  'constructor',
  'binding:host_id',
];

interface FuzzRequest {
  readonly api: 'neutron' | 'octavia' | 'keystone';
  readonly method: string;
  readonly path: string;
  readonly body?: string | Buffer;
}

describe('hostile input across every endpoint', () => {
  let s: TestServer;
  const existing: string[] = [];

  before(async () => {
    s = await startTestServer();
    // Something to aim at: objects that exist, so PUTs reach real handlers.
    const n = await s.neutron<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'f' },
    });
    existing.push(n.body.network.id);
    const sub = await s.neutron<{ subnet?: { id: string } }>('POST', '/v2.0/subnets', {
      subnet: { network_id: n.body.network.id, cidr: '10.9.0.0/24', ip_version: 4 },
    });
    if (sub.body.subnet) existing.push(sub.body.subnet.id);
    const p = await s.neutron<{ port?: { id: string } }>('POST', '/v2.0/ports', {
      port: { network_id: n.body.network.id },
    });
    if (p.body.port) existing.push(p.body.port.id);
    const r = await s.neutron<{ router?: { id: string } }>('POST', '/v2.0/routers', {
      router: { name: 'r' },
    });
    if (r.body.router) existing.push(r.body.router.id);
    if (sub.body.subnet) {
      const lb = await s.octavia<{ loadbalancer?: { id: string } }>('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: sub.body.subnet.id, name: 'lb' },
      });
      if (lb.body.loadbalancer) existing.push(lb.body.loadbalancer.id);
    }
  });
  after(async () => {
    await s?.close();
  });

  async function storeState(): Promise<string> {
    const lines: string[] = [];
    for (const table of TABLE_NAMES) {
      for (const o of (await s.store.list(table)).items) lines.push(`${table}/${o.id}@${o.version}`);
    }
    return lines.sort().join('\n');
  }

  function generate(rand: () => number): FuzzRequest {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const hostileId = (): string =>
      rand() < 0.5 ? encodeURIComponent(pick(HOSTILE_STRINGS)) : pick(HOSTILE_STRINGS).replace(/[?#]/g, '');
    const anyId = (): string => (rand() < 0.3 ? pick(existing) : hostileId());
    const query = (): string => {
      if (rand() < 0.5) return '';
      const parts: string[] = [];
      const n = 1 + Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        const key =
          rand() < 0.3
            ? pick([
                'limit',
                'marker',
                'sort_key',
                'sort_dir',
                'fields',
                'page_reverse',
                'sort',
                'tags-any',
                'cascade',
              ])
            : pick(ATTRIBUTES);
        const value =
          rand() < 0.5
            ? pick(HOSTILE_STRINGS)
            : pick(['-1', '99999999999999', 'desc:asc', 'id:sideways', 'True', '%', '']);
        parts.push(
          `${rand() < 0.2 ? key : encodeURIComponent(key)}=${rand() < 0.2 ? value : encodeURIComponent(value)}`,
        );
      }
      return `?${parts.join('&')}`;
    };
    const api = pick(['neutron', 'neutron', 'octavia', 'keystone'] as const);
    let path: string;
    let resourceKey: string;
    if (api === 'neutron') {
      const coll = pick(NEUTRON);
      resourceKey = rand() < 0.8 ? (NEUTRON_SINGULAR[coll] as string) : coll;
      const shape = rand();
      const action = pick(NEUTRON_ACTIONS);
      // A tag PUT or DELETE ignores the body, so on an existing object it is a valid request:
      // tag paths name objects that do not exist.
      const target = action.startsWith('tags') ? hostileId() : anyId();
      path =
        shape < 0.3
          ? `/v2.0/${coll}`
          : shape < 0.75
            ? `/v2.0/${coll}/${anyId()}`
            : `/v2.0/${coll}/${target}/${action}`;
    } else if (api === 'octavia') {
      const coll = pick(OCTAVIA);
      resourceKey = rand() < 0.8 ? (OCTAVIA_SINGULAR[coll] as string) : coll;
      const prefix = rand() < 0.5 ? '/v2/lbaas' : '/v2.0/lbaas';
      const shape = rand();
      path =
        shape < 0.3
          ? `${prefix}/${coll}`
          : shape < 0.7
            ? `${prefix}/${coll}/${anyId()}`
            : shape < 0.85
              ? `${prefix}/pools/${anyId()}/members/${rand() < 0.5 ? anyId() : ''}`
              : `${prefix}/loadbalancers/${anyId()}/${pick(['status', 'stats', 'failover'])}`;
    } else {
      const p = pick(KEYSTONE);
      resourceKey = p.includes('auth') ? 'auth' : p.includes('project') ? 'project' : 'domain';
      path = rand() < 0.5 ? p : `${p}/${anyId()}`;
    }
    if (rand() < 0.05) path = `/${pick(HOSTILE_STRINGS)}${path}`;
    path += query();
    const method = pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'POST', 'PUT', 'OPTIONS']);
    if (method === 'DELETE') {
      // Deletes name only objects that do not exist: a hostile id, never an existing one.
      return {
        api,
        method,
        path: path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'nope'),
      };
    }
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return { api, method, path };
    return { api, method, path, body: hostileBody(rand, pick, resourceKey) };
  }

  function hostileBody(rand: () => number, pick: <T>(xs: readonly T[]) => T, key: string): string | Buffer {
    const kind = Math.floor(rand() * 10);
    const poisoned = (): Record<string, unknown> => {
      const o: Record<string, unknown> = { name: pick(WRONG_TYPES) };
      const extra = Math.floor(rand() * 4);
      for (let i = 0; i < extra; i++)
        o[pick(ATTRIBUTES)] = rand() < 0.5 ? pick(HOSTILE_STRINGS) : pick(WRONG_TYPES);
      // The poison stays: a wrong-typed name (or a wrong-typed identity field for Keystone).
      o.name = pick(WRONG_TYPES);
      return o;
    };
    switch (kind) {
      case 0:
        return Buffer.from(
          Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)),
        );
      case 1:
        return `{"${key}": {"name": "a", "name": "b"}}`;
      case 2: {
        const depth = 33 + Math.floor(rand() * 200);
        return `{"${key}": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
      }
      case 3:
        return JSON.stringify({ [key]: poisoned() }).slice(0, Math.floor(rand() * 40));
      case 4:
        return JSON.stringify(pick([null, [], 'str', 12, true, [{ [key]: {} }]]));
      case 5:
        return JSON.stringify({ [key]: { ...poisoned(), description: 'x'.repeat(150_000) } });
      case 6:
        return Buffer.concat([
          Buffer.from(`{"${key}": {"name": "`),
          Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
          Buffer.from('"}}'),
        ]);
      case 7:
        return JSON.stringify({ [`${key}s`]: [poisoned(), poisoned()] });
      case 8:
        return JSON.stringify({
          auth: { identity: { methods: [pick(WRONG_TYPES)], password: pick(WRONG_TYPES) } },
          [key]: poisoned(),
        });
      default:
        return JSON.stringify({ [key]: poisoned() });
    }
  }

  it(`${REQUESTS.toLocaleString('en-US')} hostile requests: no 5xx, errors in shape, store unchanged`, async (t) => {
    const seed = Number(process.env.WEIR_FUZZ_SEED ?? Date.now() % 1_000_000);
    const rand = prng(seed);
    const requests = Array.from({ length: REQUESTS }, () => generate(rand));
    const before = await storeState();
    const failures: string[] = [];
    // Requests that changed something (a 2xx on a write): they explain a changed store.
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const bases = { neutron: s.urls.network, octavia: s.urls.loadBalancer, keystone: s.urls.identity };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const r = requests[next++] as FuzzRequest;
          let status: number;
          let text: string;
          try {
            const res = await fetch(`${bases[r.api]}${r.path}`, {
              method: r.method,
              headers: { 'content-type': 'application/json' },
              ...(r.body === undefined ? {} : { body: r.body }),
            });
            status = res.status;
            text = await res.text();
          } catch (error) {
            failures.push(`${r.method} ${r.path}: transport error ${(error as Error).message}`);
            continue;
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status < 300 && r.method !== 'GET' && r.method !== 'HEAD' && r.method !== 'OPTIONS') {
            accepted.push(`${r.method} ${r.api} ${r.path} -> ${status}: ${String(r.body).slice(0, 300)}`);
          }
          // 501 is a deliberate answer, not a fault: Octavia's "Provider … does not support a
          // requested action/option" (failover, TLS options), in Octavia's error shape.
          const deliberate = status === 501 && r.api === 'octavia' && isErrorShape(r.api, text);
          if (status >= 500 && !deliberate)
            failures.push(`${r.method} ${r.api} ${r.path} -> ${status} ${text.slice(0, 200)}`);
          else if (status >= 400 && r.method !== 'HEAD' && !isErrorShape(r.api, text)) {
            failures.push(
              `${r.method} ${r.api} ${r.path} -> ${status} not in ${r.api}'s error shape: ${text.slice(0, 200)}`,
            );
          }
        }
      }),
    );
    assert.deepEqual(failures.slice(0, 20), [], `seed ${seed}: ${failures.length} failures`);
    assert.equal((await s.neutron('GET', '/healthz')).status, 200, 'the server is still healthy');
    assert.equal(
      await storeState(),
      before,
      `seed ${seed}: the store changed; writes answered 2xx:\n${accepted.slice(0, 20).join('\n')}`,
    );
    t.diagnostic(`seed ${seed}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    const refused = [...statuses].filter(([st]) => st >= 400).reduce((n, [, c]) => n + c, 0);
    assert.ok(refused > REQUESTS * 0.5, `most hostile requests are refused (${refused})`);
  });
});

function isErrorShape(api: FuzzRequest['api'], text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null) return false;
  const o = body as Record<string, unknown>;
  if (api === 'neutron') return typeof o.NeutronError === 'object' || typeof o.error === 'object';
  if (api === 'octavia') return typeof o.faultstring === 'string' || typeof o.error === 'object';
  return typeof o.error === 'object';
}
