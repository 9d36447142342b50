// Leases are etcd leases, kept alive by the etcd3 client's keep-alive stream for as long as this
// store client is open. Closing the client (or the process dying) stops the keep-alives, so the
// lease ends `ttlSeconds` later and etcd deletes every key bound to it: the object, its locator
// and its index entries (commit.ts binds all three), so nothing dangles.
import { WeirError } from '@weir/model';
import type { Lease as EtcdLease } from 'etcd3';
import type { Lease } from '../store.js';
import type { EtcdConnection } from './connection.js';
import { storeError } from './errors.js';

export class Leases {
  private readonly live = new Set<EtcdLease>();

  constructor(
    private readonly connection: EtcdConnection,
    /** Resolves when this client may write (see the write barrier in store.ts). */
    private readonly beforeWrite: () => Promise<unknown>,
  ) {}

  async grant(ttlSeconds: number): Promise<Lease> {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1)
      throw new WeirError('WEIR_MODEL_INVALID', 'ttlSeconds must be a positive integer');
    if (this.connection.isClosed)
      throw new WeirError('WEIR_STORE_UNAVAILABLE', 'grantLease: the store was closed');
    const lease = this.connection.client.lease(ttlSeconds, { autoKeepAlive: true });
    // Lost: etcd ended it (it expired while we could not reach etcd); its objects are gone.
    lease.on('lost', () => this.live.delete(lease));
    this.live.add(lease);
    let id: string;
    try {
      id = await lease.grant();
    } catch (error) {
      this.live.delete(lease);
      lease.release();
      throw storeError(error, 'grantLease');
    }
    return {
      id,
      ttlSeconds,
      revoke: async () => {
        // Revoking deletes keys, a write that a watch started just before must see.
        await this.beforeWrite();
        this.live.delete(lease);
        try {
          await lease.revoke();
        } catch (error) {
          throw storeError(error, 'revoke lease');
        }
      },
    };
  }

  /** Stops every keep-alive (the leases then run down on the server). */
  releaseAll(): void {
    for (const lease of this.live) lease.release();
    this.live.clear();
  }
}
