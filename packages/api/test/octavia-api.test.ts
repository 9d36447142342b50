// Octavia over HTTP: version discovery, request checks and errors in Octavia's shape (wsme's
// messages, Octavia's status codes), 404s, policy, and Octavia's list semantics (filters, tags,
// fields, both sort syntaxes, limit/marker/page_reverse with links).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asProject, startTestServer, type TestServer } from './helpers/server.js';
import type { Fault, LbNet, ListenerView, LoadBalancerView } from './helpers/octavia-wire.js';
import { lbNet } from './helpers/octavia-wire.js';
import type { Link } from './helpers/wire.js';

const LB = '/v2.0/lbaas';
type Lbs = { loadbalancers: LoadBalancerView[]; loadbalancers_links: Link[] };

describe('Octavia: discovery, errors, lists', () => {
  let s: TestServer;
  let net: LbNet;
  let lbs: LoadBalancerView[];
  before(async () => {
    s = await startTestServer();
    net = await lbNet(s);
    lbs = [];
    for (const [name, tags] of [
      ['bravo', ['web']],
      ['alpha', ['web', 'prod']],
      ['charlie', []],
    ] as const) {
      const r = await s.octavia<{ loadbalancer: LoadBalancerView }>('POST', `${LB}/loadbalancers`, {
        loadbalancer: { name, vip_subnet_id: net.subnetId, tags },
      });
      assert.equal(r.status, 201, r.text);
      lbs.push(r.body.loadbalancer);
    }
  });
  after(async () => {
    await s.close();
  });
  const id = (name: string): string => lbs.find((l) => l.name === name)?.id ?? '';

  it("answers Octavia's versions document at /", async () => {
    const r = await s.octavia<{ versions: { id: string; status: string; links: Link[]; updated: string }[] }>(
      'GET',
      '/',
    );
    assert.equal(r.status, 200);
    assert.equal(r.body.versions.length, 1);
    assert.equal(r.body.versions[0]?.id, 'v2.0');
    assert.equal(r.body.versions[0]?.status, 'CURRENT');
    assert.match(r.body.versions[0]?.links[0]?.href ?? '', /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    assert.equal((await s.octavia('GET', '/v2')).text, '"v2"');
  });

  it("refuses bad requests with wsme's and Octavia's messages and status codes", async () => {
    const lb = id('alpha');
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        'listeners',
        { listener: { foo: 1 } },
        400,
        'Unknown attribute for argument listener_.listener: foo',
      ],
      [
        'POST',
        'listeners',
        { listener: { foo: 1, bar: 2 } },
        400,
        'Unknown attributes for argument listener_.listener: bar, foo',
      ],
      ['POST', 'listeners', { listeners: {} }, 400, 'Unknown attribute for argument listener_: listeners'],
      [
        'POST',
        'listeners',
        { listener: { protocol: 'TCP', loadbalancer_id: lb } },
        400,
        "Invalid input for field/attribute protocol_port. Value: 'None'. Mandatory field missing.",
      ],
      [
        'POST',
        'listeners',
        { listener: { protocol: 'TCP', protocol_port: 70000, loadbalancer_id: lb } },
        400,
        "Invalid input for field/attribute protocol_port. Value: '70000'. Value should be lower or equal to 65535",
      ],
      [
        'POST',
        'listeners',
        { listener: { protocol: 'TCP', protocol_port: 'eighty', loadbalancer_id: lb } },
        400,
        "Invalid input for field/attribute protocol_port. Value: 'eighty'. invalid literal for int() with base 10: 'eighty'",
      ],
      [
        'POST',
        'pools',
        { pool: { protocol: 'TCP', lb_algorithm: 'RANDOM', loadbalancer_id: lb } },
        400,
        "Invalid input for field/attribute lb_algorithm. Value: 'RANDOM'. Value should be one of: LEAST_CONNECTIONS, ROUND_ROBIN, SOURCE_IP, SOURCE_IP_PORT",
      ],
      [
        'POST',
        'pools',
        {
          pool: {
            protocol: 'TCP',
            lb_algorithm: 'ROUND_ROBIN',
            loadbalancer_id: lb,
            session_persistence: { kind: 1 },
          },
        },
        400,
        'Unknown attribute for argument pool_.pool.session_persistence: kind',
      ],
      [
        'POST',
        'pools',
        { pool: { protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN', loadbalancer_id: 'nope' } },
        400,
        "Invalid input for field/attribute loadbalancer_id. Value: 'nope'. Value should be UUID format",
      ],
      [
        'POST',
        'loadbalancers',
        { loadbalancer: { vip_subnet_id: net.subnetId, admin_state_up: 'maybe' } },
        400,
        "Invalid input for field/attribute admin_state_up. Value: 'maybe'. Value not an unambiguous boolean: maybe",
      ],
      [
        'POST',
        'loadbalancers',
        { loadbalancer: { name: 'x' } },
        400,
        'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.',
      ],
      [
        'POST',
        'loadbalancers',
        { loadbalancer: { vip_subnet_id: net.networkId } },
        400,
        `Subnet ${net.networkId} not found.`,
      ],
      [
        'POST',
        'loadbalancers',
        { loadbalancer: { vip_subnet_id: net.subnetId, provider: 'amphora' } },
        400,
        "Provider 'amphora' is not enabled.",
      ],
      [
        'POST',
        'loadbalancers',
        { loadbalancer: { vip_subnet_id: net.subnetId, flavor_id: net.subnetId } },
        400,
        'Validation failure: Invalid flavor_id.',
      ],
      [
        'POST',
        'listeners',
        {
          listener: {
            protocol: 'TCP',
            protocol_port: 80,
            loadbalancer_id: lb,
            default_tls_container_ref: 'x',
          },
        },
        501,
        "Provider 'weir' does not support a requested option: default_tls_container_ref",
      ],
      [
        'POST',
        'healthmonitors',
        { healthmonitor: { pool_id: lb, type: 'TCP', delay: 5, timeout: 3, max_retries: 3 } },
        404,
        `Pool ${lb} not found.`,
      ],
      ['POST', 'loadbalancers', [1], 400, 'Request must be a JSON dict'],
      [
        'POST',
        'loadbalancers',
        '{"loadbalancer": {"__proto__": {}, "vip_subnet_id": null}}',
        400,
        'Unknown attribute for argument load_balancer.loadbalancer: __proto__',
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const r = await s.octavia<Fault>(method, `${LB}/${path}`, body);
      assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.deepEqual(r.body, {
        faultcode: status >= 500 ? 'Server' : 'Client',
        faultstring: message,
        debuginfo: null,
      });
    }
    // Two listeners may not share a port of one L4 protocol (HTTP is TCP).
    const first = await s.octavia('POST', `${LB}/listeners`, {
      listener: { protocol: 'TCP', protocol_port: 443, loadbalancer_id: lb },
    });
    assert.equal(first.status, 201, first.text);
    const clash = await s.octavia('POST', `${LB}/listeners`, {
      listener: { protocol: 'HTTP', protocol_port: 443, loadbalancer_id: lb },
    });
    assert.equal(clash.status, 409);
    assert.equal(
      clash.error?.message,
      'Another Listener on this Load Balancer is already using protocol TCP and protocol_port 443',
    );
  });

  it('answers "<Resource> <id> not found." for anything unknown, names included', async () => {
    const missing = '9d3c2a5e-0c43-4a33-9a44-41a9d1b0c3f1';
    const cases: [string, string][] = [
      [`loadbalancers/${missing}`, `Load Balancer ${missing} not found.`],
      ['loadbalancers/alpha', 'Load Balancer alpha not found.'],
      [`listeners/${missing}`, `Listener ${missing} not found.`],
      [`pools/${missing}`, `Pool ${missing} not found.`],
      [`pools/${missing}/members`, `Pool ${missing} not found.`],
      [`pools/${missing}/members/${missing}`, `Member ${missing} not found.`],
      [`healthmonitors/${missing}`, `Health Monitor ${missing} not found.`],
    ];
    for (const [path, message] of cases) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        if (method !== 'GET' && path.endsWith('/members')) continue;
        const body = method === 'PUT' ? { [path.split('/').at(-2)?.replace(/s$/, '') ?? '']: {} } : undefined;
        const r = await s.octavia(method, `${LB}/${path}`, body);
        assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
        assert.equal(r.error?.message, message, `${method} ${path}`);
      }
    }
  });

  it('policy: a reader may look but not change; another project sees nothing', async () => {
    const project = 'c3'.repeat(16);
    const reader = asProject(s.config.default_project_id, ['reader']);
    const list = await s.octavia<Lbs>('GET', `${LB}/loadbalancers`, undefined, reader);
    assert.equal(list.body.loadbalancers.length, lbs.length);
    const denied = await s.octavia(
      'PUT',
      `${LB}/loadbalancers/${id('alpha')}`,
      { loadbalancer: { name: 'x' } },
      reader,
    );
    assert.equal(denied.status, 403);
    assert.equal(denied.error?.message, 'Policy does not allow this request to be performed.');
    const other = asProject(project);
    assert.deepEqual(
      (await s.octavia<Lbs>('GET', `${LB}/loadbalancers`, undefined, other)).body.loadbalancers,
      [],
    );
    const hidden = await s.octavia('GET', `${LB}/loadbalancers/${id('alpha')}`, undefined, other);
    assert.equal(hidden.status, 404);
    const foreignVip = await s.octavia(
      'POST',
      `${LB}/loadbalancers`,
      { loadbalancer: { vip_subnet_id: net.subnetId } },
      other,
    );
    assert.equal(foreignVip.status, 400);
    assert.equal(foreignVip.error?.message, `Subnet ${net.subnetId} not found.`);
  });

  it('filters, tags, fields and both sort syntaxes', async () => {
    const names = async (query: string): Promise<string[]> => {
      const r = await s.octavia<Lbs>('GET', `${LB}/loadbalancers?${query}`);
      assert.equal(r.status, 200, `${query}: ${r.text}`);
      return r.body.loadbalancers.map((l) => l.name);
    };
    assert.deepEqual(await names('name=alpha'), ['alpha']);
    assert.deepEqual(await names('name=alpha&name=charlie&sort=name'), ['alpha', 'charlie']);
    assert.deepEqual(await names(`id=${id('bravo')}`), ['bravo']);
    assert.deepEqual(await names('provider=weir&sort=name:desc'), ['charlie', 'bravo', 'alpha']);
    assert.deepEqual(await names('sort_key=name&sort_dir=asc'), ['alpha', 'bravo', 'charlie']);
    assert.deepEqual(await names('tags=web&sort=name'), ['alpha', 'bravo']);
    assert.deepEqual(await names('tags=web,prod'), ['alpha']);
    assert.deepEqual(await names('not-tags=web'), ['charlie']);
    assert.deepEqual(await names('tags-any=prod,nothing'), ['alpha']);
    assert.deepEqual(await names(`vip_subnet_id=${net.subnetId}&admin_state_up=true&sort=name`), [
      'alpha',
      'bravo',
      'charlie',
    ]);
    const fields = await s.octavia<{ loadbalancers: Record<string, unknown>[] }>(
      'GET',
      `${LB}/loadbalancers?name=alpha&fields=id&fields=name`,
    );
    assert.deepEqual(fields.body.loadbalancers, [{ id: id('alpha'), name: 'alpha' }]);
    const one = await s.octavia<{ loadbalancer: Record<string, unknown> }>(
      'GET',
      `${LB}/loadbalancers/${id('alpha')}?fields=vip_address,provider`,
    );
    assert.deepEqual(Object.keys(one.body.loadbalancer).sort(), ['provider', 'vip_address']);
    const listeners = await s.octavia<{ listeners: ListenerView[] }>(
      'GET',
      `${LB}/listeners?loadbalancer_id=${id('bravo')}`,
    );
    assert.deepEqual(listeners.body.listeners, []);
    const refusals: [string, string][] = [
      ['color=red', 'One or more arguments are either duplicate or invalid'],
      ['__proto__=x', 'One or more arguments are either duplicate or invalid'],
      ['sort=constructor', "Supplied sort key 'constructor' is not valid."],
      ['sort=color', "Supplied sort key 'color' is not valid."],
      ['sort=name:up', "Supplied sort direction 'up' is not valid."],
      ['sort_key=name&sort_dir=sideways', "Supplied sort direction 'sideways' is not valid."],
      ['limit=many', "Supplied pagination limit 'many' is not valid."],
      ['marker=nothing', "Supplied pagination marker 'nothing' is not valid."],
    ];
    for (const [query, message] of refusals) {
      const r = await s.octavia('GET', `${LB}/loadbalancers?${query}`);
      assert.equal(r.status, 400, query);
      assert.equal(r.error?.message, message, query);
    }
  });

  it('pages with limit and marker, links both ways, and page_reverse', async () => {
    const page = async (query: string): Promise<Lbs> =>
      (await s.octavia<Lbs>('GET', `${LB}/loadbalancers?${query}`)).body;
    const all = await page('sort=name');
    assert.deepEqual(all.loadbalancers_links, [], 'always present, empty when everything fits');
    const first = await page('sort=name&limit=2');
    assert.deepEqual(
      first.loadbalancers.map((l) => l.name),
      ['alpha', 'bravo'],
    );
    const next = first.loadbalancers_links.find((l) => l.rel === 'next');
    assert.ok(next, JSON.stringify(first.loadbalancers_links));
    assert.equal(first.loadbalancers_links.length, 1);
    const url = new URL(next.href);
    assert.equal(url.searchParams.get('marker'), id('bravo'));
    const second = await page(url.search.slice(1));
    assert.deepEqual(
      second.loadbalancers.map((l) => l.name),
      ['charlie'],
    );
    assert.deepEqual(
      second.loadbalancers_links.map((l) => l.rel),
      ['previous'],
    );
    const back = new URL(second.loadbalancers_links[0]?.href ?? '');
    assert.equal(back.searchParams.get('page_reverse'), 'True');
    const reversed = await page(back.search.slice(1));
    assert.deepEqual(
      reversed.loadbalancers.map((l) => l.name),
      ['alpha', 'bravo'],
    );
    // octaviaclient follows `next` links until there are none: every object exactly once.
    let query = 'limit=1';
    const seen: string[] = [];
    for (let i = 0; i < 10 && query !== ''; i++) {
      const p = await page(query);
      seen.push(...p.loadbalancers.map((l) => l.name));
      const n = p.loadbalancers_links.find((l) => l.rel === 'next');
      query = n ? new URL(n.href).search.slice(1) : '';
    }
    assert.deepEqual(seen.sort(), ['alpha', 'bravo', 'charlie']);
  });
});

describe('Octavia: quotas and VIP addresses', () => {
  let s: TestServer;
  let net: LbNet;
  before(async () => {
    s = await startTestServer({ core: { quotas: { loadbalancer: 2 } } });
    net = await lbNet(s);
  });
  after(async () => {
    await s.close();
  });

  it("answers Octavia's 409 for a VIP address in use and 403 for a met quota", async () => {
    const first = await s.octavia<{ loadbalancer: LoadBalancerView }>('POST', `${LB}/loadbalancers`, {
      loadbalancer: { vip_subnet_id: net.subnetId, vip_address: '10.0.0.50' },
    });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.loadbalancer.vip_address, '10.0.0.50');
    const taken = await s.octavia('POST', `${LB}/loadbalancers`, {
      loadbalancer: { vip_subnet_id: net.subnetId, vip_address: '10.0.0.50' },
    });
    assert.equal(taken.status, 409, taken.text);
    assert.match(taken.error?.message ?? '', /^The VIP IP address is already in use: .*10\.0\.0\.50/);
    const second = await s.octavia('POST', `${LB}/loadbalancers`, {
      loadbalancer: { vip_subnet_id: net.subnetId },
    });
    assert.equal(second.status, 201, second.text);
    const over = await s.octavia('POST', `${LB}/loadbalancers`, {
      loadbalancer: { vip_subnet_id: net.subnetId },
    });
    assert.equal(over.status, 403, over.text);
    assert.equal(over.error?.message, 'Quota has been met for resources: Load Balancer');
  });
});
