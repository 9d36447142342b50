// Turning "owner X had these flows and groups, now it wants those" into OpenFlow messages, in the
// order a switch must see them (after Calico's dependency-ordered flush):
//   1. group adds and modifies — a flow may only name a group that exists (a bundle that adds a
//      flow pointing at a missing group fails whole);
//   2. flow deletes — strict, by (table, priority, match) AND the cookie the flow was installed
//      with (full mask), so a delete never removes a flow that another owner, or a newer version
//      of this one, has since put at the same identity;
//   3. flow adds — an add of an installed identity replaces it in place (no gap for traffic);
//   4. group deletes — last, once no flow of this batch points at them.
// A flow whose bytes did not change is not sent.
import type { OpenFlowMessage } from '@weir/openflow';
import type { OwnerFlows } from '../apps/compose.js';
import { addFlowMessage, deleteFlowMessage, flowIdentity, groupMessage } from '../flows/identity.js';

export interface Batch {
  readonly groupsFirst: OpenFlowMessage[];
  readonly flowDeletes: OpenFlowMessage[];
  readonly flowAdds: OpenFlowMessage[];
  readonly groupsLast: OpenFlowMessage[];
}

export function emptyBatch(): Batch {
  return { groupsFirst: [], flowDeletes: [], flowAdds: [], groupsLast: [] };
}

export function batchSize(b: Batch): number {
  return b.groupsFirst.length + b.flowDeletes.length + b.flowAdds.length + b.groupsLast.length;
}

/** The messages in switch order. */
export function batchMessages(b: Batch): OpenFlowMessage[] {
  return [...b.groupsFirst, ...b.flowDeletes, ...b.flowAdds, ...b.groupsLast];
}

/**
 * Adds to `batch` what takes the switch from `before` to `after` for one owner. `groupExists`
 * says whether a group id is on the switch already (added by this owner before, or found there
 * after a restart): such a group is modified, never added twice (OFPGMFC_GROUP_EXISTS).
 */
export function diffOwner(
  batch: Batch,
  before: OwnerFlows | undefined,
  after: OwnerFlows | undefined,
  groupExists: (id: number) => boolean,
): void {
  const oldGroups = new Map((before?.groups ?? []).map((g) => [g.groupId, g]));
  const newGroups = new Map((after?.groups ?? []).map((g) => [g.groupId, g]));
  for (const [id, g] of newGroups) {
    const old = oldGroups.get(id);
    if (old !== undefined && old.bytes === g.bytes) continue;
    batch.groupsFirst.push(groupMessage(g, old !== undefined || groupExists(id) ? 'modify' : 'add'));
  }
  const oldFlows = new Map((before?.flows ?? []).map((f) => [flowIdentity(f), f]));
  const newFlows = new Map((after?.flows ?? []).map((f) => [flowIdentity(f), f]));
  for (const [identity, f] of oldFlows) {
    if (!newFlows.has(identity)) batch.flowDeletes.push(deleteFlowMessage(f));
  }
  for (const [identity, f] of newFlows) {
    if (oldFlows.get(identity) !== f) batch.flowAdds.push(addFlowMessage(f));
  }
  for (const [id, g] of oldGroups) {
    if (!newGroups.has(id)) batch.groupsLast.push(groupMessage(g, 'delete'));
  }
}
