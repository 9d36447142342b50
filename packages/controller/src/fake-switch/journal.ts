// Undo records for atomic bundles. Applying a bundle changes the live tables message by message
// (so message N sees what messages 0..N-1 did, as in OVS); each change records what it replaced,
// and a refusal replays the records backwards. This costs one small record per change instead of
// a copy of 20,000-flow tables per bundle.
import type { GroupDesc } from '@weir/openflow';
import type { FlowEntry } from './flow-entry.js';

export type UndoRecord =
  | {
      readonly kind: 'flow';
      readonly tableId: number;
      readonly key: string;
      readonly prev: FlowEntry | undefined;
    }
  | { readonly kind: 'group'; readonly groupId: number; readonly prev: GroupDesc | undefined };

export class Journal {
  readonly records: UndoRecord[] = [];
}
