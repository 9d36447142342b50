// Leases of the embedded drivers: in-process records. A lease stays alive while the store client
// that granted it is open (the embedded equivalent of etcd's keep-alive); when that client closes
// it ends `ttlSeconds` later, as an etcd lease does when its keep-alives stop. Ending a lease
// deletes the objects bound to it (the engine does that, through `end`).
import { randomBytes } from 'node:crypto';

interface LeaseRecord {
  readonly ttlSeconds: number;
  readonly owner: object;
  timer?: NodeJS.Timeout;
}

export class LeaseManager {
  private readonly leases = new Map<string, LeaseRecord>();

  constructor(private readonly end: (id: string) => Promise<void>) {}

  grant(ttlSeconds: number, owner: object): string {
    const id = randomBytes(8).toString('hex');
    this.leases.set(id, { ttlSeconds, owner });
    return id;
  }

  /** Whether new objects may be bound to the lease. */
  alive(id: string): boolean {
    return this.leases.has(id);
  }

  /** `owner` stopped keeping its leases alive (it closed): each ends after its TTL. */
  ownerGone(owner: object): void {
    for (const [id, lease] of this.leases) {
      if (lease.owner !== owner || lease.timer) continue;
      lease.timer = setTimeout(() => {
        this.revoke(id).catch(() => {
          // The store closed or failed meanwhile: its objects go with it.
        });
      }, lease.ttlSeconds * 1000);
      // Expiry must not keep a process alive that has nothing else to do.
      lease.timer.unref();
    }
  }

  async revoke(id: string): Promise<void> {
    const lease = this.leases.get(id);
    if (!lease) return;
    clearTimeout(lease.timer);
    this.leases.delete(id);
    await this.end(id);
  }

  clear(): void {
    for (const lease of this.leases.values()) clearTimeout(lease.timer);
    this.leases.clear();
  }
}
