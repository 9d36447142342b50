// The facade's core: issuing, validating and revoking tokens. Validation reads nothing from the
// store on the common path (signature, expiry, revocation and project state are all in memory),
// so `auth: keystone` costs the network API one HMAC per request.
import type { CoreContext } from '@weir/core';
import type { Project } from '@weir/model';
import type { IdentityCache } from './cache.js';
import { buildCatalog, type CatalogEntry, type Endpoints } from './catalog.js';
import type { Directory, RoleName, User } from './directory.js';
import { unauthorized } from './errors.js';
import { recordRevocation, sweepRevocations } from './revocations.js';
import { newAuditId, type TokenPayload, type TokenSigner } from './tokens.js';

export interface ValidToken {
  /** The token itself (what goes in X-Auth-Token / X-Subject-Token). */
  readonly id: string;
  readonly payload: TokenPayload;
  readonly user: User;
  /** The project of a project-scoped token; absent for an unscoped one. */
  readonly project?: Project;
  /** Roles in force: the token's, as far as the user still has them. */
  readonly roles: readonly RoleName[];
}

export interface NewToken {
  readonly user: User;
  readonly project?: Project;
  readonly roles: readonly RoleName[];
  readonly methods: readonly string[];
  /** Rescoped tokens keep the expiry of the token they come from. */
  readonly expiresAt?: number;
  /** The audit id of the token this one was rescoped from (the chain's first). */
  readonly parentAuditId?: string;
}

export interface KeystoneDeps {
  readonly ctx: CoreContext;
  readonly directory: Directory;
  readonly cache: IdentityCache;
  readonly signer: TokenSigner;
  readonly ttlMs: number;
  readonly region: string;
  /** Milliseconds since the epoch (injectable so tests can expire tokens). */
  readonly now: () => number;
}

const SWEEP_INTERVAL_MS = 60_000;

export class Keystone {
  private endpoints: Endpoints | undefined;
  private lastSweep = 0;

  constructor(readonly deps: KeystoneDeps) {}

  get directory(): Directory {
    return this.deps.directory;
  }

  now(): number {
    return this.deps.now();
  }

  setEndpoints(endpoints: Endpoints): void {
    this.endpoints = endpoints;
  }

  catalog(): CatalogEntry[] {
    return this.endpoints ? buildCatalog(this.endpoints, this.deps.region) : [];
  }

  /** A project by id: the watched copy, else the store (created a moment ago elsewhere). */
  async project(id: string): Promise<Project | undefined> {
    return this.deps.cache.project(id) ?? (await this.deps.ctx.store.get('project', id));
  }

  /** A project by name in a domain (names are unique per domain). */
  async projectByName(name: string, domainId: string): Promise<Project | undefined> {
    const match = (p: Project): boolean => p.name === name && p.domainId === domainId;
    for (const p of this.deps.cache.allProjects()) if (match(p)) return p;
    return (await this.deps.ctx.store.list('project')).items.find(match);
  }

  issue(t: NewToken): ValidToken {
    const now = this.now();
    const payload: TokenPayload = {
      u: t.user.id,
      ...(t.project ? { p: t.project.id } : {}),
      r: t.roles,
      m: t.methods,
      i: now,
      e: t.expiresAt ?? now + this.deps.ttlMs,
      a: t.parentAuditId === undefined ? [newAuditId()] : [newAuditId(), t.parentAuditId],
    };
    return {
      id: this.deps.signer.sign(payload),
      payload,
      user: t.user,
      ...(t.project ? { project: t.project } : {}),
      roles: t.roles,
    };
  }

  /** The token's meaning, or Keystone's 401 (forged, expired, revoked, user or project gone). */
  async validate(token: string | undefined): Promise<ValidToken> {
    const v = token === undefined ? undefined : await this.check(token);
    if (!v) throw unauthorized();
    return v;
  }

  /** Like validate, but undefined instead of an error (for X-Subject-Token, which is a 404). */
  async check(token: string): Promise<ValidToken | undefined> {
    const payload = this.deps.signer.verify(token);
    const now = this.now();
    if (!payload || payload.e <= now || this.deps.cache.isRevoked(payload.a[0] as string, now))
      return undefined;
    const user = this.deps.directory.userById(payload.u);
    if (!user) return undefined;
    if (payload.p === undefined) return { id: token, payload, user, roles: [] };
    const project = await this.project(payload.p);
    if (!project || !project.enabled) return undefined;
    // A role taken away in the configuration is taken away from existing tokens too.
    const current = new Set(this.deps.directory.rolesOn(user, project.id));
    const roles = (payload.r as RoleName[]).filter((r) => current.has(r));
    if (roles.length === 0) return undefined;
    return { id: token, payload, user, project, roles };
  }

  async revoke(v: ValidToken): Promise<void> {
    const auditId = v.payload.a[0] as string;
    await recordRevocation(this.deps.ctx, auditId, v.payload.e);
    this.deps.cache.noteRevoked(auditId, v.payload.e);
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      // Housekeeping only: a failure leaves expired records, which cost nothing but space.
      void sweepRevocations(this.deps.ctx, now).catch(() => undefined);
    }
  }
}
