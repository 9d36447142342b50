// The IPAM race of issue W2: two store clients (as two API replicas would be) create 300 ports in
// parallel on one /24. Exactly 253 get addresses, all distinct; the rest get
// IpAddressGenerationFailure; deleting and re-creating never loses or duplicates an address.
import assert from 'node:assert/strict';
import { isWeirError, type LogicalPort } from '@weir/model';
import type { Store } from '@weir/nbdb';
import {
  createContext,
  createNetwork,
  createPort,
  createSubnet,
  deletePort,
  type Actor,
} from '../../src/index.js';

const actor: Actor = { projectId: 'c3'.repeat(16), admin: false };

function settle(results: PromiseSettledResult<LogicalPort>[]): { ok: LogicalPort[]; failed: unknown[] } {
  const ok: LogicalPort[] = [];
  const failed: unknown[] = [];
  for (const r of results)
    (r.status === 'fulfilled' ? ok : failed).push(r.status === 'fulfilled' ? r.value : r.reason);
  return { ok, failed };
}

export async function ipamRace(a: Store, b: Store): Promise<{ retries: number; ms: number }> {
  const ctxA = createContext(a);
  const ctxB = createContext(b);
  const network = await createNetwork(ctxA, actor, { name: 'race' });
  const subnet = await createSubnet(ctxA, actor, { networkId: network.id, cidr: '10.77.0.0/24' });
  const t0 = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 300 }, (_, i) =>
      createPort(i % 2 === 0 ? ctxA : ctxB, actor, { networkId: network.id, name: `p${i}` }),
    ),
  );
  const ms = performance.now() - t0;
  const { ok, failed } = settle(results);
  const addresses = ok.map((p) => p.fixedIps[0]?.ipAddress);
  assert.equal(ok.length, 253, `${ok.length} ports got an address`);
  assert.equal(new Set(addresses).size, 253, 'every address is distinct');
  assert.equal(failed.length, 47);
  for (const e of failed) assert.ok(isWeirError(e) && e.kind === 'IpAddressGenerationFailure', String(e));
  // The store agrees: 253 claims, each held by the port that has the address.
  const claims = await a.listClaims(`ip:${subnet.id}`);
  assert.equal(claims.length, 253);
  const byAddress = new Map(ok.map((p) => [p.fixedIps[0]?.ipAddress, p.id]));
  for (const c of claims) assert.equal(byAddress.get(c.key), c.owner);
  // Delete 100 (from both clients), re-create 100 in parallel: all fit, nothing lost or doubled.
  const victims = ok.slice(0, 100);
  await Promise.all(victims.map((p, i) => deletePort(i % 2 === 0 ? ctxA : ctxB, actor, p.id)));
  const again = settle(
    await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        createPort(i % 2 === 0 ? ctxB : ctxA, actor, { networkId: network.id }),
      ),
    ),
  );
  assert.equal(again.ok.length, 100, `re-created ${again.ok.length}/100`);
  const all = [...ok.slice(100), ...again.ok].map((p) => p.fixedIps[0]?.ipAddress);
  assert.equal(new Set(all).size, 253);
  assert.equal((await a.listClaims(`ip:${subnet.id}`)).length, 253);
  return { retries: ctxA.stats.retries + ctxB.stats.retries, ms };
}
