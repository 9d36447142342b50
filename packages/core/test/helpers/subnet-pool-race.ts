// Subnet allocation races on one pool, with two store clients (as two API replicas would be):
// 1. 40 subnets of mixed lengths (/26, /27, /28) asked at once from a /24, each on its own
//    network (creates on one network are serialised by the network already): the winners never
//    overlap, every loser is SubnetAllocationError, and a loser's size really does not fit in
//    what is left; the pool's claims are exactly the winners' CIDRs.
// 2. Ten rounds of two creates at once on a /26 pool, one asking for the whole /26 and one for a
//    /27: prefixes that overlap without being equal, which no claim on an exact key can see.
//    Exactly one wins each round.
import assert from 'node:assert/strict';
import { isWeirError, type Subnet } from '@weir/model';
import type { Store } from '@weir/nbdb';
import {
  createContext,
  createNetwork,
  createSubnet,
  createSubnetPool,
  deleteSubnet,
  parsePrefix,
  prefixesOverlap,
  subnetPoolNamespace,
  type Actor,
  type Prefix,
} from '../../src/index.js';
import { difference, firstFit, isSubset, setOf } from '../../src/prefix-set.js';

const actor: Actor = { projectId: 'd4'.repeat(16), admin: false };

function prefixOf(s: Subnet): Prefix {
  const p = parsePrefix(s.cidr);
  assert.ok(p, s.cidr);
  return p;
}

function isAllocationError(e: unknown): boolean {
  return isWeirError(e) && e.kind === 'SubnetAllocationError';
}

export async function subnetPoolRace(a: Store, b: Store): Promise<{ retries: number }> {
  const ctxA = createContext(a);
  const ctxB = createContext(b);
  const pool = await createSubnetPool(ctxA, actor, {
    name: 'race',
    prefixes: ['10.88.0.0/24'],
    minPrefixlen: 26,
    maxPrefixlen: 28,
  });
  const lengths = Array.from({ length: 40 }, (_, i) => 26 + (i % 3));
  const networks = await Promise.all(lengths.map((_, i) => createNetwork(ctxA, actor, { name: `r${i}` })));
  const results = await Promise.allSettled(
    networks.map((n, i) =>
      createSubnet(i % 2 === 0 ? ctxA : ctxB, actor, {
        networkId: n.id,
        ipVersion: 4,
        subnetpoolId: pool.id,
        prefixlen: lengths[i] as number,
      }),
    ),
  );
  const won: Subnet[] = [];
  const lostLengths: number[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') won.push(r.value);
    else {
      assert.ok(isAllocationError(r.reason), String(r.reason));
      lostLengths.push(lengths[i] as number);
    }
  });
  assert.ok(won.length > 0 && lostLengths.length > 0, `${won.length} won, ${lostLengths.length} lost`);
  for (const [i, x] of won.entries()) {
    assert.ok(isSubset(setOf([prefixOf(x)]), setOf([parsePrefix('10.88.0.0/24') as Prefix])), x.cidr);
    for (const y of won.slice(0, i))
      assert.ok(!prefixesOverlap(prefixOf(x), prefixOf(y)), `${x.cidr} overlaps ${y.cidr}`);
  }
  // Free space only shrank during the race, so what refused a loser still refuses it.
  const free = difference(setOf([parsePrefix('10.88.0.0/24') as Prefix]), setOf(won.map(prefixOf)));
  for (const length of lostLengths)
    assert.equal(firstFit(free, length, 4), undefined, `a /${length} still fits but was refused`);
  const claims = await a.listClaims(subnetPoolNamespace(pool.id));
  assert.deepEqual(
    claims.map((c) => `${c.key} ${c.owner}`).sort(),
    won.map((s) => `${s.cidr} ${s.id}`).sort(),
  );

  const tiny = await createSubnetPool(ctxA, actor, {
    name: 'tiny',
    prefixes: ['10.89.0.0/26'],
    minPrefixlen: 26,
    maxPrefixlen: 27,
  });
  for (let round = 0; round < 10; round++) {
    const [n1, n2] = await Promise.all([
      createNetwork(ctxA, actor, { name: `t${round}a` }),
      createNetwork(ctxB, actor, { name: `t${round}b` }),
    ]);
    const pair = await Promise.allSettled([
      createSubnet(ctxA, actor, { networkId: n1.id, subnetpoolId: tiny.id, prefixlen: 26 }),
      createSubnet(ctxB, actor, { networkId: n2.id, subnetpoolId: tiny.id, prefixlen: 27 }),
    ]);
    const ok = pair.filter((r): r is PromiseFulfilledResult<Subnet> => r.status === 'fulfilled');
    assert.equal(ok.length, 1, `round ${round}: ${ok.map((r) => r.value.cidr).join(' and ')} both won`);
    for (const r of pair)
      if (r.status === 'rejected') assert.ok(isAllocationError(r.reason), String(r.reason));
    const winner = (ok[0] as PromiseFulfilledResult<Subnet>).value;
    await deleteSubnet(round % 2 === 0 ? ctxA : ctxB, actor, winner.id);
  }
  assert.deepEqual(await b.listClaims(subnetPoolNamespace(tiny.id)), []);
  return { retries: ctxA.stats.retries + ctxB.stats.retries };
}
