// Unique keys: 32-bit numbers, distinct per table, never reused (OpenFlow registers carry them).
// Without durable storage nothing outlives the process, so every key is available at once. With
// it, keys come in blocks whose reservation is made durable before any key of the block is handed
// out; a restart starts after the last reserved block (keys are never reused, gaps are fine).
import { WeirError, type TableName } from '@weir/model';
import type { StoreState } from './state.js';

export const MAX_UNIQUE_KEY = 0xffffffff;

export interface KeyReservations {
  /** Keys reserved per durable write. */
  readonly block: number;
  /** Makes "keys of `table` up to `limit` may have been handed out" durable. */
  persist(table: TableName, limit: number): Promise<void>;
}

interface Pool {
  next: number;
  /** Keys up to this one may be handed out. */
  limit: number;
  reserving?: Promise<void> | undefined;
}

export class UniqueKeys {
  private readonly pools = new Map<TableName, Pool>();

  constructor(
    private readonly state: StoreState,
    private readonly reservations: KeyReservations | undefined,
  ) {}

  async allocate(table: TableName): Promise<number> {
    const pool = this.pool(table);
    for (;;) {
      if (pool.next <= pool.limit) return pool.next++;
      if (pool.limit >= MAX_UNIQUE_KEY)
        throw new WeirError('WEIR_STORE_TOO_LARGE', `${table}: every 32-bit unique key has been handed out`);
      pool.reserving ??= this.reserve(table, pool).finally(() => {
        pool.reserving = undefined;
      });
      await pool.reserving;
    }
  }

  private pool(table: TableName): Pool {
    let pool = this.pools.get(table);
    if (!pool) {
      const reserved = this.state.uniqueKeyReserved.get(table) ?? 0;
      pool = this.reservations ? { next: reserved + 1, limit: reserved } : { next: 1, limit: MAX_UNIQUE_KEY };
      this.pools.set(table, pool);
    }
    return pool;
  }

  private async reserve(table: TableName, pool: Pool): Promise<void> {
    const reservations = this.reservations as KeyReservations;
    const limit = Math.min(pool.limit + reservations.block, MAX_UNIQUE_KEY);
    // Recorded in the state before it is durable, so a snapshot captured meanwhile includes it.
    this.state.uniqueKeyReserved.set(table, limit);
    await reservations.persist(table, limit);
    pool.limit = limit;
  }
}
