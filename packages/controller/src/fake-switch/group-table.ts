// The group table with OpenFlow 1.3 group-mod semantics as ovs-vswitchd implements them: add of
// an existing id is OFPGMFC_GROUP_EXISTS, modify of an unknown id OFPGMFC_UNKNOWN_GROUP (modify
// may change the type), delete of an unknown id is silently nothing, OFPG_ALL deletes every group.
// Deleting a group also deletes the flows that send to it (the caller does that part).
import { OFPG, type GroupDesc, type GroupMod, type Instruction } from '@weir/openflow';
import { Refusal } from './errors.js';
import type { Journal, UndoRecord } from './journal.js';

export class GroupTable {
  private readonly groups = new Map<number, GroupDesc>();

  get size(): number {
    return this.groups.size;
  }

  get(groupId: number): GroupDesc | undefined {
    return this.groups.get(groupId);
  }

  /** Applies a group-mod; returns the ids of the groups it deleted. */
  apply(m: GroupMod, journal: Journal | undefined): number[] {
    const desc: GroupDesc = { groupId: m.groupId, groupType: m.groupType, buckets: m.buckets };
    switch (m.command) {
      case 'add':
        if (this.groups.has(m.groupId)) throw new Refusal('OFPGMFC_GROUP_EXISTS', `group ${m.groupId}`);
        this.put(journal, m.groupId, desc);
        return [];
      case 'modify':
        if (!this.groups.has(m.groupId)) throw new Refusal('OFPGMFC_UNKNOWN_GROUP', `group ${m.groupId}`);
        this.put(journal, m.groupId, desc);
        return [];
      case 'delete': {
        const ids =
          m.groupId === OFPG.ALL ? [...this.groups.keys()] : this.groups.has(m.groupId) ? [m.groupId] : [];
        for (const id of ids) this.put(journal, id, undefined);
        return ids;
      }
    }
  }

  /** Refuses instructions that send to a group that does not exist, or use a meter (none exist). */
  readonly checkReferences = (instructions: readonly Instruction[]): void => {
    for (const i of instructions) {
      if (i.type === 'meter') throw new Refusal('OFPMMFC_INVALID_METER', `meter ${i.meterId}`);
      if (i.type !== 'apply_actions' && i.type !== 'write_actions') continue;
      for (const a of i.actions) {
        if (a.type === 'group' && !this.groups.has(a.groupId))
          throw new Refusal('OFPBAC_BAD_OUT_GROUP', `group ${a.groupId} does not exist`);
      }
    }
  };

  /** Every group, by id. */
  all(): GroupDesc[] {
    return [...this.groups.values()].sort((a, b) => a.groupId - b.groupId);
  }

  undo(r: Extract<UndoRecord, { kind: 'group' }>): void {
    if (r.prev) this.groups.set(r.groupId, r.prev);
    else this.groups.delete(r.groupId);
  }

  clear(): void {
    this.groups.clear();
  }

  private put(journal: Journal | undefined, groupId: number, desc: GroupDesc | undefined): void {
    journal?.records.push({ kind: 'group', groupId, prev: this.groups.get(groupId) });
    if (desc) this.groups.set(groupId, desc);
    else this.groups.delete(groupId);
  }
}
