// The Keystone v3 facade: discovery, password and token authentication, validation, expiry,
// forgery, revocation, and `auth: keystone` on the network API (401s in keystonemiddleware's shape,
// roles as Neutron's policy sees them).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TOKEN_PREFIX, tokenSigner, type TokenPayload } from '../src/keystone/tokens.js';
import { authHeader, login, passwordAuth, startKeystoneServer } from './helpers/keystone.js';
import type { TestServer } from './helpers/server.js';
import type { Many, NetworkView, One, ProjectView, TokenView } from './helpers/wire.js';

type Token = One<'token', TokenView>;

describe('Keystone facade: tokens', () => {
  let s: TestServer;
  let now = Date.parse('2026-06-01T12:00:00Z');
  before(async () => {
    s = await startKeystoneServer({ clock: () => now });
  });
  after(async () => {
    await s.close();
  });

  it('serves version discovery as Keystone does', async () => {
    const v3 = await s.keystone<{ version: Record<string, unknown> }>('GET', '/v3');
    assert.equal(v3.status, 200);
    assert.equal(v3.body.version.id, 'v3.14');
    assert.equal(v3.body.version.status, 'stable');
    assert.deepEqual(v3.body.version.links, [{ rel: 'self', href: `${s.urls.identity}/v3/` }]);
    assert.deepEqual(v3.body.version['media-types'], [
      { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' },
    ]);
    const root = await s.keystone<{ versions: { values: { id: string }[] } }>('GET', '/');
    assert.equal(root.status, 300);
    assert.deepEqual(
      root.body.versions.values.map((v) => v.id),
      ['v3.14'],
    );
  });

  it('password auth: a scoped token with roles, catalog and X-Subject-Token', async () => {
    const r = await s.keystone<Token>(
      'POST',
      '/v3/auth/tokens',
      passwordAuth('admin', 'admin-secret', 'admin'),
    );
    assert.equal(r.status, 201, r.text);
    const id = r.headers.get('x-subject-token') ?? '';
    assert.ok(id.startsWith(TOKEN_PREFIX));
    const t = r.body.token;
    assert.deepEqual(t.methods, ['password']);
    assert.equal(t.user.name, 'admin');
    assert.deepEqual(t.user.domain, { id: 'default', name: 'Default' });
    assert.equal(t.project?.name, 'admin');
    assert.match(t.project?.id ?? '', /^[0-9a-f]{32}$/);
    // admin implies member implies reader, as Keystone's default roles.
    assert.deepEqual(
      t.roles?.map((x) => x.name),
      ['admin', 'member', 'reader'],
    );
    assert.equal(t.expires_at, '2026-06-01T13:00:00.000000Z');
    assert.equal(t.issued_at, '2026-06-01T12:00:00.000000Z');
    assert.equal(t.audit_ids.length, 1);
    const catalog = t.catalog ?? [];
    assert.deepEqual(
      catalog.map((c) => [c.type, c.name]),
      [
        ['identity', 'keystone'],
        ['network', 'neutron'],
        ['load-balancer', 'octavia'],
      ],
    );
    for (const c of catalog) {
      assert.deepEqual(
        c.endpoints.map((e) => e.interface),
        ['public', 'internal', 'admin'],
      );
      assert.ok(c.endpoints.every((e) => e.region === 'RegionOne'));
    }
    assert.equal(catalog[1]?.endpoints[0]?.url, s.urls.network);
    assert.equal(catalog[2]?.endpoints[0]?.url, s.urls.loadBalancer);
    // ?nocatalog leaves the catalog out.
    const bare = await s.keystone<Token>(
      'POST',
      '/v3/auth/tokens?nocatalog',
      passwordAuth('alice', 'alice-secret', 'demo'),
    );
    assert.equal(bare.body.token.catalog, undefined);
    assert.deepEqual(
      bare.body.token.roles?.map((x) => x.name),
      ['member', 'reader'],
    );
  });

  it('refuses wrong passwords, unknown users, projects without roles, disabled projects', async () => {
    const refused = async (body: unknown): Promise<void> => {
      const r = await s.keystone('POST', '/v3/auth/tokens', body);
      assert.equal(r.status, 401, JSON.stringify(body));
      assert.deepEqual(r.body, {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      });
      assert.equal(r.headers.get('www-authenticate'), `Keystone uri="${s.urls.identity}/v3"`);
      assert.equal(r.headers.get('x-subject-token'), null);
    };
    await refused(passwordAuth('alice', 'wrong', 'demo'));
    await refused(passwordAuth('mallory', 'alice-secret', 'demo'));
    await refused(passwordAuth('alice', 'alice-secret', 'admin'));
    await refused(passwordAuth('alice', 'alice-secret', 'no-such-project'));
    const other = await s.keystone<Many<'projects', ProjectView>>(
      'GET',
      '/v3/projects?name=other',
      undefined,
      authHeader(await login(s, 'admin', 'admin')),
    );
    const otherId = other.body.projects[0]?.id ?? '';
    const bobOther = await login(s, 'bob', 'other');
    const admin = authHeader(await login(s, 'admin', 'admin'));
    const off = await s.keystone('PATCH', `/v3/projects/${otherId}`, { project: { enabled: false } }, admin);
    assert.equal(off.status, 200, off.text);
    await refused(passwordAuth('bob', 'bob-secret', 'other'));
    // Tokens already issued for it stop working too.
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(bobOther))).status, 401);
    await s.keystone('PATCH', `/v3/projects/${otherId}`, { project: { enabled: true } }, admin);
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(bobOther))).status, 200);
  });

  it("checks the request body with Keystone's messages", async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /^Expecting to find auth in request body\. The server could not comply/],
      [{ auth: {} }, /^'identity' is a required property$/],
      [{ auth: { identity: {} } }, /^Invalid input for field 'identity': 'methods' is a required property$/],
      [{ auth: { identity: { methods: ['password'] } } }, /^Expecting to find password in identity\./],
      [
        { auth: { identity: { methods: ['password'], password: { user: { password: 'x' } } } } },
        /^Invalid input for field identity\/password\/user: id or name must be present\.$/,
      ],
      [
        {
          auth: { identity: { methods: ['password'], password: { user: { name: 'alice', password: 'x' } } } },
        },
        /^Expecting to find domain in user\./,
      ],
      [
        {
          auth: {
            identity: { methods: ['password'], password: { user: { id: 'x', password: 'x' } } },
            scope: { project: { name: 'demo' } },
          },
        },
        /^Expecting to find domain in project\./,
      ],
    ];
    for (const [body, message] of cases) {
      const r = await s.keystone('POST', '/v3/auth/tokens', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.error?.type, 'Bad Request');
      assert.match(r.error?.message ?? '', message);
    }
  });

  it('unscoped tokens, and rescoping with the token method', async () => {
    const u = await s.keystone<Token>('POST', '/v3/auth/tokens', passwordAuth('bob', 'bob-secret'));
    assert.equal(u.status, 201);
    assert.equal(u.body.token.project, undefined);
    assert.equal(u.body.token.catalog, undefined);
    const unscoped = u.headers.get('x-subject-token') ?? '';
    // An unscoped token does not open the network API (no project to act in).
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(unscoped))).status, 401);
    now += 60_000;
    const rescope = (
      token: string,
      project: string,
    ): Promise<{ status: number; body: Token; headers: Headers }> =>
      s.keystone<Token>('POST', '/v3/auth/tokens', {
        auth: {
          identity: { methods: ['token'], token: { id: token } },
          scope: { project: { name: project, domain: { id: 'default' } } },
        },
      });
    const r = await rescope(unscoped, 'other');
    assert.equal(r.status, 201);
    assert.equal(r.body.token.project?.name, 'other');
    assert.deepEqual(r.body.token.methods, ['token', 'password']);
    // Rescoping never extends a token's life, and keeps the audit chain.
    assert.equal(r.body.token.expires_at, u.body.token.expires_at);
    assert.deepEqual(r.body.token.audit_ids.slice(1), u.body.token.audit_ids);
    const scoped = r.headers.get('x-subject-token') ?? '';
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(scoped))).status, 200);
    // A scoped token rescoped to another project; and not to one without roles.
    assert.equal((await rescope(scoped, 'demo')).body.token.project?.name, 'demo');
    assert.equal((await rescope(scoped, 'admin')).status, 401);
    assert.equal((await rescope('w1.garbage.sig', 'demo')).status, 401);
  });

  it('validates tokens with GET and HEAD (own token, or any as admin)', async () => {
    const alice = await login(s, 'alice', 'demo');
    const bob = await login(s, 'bob', 'demo');
    const own = await s.keystone<Token>('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': alice,
      'x-subject-token': alice,
    });
    assert.equal(own.status, 200);
    assert.equal(own.headers.get('x-subject-token'), alice);
    assert.equal(own.body.token.user.name, 'alice');
    assert.ok((own.body.token.catalog ?? []).length === 3);
    const head = await s.keystone('HEAD', '/v3/auth/tokens', undefined, {
      'x-auth-token': alice,
      'x-subject-token': alice,
    });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const others = await s.keystone('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': alice,
      'x-subject-token': bob,
    });
    assert.equal(others.status, 403);
    assert.equal(
      others.error?.message,
      'You are not authorized to perform the requested action: identity:validate_token.',
    );
    const admin = await login(s, 'admin', 'admin');
    const asAdmin = await s.keystone<Token>('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': admin,
      'x-subject-token': bob,
    });
    assert.equal(asAdmin.body.token.user.name, 'bob');
    const bad = await s.keystone('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': admin,
      'x-subject-token': 'nope',
    });
    assert.equal(bad.status, 404);
    assert.equal(bad.error?.message, 'Failed to validate token');
    const anonymous = await s.keystone('GET', '/v3/auth/tokens', undefined, { 'x-subject-token': bob });
    assert.equal(anonymous.status, 401);
  });

  it('expired tokens are refused (validation 404, network API 401)', async () => {
    const t = await login(s, 'alice', 'demo');
    now += 3599_000;
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 200);
    const admin = await login(s, 'admin', 'admin');
    now += 2_000;
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 401);
    const v = await s.keystone('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': admin,
      'x-subject-token': t,
    });
    assert.equal(v.status, 404);
  });

  it('forged tokens are refused: a changed payload, another secret, garbage', async () => {
    const t = await login(s, 'alice', 'demo');
    const [prefix, payload, sig] = t.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as TokenPayload;
    const elevated = Buffer.from(JSON.stringify({ ...claims, r: ['admin', 'member', 'reader'] })).toString(
      'base64url',
    );
    const forged = [
      `${prefix}.${elevated}.${sig}`,
      `${prefix}.${payload}.${'A'.repeat(43)}`,
      // Well-formed and signed, but not with this deployment's secret.
      tokenSigner('another deployment secret, 32+ chars').sign(claims),
      'w1.x',
      '',
      'x'.repeat(5000),
    ];
    for (const f of forged) {
      const r = await s.neutron('GET', '/v2.0/networks', undefined, authHeader(f));
      assert.equal(r.status, 401, f.slice(0, 40));
    }
    // The genuine one still works.
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 200);
  });

  it('revocation: DELETE /v3/auth/tokens, then the token is refused everywhere', async () => {
    const t = await login(s, 'alice', 'demo');
    const keep = await login(s, 'alice', 'demo');
    const del = await s.keystone('DELETE', '/v3/auth/tokens', undefined, {
      'x-auth-token': keep,
      'x-subject-token': t,
    });
    assert.equal(del.status, 204);
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(t))).status, 401);
    const v = await s.keystone('GET', '/v3/auth/tokens', undefined, {
      'x-auth-token': keep,
      'x-subject-token': t,
    });
    assert.equal(v.status, 404);
    // Only that token: the user's other token is untouched.
    assert.equal((await s.neutron('GET', '/v2.0/networks', undefined, authHeader(keep))).status, 200);
    const rec = await s.store.list('token_revocation');
    assert.equal(rec.items.length, 1);
  });
});

describe('Keystone facade: auth keystone on the network API', () => {
  let s: TestServer;
  before(async () => {
    s = await startKeystoneServer();
  });
  after(async () => {
    await s.close();
  });

  it("no token: keystonemiddleware's 401 with WWW-Authenticate", async () => {
    const r = await s.neutron('GET', '/v2.0/networks');
    assert.equal(r.status, 401);
    assert.equal(r.headers.get('www-authenticate'), `Keystone uri="${s.urls.identity}/v3"`);
    assert.deepEqual(r.body, {
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
    // Discovery stays open: clients read it before they authenticate.
    assert.equal((await s.neutron('GET', '/')).status, 200);
  });

  it('a member creates in its project; a reader lists but cannot create; admin-only attributes', async () => {
    const alice = authHeader(await login(s, 'alice', 'demo'));
    const rita = authHeader(await login(s, 'rita', 'demo'));
    const admin = authHeader(await login(s, 'admin', 'admin'));
    const created = await s.neutron<One<'network', NetworkView>>(
      'POST',
      '/v2.0/networks',
      { network: { name: 'n1' } },
      alice,
    );
    assert.equal(created.status, 201, created.text);
    const demoId = (
      await s.keystone<Token>('GET', '/v3/auth/tokens', undefined, {
        ...alice,
        'x-subject-token': alice['x-auth-token'] as string,
      })
    ).body.token.project?.id;
    assert.equal(created.body.network.project_id, demoId);
    const listed = await s.neutron<Many<'networks', NetworkView>>('GET', '/v2.0/networks', undefined, rita);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.networks.map((n) => n.name),
      ['n1'],
    );
    const denied = await s.neutron('POST', '/v2.0/networks', { network: { name: 'n2' } }, rita);
    assert.equal(denied.status, 403);
    assert.equal(denied.error?.type, 'PolicyNotAuthorized');
    const provider = { network: { name: 'p', 'provider:network_type': 'vxlan' } };
    const memberProvider = await s.neutron('POST', '/v2.0/networks', provider, alice);
    assert.equal(memberProvider.status, 403);
    assert.equal(memberProvider.error?.type, 'PolicyNotAuthorized');
    assert.equal((await s.neutron('POST', '/v2.0/networks', provider, admin)).status, 201);
    // The admin sees every project's networks; the member only its own.
    assert.equal(
      (await s.neutron<Many<'networks', NetworkView>>('GET', '/v2.0/networks', undefined, admin)).body
        .networks.length,
      2,
    );
    assert.equal(
      (await s.neutron<Many<'networks', NetworkView>>('GET', '/v2.0/networks', undefined, alice)).body
        .networks.length,
      1,
    );
  });

  it('the load-balancer API validates tokens too', async () => {
    assert.equal((await s.octavia('GET', '/v2/lbaas/loadbalancers')).status, 401);
  });
});
