// The installer: desired flows (the engine's, by owner) vs installed flows, sent as OpenFlow
// bundles, confirmed by a barrier. It is the only code that writes flows to the switch.
//
// - Coalescing: owners are marked dirty as engine runs change them; one pump at a time turns all
//   dirty owners into as few bundles as possible (a burst of 10,000 changes becomes a few large
//   bundles, not 10,000 round trips). Changes that arrive while a bundle is in flight wait for the
//   next round and are merged there.
// - Installed = acknowledged: an owner counts as installed only after the bundle that carried its
//   flows was committed AND a barrier after it came back (a port's ACTIVE status waits for that).
// - A (re)connection is a full sync that never flushes: read the switch's groups and flows, add
//   every desired group and flow under this run's generation (adds replace in place, so traffic
//   never sees a gap), barrier, and only then sweep — flows of older generations by cookie mask,
//   flows of this generation that are no longer wanted (changed while disconnected), and groups no
//   remaining flow uses. An ovs-vswitchd restart (an empty switch) is the same path.
// - The sweep may be held (`holdSweep`) until the owner says its view is whole (`releaseSweep`):
//   a restarted controller that connects before it has read its networks from the store would
//   otherwise sweep the previous run's flows for ports it does not know yet — a gap in traffic
//   until the reads finish (ADR 0013). Held, the full sync installs what is known (replacing in
//   place) and the sweep follows once released, with a fresh dump, after any dirty owners.
// - A bundle the switch refuses (BundleError) names the failing message: its owner is set aside
//   (counted, reported, retried when it changes again) and the rest of the batch is sent again.
import { EventEmitter } from 'node:events';
import {
  BundleError,
  OFPG,
  encodeMessage,
  flowModOfStats,
  OFPP,
  OFPTT_ALL,
  sendBundle,
  type FlowStats,
  type OpenFlowConnection,
  type OpenFlowMessage,
} from '@weir/openflow';
import type { OwnerFlows } from '../apps/compose.js';
import { deleteFlowMessage, encodeFlow, flowCookie, flowIdentity, groupMessage } from '../flows/identity.js';
import { deleteByCookie } from '../flows/sweep.js';
import { generationSelector, parseCookie, staleGenerations } from '../pipeline/cookies.js';
import { batchMessages, batchSize, diffOwner, emptyBatch, type Batch } from './batch.js';

export interface InstallerOptions {
  readonly generation: number;
  /** The engine's desired flows by owner (read synchronously when a batch is built). */
  readonly desired: () => ReadonlyMap<string, OwnerFlows>;
  /** Messages per bundle before a batch is split (at owner boundaries). Default 50,000. */
  readonly maxBundleMessages?: number;
  /** Sweep nothing until releaseSweep() (a restarted controller whose view is still loading). */
  readonly holdSweep?: boolean;
}

export interface InstallerStats {
  bundles: number;
  messages: number;
  fullSyncs: number;
  sweptFlows: number;
  rejectedOwners: number;
  failures: number;
  lastFullSyncMs: number;
}

export function emptyInstallerStats(): InstallerStats {
  return {
    bundles: 0,
    messages: 0,
    fullSyncs: 0,
    sweptFlows: 0,
    rejectedOwners: 0,
    failures: 0,
    lastFullSyncMs: 0,
  };
}

type InstallerEvents = {
  /** These owners' current flows are on the switch (barrier acknowledged). */
  installed: [owners: readonly string[]];
  /** A full sync (and its sweep) finished on the current connection. */
  synced: [];
  /** The switch refused an owner's flows; they are retried when the owner changes. */
  rejected: [owner: string, error: Error];
  failed: [error: Error];
};

interface Pending {
  readonly batch: Batch;
  /** Owner of each message of each batch section (groupsFirst, flowDeletes, flowAdds, groupsLast). */
  readonly owners: readonly [string[], string[], string[], string[]];
  /** What each owner's flows will be once this batch is acknowledged. */
  readonly sent: Map<string, OwnerFlows | undefined>;
}

export class Installer extends EventEmitter<InstallerEvents> {
  private readonly installed = new Map<string, OwnerFlows>();
  private readonly dirty = new Set<string>();
  /** Owners whose flows the switch refused, with the version refused (retried when it changes). */
  private readonly rejected = new Map<string, OwnerFlows | undefined>();
  /** Group ids on the switch (installed by us, or found there at a full sync). */
  private readonly switchGroups = new Set<number>();
  private conn: OpenFlowConnection | undefined;
  private needsFullSync = false;
  private syncing = false;
  private sweepReleased: boolean;
  /** A full sync skipped its sweep while it was held: sweep once released. */
  private sweepOwed = false;
  private running: Promise<void> | undefined;
  private scheduled = false;
  readonly stats: InstallerStats = emptyInstallerStats();
  private readonly maxMessages: number;

  constructor(private readonly options: InstallerOptions) {
    super();
    this.maxMessages = options.maxBundleMessages ?? 50_000;
    this.sweepReleased = options.holdSweep !== true;
  }

  /** The owner's view is whole: flows it does not want may be swept from now on. */
  releaseSweep(): void {
    if (this.sweepReleased) return;
    this.sweepReleased = true;
    if (this.sweepOwed) this.schedule();
  }

  /** True until releaseSweep() (when constructed with holdSweep). */
  get sweepHeld(): boolean {
    return !this.sweepReleased;
  }

  /** True while a previous run's flows wait on the switch for releaseSweep(). */
  get sweepPending(): boolean {
    return this.sweepOwed || !this.sweepReleased;
  }

  /** A new connection to the switch: everything is synced again on it. */
  attach(conn: OpenFlowConnection): void {
    this.conn = conn;
    this.needsFullSync = true;
    conn.once('close', () => {
      if (this.conn === conn) this.conn = undefined;
    });
    this.schedule();
  }

  /** True while connected and fully synced. */
  get ready(): boolean {
    return this.conn !== undefined && !this.needsFullSync && !this.syncing;
  }

  /** Whether `owner`'s current desired flows are acknowledged on the switch. */
  isInstalled(owner: string): boolean {
    return (
      this.ready && !this.dirty.has(owner) && this.installed.get(owner) === this.options.desired().get(owner)
    );
  }

  /** These owners changed (engine outcome): install their current flows. */
  markDirty(owners: Iterable<string>): void {
    for (const owner of owners) this.dirty.add(owner);
    this.schedule();
  }

  /** Resolves when nothing is dirty and no bundle is in flight (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running !== undefined || this.scheduled) {
      await (this.running ?? new Promise((r) => setImmediate(r)));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running !== undefined) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.pump().finally(() => {
        this.running = undefined;
        if (this.conn !== undefined && (this.needsFullSync || this.dirty.size > 0 || this.sweepDue))
          this.schedule();
      });
    });
  }

  private async pump(): Promise<void> {
    const conn = this.conn;
    if (conn === undefined || conn.isClosed) return;
    try {
      if (this.needsFullSync) await this.fullSync(conn);
      else if (this.dirty.size > 0) await this.flushDirty(conn);
      else if (this.sweepDue) await this.owedSweep(conn);
    } catch (error) {
      this.stats.failures++;
      // A broken connection is resynced when the next one attaches; anything else is retried
      // with a full sync, which rebuilds the installed state from what the switch has.
      if (!conn.isClosed) this.needsFullSync = true;
      this.emit('failed', error as Error);
      if (!conn.isClosed) await new Promise((r) => setTimeout(r, 500));
    }
  }

  private async flushDirty(conn: OpenFlowConnection): Promise<void> {
    const desired = this.options.desired();
    const owners = [...this.dirty];
    this.dirty.clear();
    const batches: Pending[] = [];
    let current = newPending();
    for (const owner of owners) {
      const after = desired.get(owner);
      if (this.rejected.has(owner)) {
        if (this.rejected.get(owner) === after) continue;
        this.rejected.delete(owner);
      }
      addOwner(current, owner, this.installed.get(owner), after, (id) => this.switchGroups.has(id));
      if (batchSize(current.batch) >= this.maxMessages) {
        batches.push(current);
        current = newPending();
      }
    }
    batches.push(current);
    for (const pending of batches) await this.send(conn, pending);
  }

  /** Sends one batch as a bundle + barrier; on refusal sets the failing owner aside and retries. */
  private async send(conn: OpenFlowConnection, pending: Pending): Promise<void> {
    let work = pending;
    for (;;) {
      const messages = batchMessages(work.batch);
      if (messages.length === 0) {
        this.commit(work);
        return;
      }
      try {
        // The barrier rides with the commit: one round trip, after which the owners are installed.
        await sendBundle(conn, messages, { barrier: true });
      } catch (error) {
        if (!(error instanceof BundleError) || error.failedIndex === undefined) throw error;
        const owner = ownerAt(work, error.failedIndex);
        if (owner === undefined) throw error;
        this.rejected.set(owner, work.sent.get(owner));
        this.stats.rejectedOwners++;
        this.emit('rejected', owner, error);
        // OVS refuses some messages when they are added to a bundle yet commits the rest (the
        // fake switch reproduces it): the groups on the switch are read again, so the retry
        // modifies groups that this attempt added instead of adding them twice. Flow adds and
        // cookie-exact deletes are idempotent.
        await this.readGroups(conn);
        work = this.without(work, owner);
        continue;
      }
      this.stats.bundles++;
      this.stats.messages += messages.length;
      this.commit(work);
      return;
    }
  }

  private async readGroups(conn: OpenFlowConnection): Promise<void> {
    const replies = await conn.multipart({ kind: 'group_desc' });
    this.switchGroups.clear();
    for (const r of replies)
      if (r.kind === 'group_desc') for (const g of r.groups) this.switchGroups.add(g.groupId);
  }

  /** The same batch without one owner's messages (rebuilt from the same before/after). */
  private without(pending: Pending, drop: string): Pending {
    const next = newPending();
    for (const [owner, after] of pending.sent) {
      if (owner !== drop)
        addOwner(next, owner, this.installed.get(owner), after, (id) => this.switchGroups.has(id));
    }
    return next;
  }

  private commit(pending: Pending): void {
    for (const [owner, flows] of pending.sent) {
      const before = this.installed.get(owner);
      for (const g of before?.groups ?? []) this.switchGroups.delete(g.groupId);
      if (flows === undefined) this.installed.delete(owner);
      else {
        this.installed.set(owner, flows);
        for (const g of flows.groups) this.switchGroups.add(g.groupId);
      }
    }
    if (pending.sent.size > 0) this.emit('installed', [...pending.sent.keys()]);
  }

  private async fullSync(conn: OpenFlowConnection): Promise<void> {
    const started = performance.now();
    this.syncing = true;
    this.needsFullSync = false;
    try {
      const { groups: foundGroups, flows: onSwitch } = await dumpSwitch(conn);
      this.switchGroups.clear();
      for (const id of foundGroups) this.switchGroups.add(id);

      // Everything desired, as if nothing were installed: adds replace identical flows in place.
      this.installed.clear();
      this.rejected.clear();
      const desired = this.options.desired();
      this.dirty.clear();
      const batches: Pending[] = [];
      let current = newPending();
      for (const [owner, flows] of desired) {
        addOwner(current, owner, undefined, flows, (id) => this.switchGroups.has(id));
        if (batchSize(current.batch) >= this.maxMessages) {
          batches.push(current);
          current = newPending();
        }
      }
      batches.push(current);
      for (const pending of batches) await this.send(conn, pending);

      // Only now, with everything of this generation acknowledged: the sweep (unless held).
      this.sweepOwed = !this.sweepReleased;
      if (this.sweepReleased) await this.sweep(conn, onSwitch, foundGroups);
      this.stats.fullSyncs++;
      this.stats.lastFullSyncMs = performance.now() - started;
    } finally {
      this.syncing = false;
    }
    this.emit('synced');
  }

  private get sweepDue(): boolean {
    return this.sweepOwed && this.sweepReleased;
  }

  /** The sweep a held full sync owes, on what the switch has now (dirty owners went first). */
  private async owedSweep(conn: OpenFlowConnection): Promise<void> {
    const { groups, flows } = await dumpSwitch(conn);
    this.sweepOwed = false;
    // Every group on the switch is a candidate; sweepMessages keeps those a remaining flow uses.
    await this.sweep(conn, flows, groups);
  }

  private async sweep(
    conn: OpenFlowConnection,
    onSwitch: readonly FlowStats[],
    foundGroups: ReadonlySet<number>,
  ): Promise<void> {
    const messages = this.sweepMessages(onSwitch, foundGroups);
    if (messages.length === 0) return;
    await sendBundle(conn, messages, { barrier: true });
    this.stats.bundles++;
    this.stats.messages += messages.length;
  }

  /** What to remove after a full sync: stale generations, unwanted flows of ours, unused groups. */
  private sweepMessages(onSwitch: readonly FlowStats[], foundGroups: ReadonlySet<number>): OpenFlowMessage[] {
    const generation = this.options.generation;
    const messages: OpenFlowMessage[] = [];
    for (const g of staleGenerations(
      onSwitch.map((f) => f.cookie),
      generation,
    )) {
      messages.push(deleteByCookie(generationSelector(g)));
    }
    const wanted = new Set<string>();
    for (const flows of this.installed.values())
      for (const f of flows.flows) wanted.add(`${flowIdentity(f)}|${flowCookie(f)}`);
    // Groups a desired flow uses, plus (below) groups that flows not ours use.
    const usedGroups = new Set<number>();
    for (const flows of this.installed.values()) for (const g of flows.groups) usedGroups.add(g.groupId);
    let swept = 0;
    for (const f of onSwitch) {
      const parts = parseCookie(f.cookie);
      const stale = parts !== undefined && parts.generation !== generation;
      const ours = parts !== undefined && parts.generation === generation;
      if (ours) {
        // The dumped flow encoded as we would have sent it: its identity and cookie are comparable.
        const encoded = encodeFlow(flowModOfStats(f));
        if (!wanted.has(`${flowIdentity(encoded)}|${f.cookie}`)) {
          messages.push(deleteFlowMessage(encoded));
          swept++;
        }
      } else if (stale) swept++;
      else if (parts === undefined) for (const id of groupsUsedBy(f)) usedGroups.add(id);
    }
    this.stats.sweptFlows += swept;
    for (const id of foundGroups) {
      if (usedGroups.has(id)) continue;
      messages.push(groupMessage({ groupId: id, bytes: emptyGroup(id) }, 'delete'));
      this.switchGroups.delete(id);
    }
    return messages;
  }
}

/** Every group id and every flow on the switch. */
async function dumpSwitch(
  conn: OpenFlowConnection,
): Promise<{ readonly groups: ReadonlySet<number>; readonly flows: FlowStats[] }> {
  const [groupReplies, flowReplies] = await Promise.all([
    conn.multipart({ kind: 'group_desc' }),
    conn.multipart({
      kind: 'flow',
      tableId: OFPTT_ALL,
      outPort: OFPP.ANY,
      outGroup: OFPG.ANY,
      cookie: 0n,
      cookieMask: 0n,
      match: [],
    }),
  ]);
  const groups = new Set<number>();
  for (const r of groupReplies) if (r.kind === 'group_desc') for (const g of r.groups) groups.add(g.groupId);
  return { groups, flows: flowReplies.flatMap((r) => (r.kind === 'flow' ? r.flows : [])) };
}

function newPending(): Pending {
  return { batch: emptyBatch(), owners: [[], [], [], []], sent: new Map() };
}

function addOwner(
  pending: Pending,
  owner: string,
  before: OwnerFlows | undefined,
  after: OwnerFlows | undefined,
  groupExists: (id: number) => boolean,
): void {
  const b = pending.batch;
  const sections = [b.groupsFirst, b.flowDeletes, b.flowAdds, b.groupsLast] as const;
  const sizes = sections.map((s) => s.length);
  diffOwner(b, before, after, groupExists);
  pending.sent.set(owner, after);
  sections.forEach((section, i) => {
    const owners = pending.owners[i as 0 | 1 | 2 | 3];
    for (let n = sizes[i] ?? 0; n < section.length; n++) owners.push(owner);
  });
}

/** The owner of message `index` of batchMessages(pending.batch). */
function ownerAt(pending: Pending, index: number): string | undefined {
  let i = index;
  for (const owners of pending.owners) {
    if (i < owners.length) return owners[i];
    i -= owners.length;
  }
  return undefined;
}

function groupsUsedBy(f: FlowStats): number[] {
  const ids: number[] = [];
  for (const i of f.instructions) {
    if (i.type !== 'apply_actions' && i.type !== 'write_actions') continue;
    for (const a of i.actions) if (a.type === 'group') ids.push(a.groupId);
  }
  return ids;
}

/** The bytes of an empty group-mod for `id`, enough to derive its delete. */
function emptyGroup(id: number): string {
  return encodeMessage(
    { type: 'group_mod', command: 'add', groupType: 'all', groupId: id, buckets: [] },
    0,
  ).toString('latin1');
}
