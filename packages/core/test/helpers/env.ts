// A fresh in-memory store, a core context and three actors for each test.
import { openStore, type Store, type WriteOp, type CommitResult } from '@weir/nbdb';
import type { Actor, CoreContext } from '../../src/index.js';
import { createContext } from '../../src/index.js';

export interface Env {
  readonly store: Store;
  readonly ctx: CoreContext;
  readonly admin: Actor;
  readonly alice: Actor;
  readonly bob: Actor;
  close(): Promise<void>;
}

export const ALICE = 'a1'.repeat(16);
export const BOB = 'b2'.repeat(16);
export const ADMIN = 'ad'.repeat(16);

export async function newEnv(store?: Store): Promise<Env> {
  const s = store ?? (await openStore('memory:'));
  return {
    store: s,
    ctx: createContext(s),
    admin: { projectId: ADMIN, admin: true },
    alice: { projectId: ALICE, admin: false },
    bob: { projectId: BOB, admin: false },
    close: () => s.close(),
  };
}

/**
 * A store whose commits fail on demand: `failOn(n)` makes the n-th next commit throw before it
 * reaches the real store, to prove that multi-step operations leave nothing half-made.
 */
export function faultyStore(inner: Store): Store & { failOn(n: number): void; commits: number } {
  let countdown = 0;
  const wrapper = Object.create(inner) as Store & { failOn(n: number): void; commits: number };
  wrapper.commits = 0;
  wrapper.failOn = (n: number) => {
    countdown = n;
  };
  wrapper.commit = async (ops: readonly WriteOp[]): Promise<CommitResult> => {
    wrapper.commits++;
    if (countdown > 0 && --countdown === 0) throw new Error('injected fault: the store went away');
    return inner.commit(ops);
  };
  return wrapper;
}

/** Everything the store holds, for "nothing left behind" assertions. */
export async function snapshot(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [
    'logical_switch',
    'subnet',
    'logical_port',
    'router',
    'floating_ip',
    'security_group',
    'trunk',
  ] as const) {
    out[t] = (await store.list(t)).items.length;
  }
  return out;
}
