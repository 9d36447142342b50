// The OpenFlow action set (write_actions / clear_actions): at most one action of each kind (one
// per field for set_field), executed when the pipeline ends, in the specification's order —
// VLAN pop/push, TTL, field changes, then the group if there is one, else the output.
import type { Action } from '@weir/openflow';

const ORDER: readonly Action['type'][] = [
  'pop_vlan',
  'push_vlan',
  'dec_ttl',
  'set_field',
  'load',
  'move',
  'set_queue',
  'group',
  'output',
];

function slot(a: Action): string {
  switch (a.type) {
    case 'set_field':
      return `set_field:${a.field}`;
    case 'load':
      return `load:${a.dst.field}`;
    case 'move':
      return `move:${a.dst.field}`;
    default:
      return a.type;
  }
}

export class ActionSet {
  private readonly actions = new Map<string, Action>();

  write(actions: readonly Action[]): void {
    for (const a of actions) this.actions.set(slot(a), a);
  }

  clear(): void {
    this.actions.clear();
  }

  /** The actions to execute at the end of the pipeline, in order. */
  toExecute(): Action[] {
    const all = [...this.actions.values()];
    const rank = (a: Action): number => {
      const r = ORDER.indexOf(a.type);
      return r < 0 ? ORDER.length : r;
    };
    const ordered = all.sort((a, b) => rank(a) - rank(b));
    // With a group in the set, the output is not executed.
    return this.actions.has('group') ? ordered.filter((a) => a.type !== 'output') : ordered;
  }
}
