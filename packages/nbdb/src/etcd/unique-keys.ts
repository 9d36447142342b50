// 32-bit unique keys (OpenFlow register values) per table, never reused. The counter key holds
// the highest key handed out to any client; a client reserves a block of keys by moving it
// forward with compare-and-swap, then hands them out locally without talking to etcd. Writers
// therefore contend once per block, not once per object; keys left in a block when a client
// goes away are simply never used (gaps are fine, reuse is not).
import { WeirError, type TableName } from '@weir/model';
import type { IKeyValue } from 'etcd3';
import { enc } from './codec.js';
import type { EtcdConnection } from './connection.js';

const MAX_UNIQUE_KEY = 0xffffffff;

interface Block {
  next: number;
  last: number;
  reserving?: Promise<void> | undefined;
}

export class UniqueKeys {
  private readonly blocks = new Map<TableName, Block>();

  constructor(
    private readonly connection: EtcdConnection,
    private readonly counterKey: (table: TableName) => string,
    private readonly blockSize: number,
  ) {}

  async allocate(table: TableName): Promise<number> {
    let block = this.blocks.get(table);
    if (!block) {
      block = { next: 1, last: 0 };
      this.blocks.set(table, block);
    }
    for (;;) {
      if (block.next <= block.last) return block.next++;
      const b = block;
      // One reservation at a time per table; concurrent callers wait for it and share the block.
      b.reserving ??= this.reserve(table, b).finally(() => (b.reserving = undefined));
      await b.reserving;
    }
  }

  private async reserve(table: TableName, block: Block): Promise<void> {
    const key = enc(this.counterKey(table));
    let current: IKeyValue | undefined = (await this.connection.range({ key }, 'allocateUniqueKey')).kvs[0];
    for (;;) {
      const highest = current ? Number(current.value.toString('utf8')) : 0;
      if (highest >= MAX_UNIQUE_KEY)
        throw new WeirError('WEIR_STORE_TOO_LARGE', `${table}: every 32-bit unique key has been handed out`);
      const last = Math.min(highest + this.blockSize, MAX_UNIQUE_KEY);
      const response = await this.connection.txn(
        {
          compare: [
            current
              ? { key, target: 'Mod', result: 'Equal', mod_revision: current.mod_revision }
              : { key, target: 'Create', result: 'Equal', create_revision: 0 },
          ],
          success: [{ request_put: { key, value: enc(String(last)) } }],
          failure: [{ request_range: { key } }],
        },
        'allocateUniqueKey',
        // Safe to resend: a lost-but-applied reservation only wastes a block.
        true,
      );
      if (response.succeeded) {
        block.next = highest + 1;
        block.last = last;
        return;
      }
      current = response.responses[0]?.response_range.kvs[0];
    }
  }
}
