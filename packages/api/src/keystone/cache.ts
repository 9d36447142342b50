// What token validation needs from the store, kept in memory from one watch: every project
// (enabled? still there?) and every revoked audit id. Validating a token then reads nothing from
// the store, and a project disabled or a token revoked through any replica takes effect on every
// replica as soon as its watch delivers the change (milliseconds, not keystonemiddleware's
// five-minute token cache). The store stays the source of truth: a missing project is read once
// more from the store before a token is refused (it may have been created a moment ago elsewhere).
import type { Project, TokenRevocation } from '@weir/model';
import type { Store, Watch, WatchBatch } from '@weir/nbdb';

export class IdentityCache {
  private projects = new Map<string, Project>();
  /** audit id → expiry (ms); expired entries are dropped as they are met. */
  private revoked = new Map<string, number>();
  private watch: Watch | undefined;
  /** While re-listing after a reset: batches that arrive meanwhile, applied after the list. */
  private pending: WatchBatch[] | undefined;
  private closed = false;

  private constructor(private readonly store: Store) {}

  static async open(store: Store): Promise<IdentityCache> {
    const cache = new IdentityCache(store);
    const revision = await cache.load();
    cache.watch = store.watch({ tables: ['project', 'token_revocation'], fromRevision: revision }, (b) =>
      cache.onBatch(b),
    );
    return cache;
  }

  project(id: string): Project | undefined {
    return this.projects.get(id);
  }

  allProjects(): IterableIterator<Project> {
    return this.projects.values();
  }

  isRevoked(auditId: string, now: number): boolean {
    const expires = this.revoked.get(auditId);
    if (expires === undefined) return false;
    if (expires <= now) this.revoked.delete(auditId);
    return true;
  }

  /** This replica's own revocation applies at once, before its watch echoes it. */
  noteRevoked(auditId: string, expiresAt: number): void {
    this.revoked.set(auditId, expiresAt);
  }

  close(): void {
    this.closed = true;
    this.watch?.close();
  }

  /** Lists both tables into fresh maps; returns the oldest revision the lists reflect. */
  private async load(): Promise<number> {
    const [projects, revocations] = await Promise.all([
      this.store.list('project'),
      this.store.list('token_revocation'),
    ]);
    this.projects = new Map(projects.items.map((p) => [p.id, p]));
    this.revoked = new Map(revocations.items.map((r) => [r.id, Date.parse(r.expiresAt)]));
    return Math.min(projects.revision, revocations.revision);
  }

  private onBatch(batch: WatchBatch): void {
    if (this.pending) {
      this.pending.push(batch);
      return;
    }
    if (batch.events.some((e) => e.type === 'reset')) {
      this.relist();
      return;
    }
    this.apply(batch);
  }

  private apply(batch: WatchBatch): void {
    for (const e of batch.events) {
      if (e.type === 'reset') continue;
      if (e.type === 'put') {
        if (e.table === 'project') this.projects.set(e.object.id, e.object as Project);
        else {
          const r = e.object as TokenRevocation;
          this.revoked.set(r.id, Date.parse(r.expiresAt));
        }
      } else if (e.table === 'project') this.projects.delete(e.prev.id);
      // A deleted revocation record is an expired one: its token is refused for expiry anyway.
      else this.revoked.delete(e.prev.id);
    }
  }

  /** History was lost: read everything again; batches newer than the lists are applied after. */
  private relist(): void {
    this.pending ??= [];
    this.load().then(
      (revision) => {
        const later = (this.pending ?? []).filter((b) => b.revision > revision);
        this.pending = undefined;
        for (const b of later) this.onBatch(b);
      },
      (error: unknown) => {
        // Keep the old view and keep buffering; try again shortly (the store may be restarting).
        if (this.closed) return;
        process.emitWarning(`keystone: re-reading projects and revocations failed: ${String(error)}`);
        setTimeout(() => this.relist(), 1000).unref();
      },
    );
  }
}
