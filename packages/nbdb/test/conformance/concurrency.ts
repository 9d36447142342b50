// Two clients on the same data racing each other: unique keys, CAS, claims, creates.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { isWeirError, type WeirErrorCode } from '@weir/model';
import type { CommitResult, Store } from '../../src/store.js';
import type { StoreFactory } from './factory.js';
import { fx } from './fixtures.js';

/** Settles every commit; returns how many succeeded and the codes of the failures. */
async function race(commits: Promise<CommitResult>[]): Promise<{ won: number; codes: WeirErrorCode[] }> {
  const results = await Promise.allSettled(commits);
  const codes: WeirErrorCode[] = [];
  let won = 0;
  for (const r of results) {
    if (r.status === 'fulfilled') won++;
    else if (isWeirError(r.reason)) codes.push(r.reason.code);
    else throw r.reason;
  }
  return { won, codes };
}

export function concurrencySuite(f: StoreFactory): void {
  const openSecond = f.openSecond?.bind(f);
  describe('concurrent clients', { skip: openSecond ? false : 'the driver has no second client' }, () => {
    const two = async (): Promise<[Store, Store]> => {
      const a = await f.open();
      const b = await (openSecond as () => Promise<Store>)();
      return [a, b];
    };

    it('a second client sees the first one’s writes', async () => {
      const [a, b] = await two();
      const net = fx.network();
      const { written } = await a.commit([{ kind: 'create', table: 'logical_switch', object: net }]);
      assert.deepEqual(await b.get('logical_switch', net.id), written[0]);
    });

    it('unique keys: 2 clients x 500 allocations, no duplicates', async () => {
      const [a, b] = await two();
      const keys = await Promise.all(
        Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? a : b).allocateUniqueKey('logical_port')),
      );
      assert.equal(new Set(keys).size, 1000, 'every key is distinct');
      for (const k of keys) assert.ok(Number.isInteger(k) && k > 0 && k <= 0xffffffff, `32-bit key: ${k}`);
      const other = await a.allocateUniqueKey('logical_switch');
      assert.ok(Number.isInteger(other));
    });

    it('two clients racing a CAS update on one object: exactly one wins', async () => {
      const [a, b] = await two();
      const net = fx.network();
      let [current] = (await a.commit([{ kind: 'create', table: 'logical_switch', object: net }])).written;
      for (let round = 0; round < 20; round++) {
        assert.ok(current);
        const base = current;
        const { won, codes } = await race([
          a.commit([{ kind: 'update', table: 'logical_switch', object: { ...base, name: `a${round}` } }]),
          b.commit([{ kind: 'update', table: 'logical_switch', object: { ...base, name: `b${round}` } }]),
        ]);
        assert.equal(won, 1, `round ${round}: exactly one update wins`);
        assert.deepEqual(codes, ['WEIR_STORE_CONFLICT']);
        current = await a.get('logical_switch', net.id);
        assert.match(current?.name ?? '', new RegExp(`^[ab]${round}$`));
      }
    });

    it('many racing claims of one value: exactly one owner gets it', async () => {
      const [a, b] = await two();
      const ns = `subnet:${randomUUID()}`;
      const { won, codes } = await race(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).commit([
            { kind: 'claim', namespace: ns, key: '10.0.0.7', owner: `port-${i}` },
          ]),
        ),
      );
      assert.equal(won, 1);
      assert.deepEqual(codes, new Array(19).fill('WEIR_STORE_CLAIMED'));
      const claims = await b.listClaims(ns);
      assert.equal(claims.length, 1);
      assert.match(claims[0]?.owner ?? '', /^port-\d+$/);
    });

    it('racing creates of one id: exactly one wins, the others get WEIR_STORE_EXISTS', async () => {
      const [a, b] = await two();
      const net = fx.network();
      const { won, codes } = await race(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).commit([
            { kind: 'create', table: 'logical_switch', object: { ...net, name: `n${i}` } },
          ]),
        ),
      );
      assert.equal(won, 1);
      assert.deepEqual(codes, new Array(9).fill('WEIR_STORE_EXISTS'));
    });

    it('address allocation with claims under contention never hands a value out twice', async () => {
      const [a, b] = await two();
      const ns = `subnet:${randomUUID()}`;
      const pool = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 2}`);
      // Each writer walks the pool from a different place and retries on WEIR_STORE_CLAIMED, as
      // @weir/core's IPAM does; 30 ports for 20 addresses: 20 succeed, 10 find the pool exhausted.
      const createPort = async (store: Store, n: number): Promise<string | undefined> => {
        const port = fx.port({ networkId: randomUUID() });
        for (let i = 0; i < pool.length; i++) {
          const address = pool[(n * 7 + i) % pool.length] as string;
          try {
            await store.commit([
              { kind: 'create', table: 'logical_port', object: port },
              { kind: 'claim', namespace: ns, key: address, owner: port.id },
            ]);
            return address;
          } catch (error) {
            if (!isWeirError(error, 'WEIR_STORE_CLAIMED')) throw error;
          }
        }
        return undefined;
      };
      const got = await Promise.all(Array.from({ length: 30 }, (_, n) => createPort(n % 2 === 0 ? a : b, n)));
      const handed = got.filter((x): x is string => x !== undefined);
      assert.equal(handed.length, 20);
      assert.equal(new Set(handed).size, 20, 'no address twice');
      assert.equal((await a.listClaims(ns)).length, 20);
    });
  });
}
