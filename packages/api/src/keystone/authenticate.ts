// `POST /v3/auth/tokens`: the request body checked the way Keystone checks it (its JSON schema,
// then AuthInfo's rules, with the same messages), then the methods (password, token) and the
// scope (a project, or none). Domain, system and trust scopes are refused like an assignment that
// does not exist: the facade has no roles on domains or the system.
import type { Project } from '@weir/model';
import { DEFAULT_DOMAIN, type User } from './directory.js';
import { expecting, invalidField, pyRepr, unauthorized, unsupportedMethod } from './errors.js';
import { verifyPassword, DECOY_HASH } from './passwords.js';
import type { Keystone, NewToken, ValidToken } from './service.js';

type Obj = Record<string, unknown>;

const SUPPORTED = new Set(['password', 'token']);
const SCOPES = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'] as const;
const SCOPE_CHOICES = 'system, project, domain, OS-TRUST:trust or unscoped';

function object(value: unknown, field: string | undefined): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalidField(field, `${pyRepr(value)} is not of type 'object'`);
  return value as Obj;
}

function optionalObject(parent: Obj, key: string, field: string): Obj | undefined {
  return parent[key] === undefined ? undefined : object(parent[key], field);
}

function optionalString(parent: Obj, key: string, field: string): string | undefined {
  const v = parent[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidField(field, `${pyRepr(v)} is not of type 'string'`);
  return v;
}

/** {id} or {name}: Keystone's "id or name must be present" rule for users, projects, domains. */
function idOrName(o: Obj, field: string): { id?: string; name?: string } {
  const id = optionalString(o, 'id', `${field}/id`);
  const name = optionalString(o, 'name', `${field}/name`);
  if (id === undefined && name === undefined)
    throw invalidField(undefined, `Invalid input for field ${field}: id or name must be present.`);
  return { ...(id === undefined ? {} : { id }), ...(name === undefined ? {} : { name }) };
}

/** The domain a reference names; only Default exists, anything else is a 401 like Keystone's. */
function domainId(ref: Obj, field: string): string {
  const d = idOrName(ref, field);
  if (d.name !== undefined ? d.name === DEFAULT_DOMAIN.name : d.id === DEFAULT_DOMAIN.id)
    return DEFAULT_DOMAIN.id;
  throw unauthorized();
}

type Scope = { kind: 'unscoped' } | { kind: 'project'; project: Project };

async function scopeOf(ks: Keystone, auth: Obj): Promise<Scope> {
  const scope = auth.scope;
  if (scope === undefined) return { kind: 'unscoped' };
  if (typeof scope === 'string') {
    if (scope === 'unscoped') return { kind: 'unscoped' };
    throw expecting(SCOPE_CHOICES, 'scope');
  }
  const s = object(scope, 'scope');
  if (SCOPES.filter((k) => k in s).length !== 1) throw expecting(SCOPE_CHOICES, 'scope');
  if ('unscoped' in s) return { kind: 'unscoped' };
  if (!('project' in s)) {
    // Domain, system and trust scopes: valid requests for roles nobody has here.
    if ('domain' in s) idOrName(object(s.domain, 'scope/domain'), 'scope/domain');
    throw unauthorized();
  }
  const ref = object(s.project, 'scope/project');
  const p = idOrName(ref, 'scope/project');
  const domainRef = optionalObject(ref, 'domain', 'scope/project/domain');
  if (domainRef) idOrName(domainRef, 'scope/project/domain');
  let project: Project | undefined;
  if (p.name !== undefined) {
    if (!domainRef) throw expecting('domain', 'project');
    project = await ks.projectByName(p.name, domainId(domainRef, 'scope/project/domain'));
  } else project = await ks.project(p.id as string);
  if (!project || !project.enabled) throw unauthorized();
  return { kind: 'project', project };
}

async function passwordUser(ks: Keystone, payload: Obj): Promise<User> {
  const userRef = optionalObject(payload, 'user', 'identity/password/user');
  if (!userRef) throw expecting('user', 'password');
  const ref = idOrName(userRef, 'identity/password/user');
  const domainRef = optionalObject(userRef, 'domain', 'identity/password/user/domain');
  if (domainRef) idOrName(domainRef, 'identity/password/user/domain');
  const password = optionalString(userRef, 'password', 'identity/password/user/password');
  let user: User | undefined;
  if (ref.id !== undefined) user = ks.directory.userById(ref.id);
  else {
    if (!domainRef) throw expecting('domain', 'user');
    user = ks.directory.userByName(ref.name as string, domainId(domainRef, 'identity/password/user/domain'));
  }
  // The same work whether or not the user exists: no user enumeration by timing.
  const ok = await verifyPassword(password ?? '', user?.passwordHash ?? DECOY_HASH);
  if (!user || !ok || password === undefined) throw unauthorized();
  return user;
}

/** Checks an auth request and returns the token it earns (or throws Keystone's error). */
export async function authenticate(ks: Keystone, body: unknown): Promise<ValidToken> {
  const auth = typeof body === 'object' && body !== null ? (body as Obj).auth : undefined;
  if (auth === undefined || auth === null) throw expecting('auth', 'request body');
  const a = object(auth, undefined);
  if (a.identity === undefined) throw invalidField(undefined, "'identity' is a required property");
  const identity = object(a.identity, 'identity');
  if (identity.methods === undefined) throw invalidField('identity', "'methods' is a required property");
  const methods = identity.methods;
  if (!Array.isArray(methods))
    throw invalidField('identity/methods', `${pyRepr(methods)} is not of type 'array'`);
  methods.forEach((m: unknown, i) => {
    if (typeof m !== 'string')
      throw invalidField(`identity/methods/${i}`, `${pyRepr(m)} is not of type 'string'`);
  });
  const names = [...new Set(methods as string[])];
  for (const m of names) if (!(m in identity)) throw expecting(m, 'identity');
  for (const m of names) if (!SUPPORTED.has(m)) throw unsupportedMethod();
  if (names.length === 0) throw unauthorized();

  const scope = await scopeOf(ks, a);
  let user: User | undefined;
  let from: ValidToken | undefined;
  for (const m of names) {
    let who: User;
    if (m === 'password') who = await passwordUser(ks, object(identity.password, 'identity/password'));
    else {
      const payload = object(identity.token, 'identity/token');
      if (payload.id === undefined) throw invalidField('identity/token', "'id' is a required property");
      const id = optionalString(payload, 'id', 'identity/token/id') as string;
      from = await ks.validate(id);
      who = from.user;
    }
    // Several methods must all name the same user.
    if (user && user.id !== who.id) throw unauthorized();
    user = who;
  }
  const u = user as User;
  const token: NewToken = {
    user: u,
    methods: from ? [...new Set([...names, ...from.payload.m])] : names,
    roles: [],
    ...(from
      ? { expiresAt: from.payload.e, parentAuditId: from.payload.a[1] ?? (from.payload.a[0] as string) }
      : {}),
  };
  if (scope.kind === 'unscoped') return ks.issue(token);
  const roles = ks.directory.rolesOn(u, scope.project.id);
  if (roles.length === 0) throw unauthorized();
  return ks.issue({ ...token, project: scope.project, roles });
}
