// The etcd read batcher on its own (its `send` is the boundary to etcd, scripted here): what joins
// a batch, how answers are split, and that a member's own failure stays its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IRequestOp, IResponseOp } from 'etcd3';
import { WeirError } from '@weir/model';
import { ReadBatcher, type ReadResult } from '../src/etcd/read-batch.js';

const op = (key: string): IRequestOp => ({ request_range: { key: Buffer.from(key) } });
const keyOf = (o: IRequestOp): string => (o.request_range?.key as Buffer).toString();

/** A scripted etcd: answers each range with its key; keys starting with "bad" fail the txn. */
function scripted(): { sent: string[][]; send: (ops: readonly IRequestOp[]) => Promise<ReadResult> } {
  const sent: string[][] = [];
  return {
    sent,
    send: (ops) => {
      const keys = ops.map(keyOf);
      sent.push(keys);
      if (keys.some((k) => k.startsWith('down')))
        return Promise.reject(new WeirError('WEIR_STORE_UNAVAILABLE', 'etcd: unreachable'));
      if (keys.some((k) => k.startsWith('bad')))
        return Promise.reject(new WeirError('WEIR_STORE_COMPACTED', 'required revision has been compacted'));
      const responses = keys.map(
        (k) =>
          ({
            response_range: { kvs: [{ key: Buffer.from(k) }], more: false, count: '1' },
          }) as unknown as IResponseOp,
      );
      return Promise.resolve({ header: { revision: '7' } as ReadResult['header'], responses });
    },
  };
}

const answer = (r: ReadResult): string[] =>
  r.responses.map((x) => (x.response_range.kvs[0]?.key as Buffer).toString());

describe('etcd read batching', () => {
  it('reads of one turn travel together; each caller gets its own answers, in order', async () => {
    const etcd = scripted();
    const b = new ReadBatcher(etcd.send, 128);
    const [x, y, z] = await Promise.all([
      b.read([op('a'), op('b')], 'x'),
      b.read([op('c')], 'y'),
      b.read([], 'z'),
    ]);
    assert.deepEqual(etcd.sent, [['a', 'b', 'c']]);
    assert.deepEqual([answer(x), answer(y), answer(z)], [['a', 'b'], ['c'], []]);
    assert.equal(x.header.revision, '7');
    // The next turn is a new batch.
    await b.read([op('d')], 'w');
    assert.deepEqual(etcd.sent, [['a', 'b', 'c'], ['d']]);
  });

  it('a batch never exceeds the operation limit', async () => {
    const etcd = scripted();
    const b = new ReadBatcher(etcd.send, 3);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => b.read([op(k)], k)));
    assert.deepEqual(etcd.sent, [
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('a member whose own read fails fails alone; the others are answered', async () => {
    const etcd = scripted();
    const b = new ReadBatcher(etcd.send, 128);
    const results = await Promise.allSettled([
      b.read([op('a')], 'a'),
      b.read([op('bad')], 'bad'),
      b.read([op('c')], 'c'),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? answer(r.value) : (r.reason as WeirError).code)),
      [['a'], 'WEIR_STORE_COMPACTED', ['c']],
    );
    assert.deepEqual(etcd.sent, [['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('an unreachable etcd fails every member at once, without sending each again', async () => {
    const etcd = scripted();
    const b = new ReadBatcher(etcd.send, 128);
    const results = await Promise.allSettled([b.read([op('a')], 'a'), b.read([op('down')], 'd')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(etcd.sent.length, 1);
  });
});
