// Keystone's wire shapes: the token body (as keystone/common/render_token.py builds it), projects,
// the Default domain, users and roles, with `links` pointing back at this API.
import type { Project } from '@weir/model';
import type { CatalogEntry } from './catalog.js';
import { DEFAULT_DOMAIN, roleId, type User } from './directory.js';
import type { ValidToken } from './service.js';

type Obj = Record<string, unknown>;

/** Keystone's timestamps: microseconds and a "Z" ("2026-01-01T00:00:00.000000Z"). */
export function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const domainRef = { id: DEFAULT_DOMAIN.id, name: DEFAULT_DOMAIN.name };

export function roleRef(name: string): Obj {
  return { id: roleId(name), name };
}

export function renderToken(v: ValidToken, catalog: readonly CatalogEntry[] | undefined): Obj {
  const token: Obj = {
    methods: v.payload.m,
    user: { domain: domainRef, id: v.user.id, name: v.user.name, password_expires_at: null },
    audit_ids: v.payload.a,
    expires_at: keystoneTime(v.payload.e),
    issued_at: keystoneTime(v.payload.i),
  };
  if (v.project) {
    token.project = { domain: domainRef, id: v.project.id, name: v.project.name };
    token.is_domain = false;
    token.roles = v.roles.map(roleRef);
    if (catalog) token.catalog = catalog;
  }
  return { token };
}

export function projectView(p: Project, base: string): Obj {
  return {
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: p.description,
    enabled: p.enabled,
    // Top-level projects have their domain as parent.
    parent_id: p.domainId,
    is_domain: false,
    tags: p.tags,
    options: {},
    links: { self: `${base}/v3/projects/${p.id}` },
  };
}

export function domainView(base: string): Obj {
  return {
    ...DEFAULT_DOMAIN,
    enabled: true,
    tags: [],
    options: {},
    links: { self: `${base}/v3/domains/${DEFAULT_DOMAIN.id}` },
  };
}

export function userView(u: User, base: string): Obj {
  return {
    id: u.id,
    name: u.name,
    domain_id: u.domainId,
    enabled: true,
    password_expires_at: null,
    options: {},
    links: { self: `${base}/v3/users/${u.id}` },
  };
}

export function roleView(name: string, base: string): Obj {
  const id = roleId(name);
  return {
    id,
    name,
    domain_id: null,
    description: null,
    options: {},
    links: { self: `${base}/v3/roles/${id}` },
  };
}

/** A collection's `links` (the facade never pages). */
export function collectionLinks(self: string): Obj {
  return { self, previous: null, next: null };
}
