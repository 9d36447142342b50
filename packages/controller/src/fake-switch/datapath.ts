// The switch's state that survives controller connections: flow and group tables, and counters
// for benchmarks. It applies flow-mods and group-mods that passed the receipt checks
// (validate.ts), one at a time or as one atomic batch (a bundle commit).
import type { FlowMod, GroupMod } from '@weir/openflow';
import { Refusal } from './errors.js';
import type { FlowEntry } from './flow-entry.js';
import { FlowTable } from './flow-table.js';
import { GroupTable } from './group-table.js';
import { Journal } from './journal.js';
import type { NormalMatch } from './match.js';
import { checkFlowMod, checkGroupMod, type Limits } from './validate.js';

/** A modification that passed the receipt checks. */
export type CheckedMod =
  | { readonly message: FlowMod; readonly match: NormalMatch }
  | { readonly message: GroupMod; readonly match?: undefined };

/** Why flows left the table, as OFPRR_* numbers in flow_removed. */
export const REMOVED_BY_DELETE = 2;
export const REMOVED_BY_GROUP_DELETE = 3;

export interface Removal {
  readonly entry: FlowEntry;
  readonly reason: number;
}

export interface DatapathCounters {
  /** Flow-mods applied (inside or outside bundles). */
  flowMods: number;
  groupMods: number;
  bundlesCommitted: number;
  bundlesFailed: number;
}

/** A refused message in a batch: its index and the refusal. */
export class BatchRefusal extends Error {
  constructor(
    readonly index: number,
    readonly refusal: Refusal,
  ) {
    super(`message ${index}: ${refusal.message}`);
    this.name = 'BatchRefusal';
  }
}

export class Datapath {
  readonly flows: FlowTable;
  readonly groups = new GroupTable();
  readonly counters: DatapathCounters = { flowMods: 0, groupMods: 0, bundlesCommitted: 0, bundlesFailed: 0 };

  constructor(
    readonly limits: Limits,
    clock: () => number,
  ) {
    this.flows = new FlowTable(clock);
  }

  /** The receipt checks: throws Refusal. */
  check(m: FlowMod | GroupMod): CheckedMod {
    if (m.type === 'flow_mod') return { message: m, match: checkFlowMod(m, this.limits) };
    checkGroupMod(m);
    return { message: m };
  }

  /** Applies one checked modification; throws Refusal and then has changed nothing. */
  apply(c: CheckedMod): Removal[] {
    const removed = this.applyTo(c, undefined);
    this.count(c);
    return removed;
  }

  /** Applies a batch atomically, in order: all of it, or (BatchRefusal) none of it. */
  applyAll(batch: readonly CheckedMod[]): Removal[] {
    const journal = new Journal();
    const removed: Removal[] = [];
    for (let i = 0; i < batch.length; i++) {
      const c = batch[i] as CheckedMod;
      try {
        for (const r of this.applyTo(c, journal)) removed.push(r);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        this.rollback(journal);
        this.counters.bundlesFailed++;
        throw new BatchRefusal(i, error);
      }
    }
    for (const c of batch) this.count(c);
    this.counters.bundlesCommitted++;
    return removed;
  }

  clear(): void {
    this.flows.clear();
    this.groups.clear();
  }

  private applyTo(c: CheckedMod, journal: Journal | undefined): Removal[] {
    if (c.match === undefined) {
      const deleted = this.groups.apply(c.message, journal);
      const removed: Removal[] = [];
      for (const id of deleted)
        for (const entry of this.flows.deleteUsingGroup(id, journal))
          removed.push({ entry, reason: REMOVED_BY_GROUP_DELETE });
      return removed;
    }
    const m = c.message;
    switch (m.command) {
      case 'add':
        this.flows.add(m, c.match, journal, this.groups.checkReferences);
        return [];
      case 'modify':
      case 'modify_strict':
        this.flows.modify(m, c.match, journal, this.groups.checkReferences);
        return [];
      case 'delete':
      case 'delete_strict':
        return this.flows
          .delete(
            {
              tableId: m.tableId,
              match: c.match,
              strict: m.command === 'delete_strict',
              priority: m.priority,
              cookie: m.cookie,
              cookieMask: m.cookieMask,
              outPort: m.outPort,
              outGroup: m.outGroup,
            },
            journal,
          )
          .map((entry) => ({ entry, reason: REMOVED_BY_DELETE }));
    }
  }

  private count(c: CheckedMod): void {
    if (c.match === undefined) this.counters.groupMods++;
    else this.counters.flowMods++;
  }

  private rollback(journal: Journal): void {
    for (let i = journal.records.length - 1; i >= 0; i--) {
      const r = journal.records[i];
      if (r?.kind === 'flow') this.flows.undo(r);
      else if (r) this.groups.undo(r);
    }
  }
}
