// Applying a plan to the state: plain map updates, each recorded with its inverse so that if
// anything throws half-way (a bug, or a fault a test injects) the state is rolled back and the
// commit leaves nothing behind.
import type { Plan } from './plan.js';
import type { StoreState } from './state.js';

/** Called before each step of an apply; a test throws from it to prove applies are atomic. */
export type ApplyStepHook = (step: number) => void;

export function applyPlan(state: StoreState, plan: Plan, beforeStep?: ApplyStepHook): void {
  const undo: (() => void)[] = [];
  let step = 0;
  try {
    for (const w of plan.writes) {
      beforeStep?.(step++);
      state.setEntry(w.table, w.id, w.next, w.prev, w.diff);
      undo.push(() =>
        state.setEntry(w.table, w.id, w.prev, w.next, { added: w.diff.removed, removed: w.diff.added }),
      );
    }
    for (const c of plan.claims) {
      beforeStep?.(step++);
      const prev = state.setClaim(c.namespace, c.key, c.owner);
      undo.push(() => state.setClaim(c.namespace, c.key, prev));
    }
    beforeStep?.(step++);
    const prevRevision = state.revision;
    state.revision = plan.revision;
    undo.push(() => {
      state.revision = prevRevision;
    });
  } catch (error) {
    for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
    throw error;
  }
}
