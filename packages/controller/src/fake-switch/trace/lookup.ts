// One table lookup: the highest-priority flow whose match the packet satisfies (ties broken by
// match key, so the answer is deterministic). Prerequisites need no special case: OVS refuses a
// match on arp_tpa without eth_type=0x0806, so the flow's own match carries them.
//
// Conjunctive matches, simply: flows whose only actions are conjunction(id, k/n) are clauses,
// never results. If, above the best ordinary match, every clause 1..n of some id matched at one
// priority, the lookup is repeated with conj_id = id and a flow matching that conj_id (if higher
// than the ordinary match) wins, as in OVS.
import type { ConjunctionAction } from '@weir/openflow';
import type { FlowEntry } from '../flow-entry.js';
import type { FlowTable } from '../flow-table.js';
import type { NormalMatch } from '../match.js';
import type { PacketState } from './packet.js';

function satisfies(match: NormalMatch, packet: PacketState, conjId: bigint): boolean {
  for (const c of match) {
    const v = c.field === 'conj_id' ? conjId : packet.get(c.field);
    if ((v & c.mask) !== c.value) return false;
  }
  return true;
}

/** The conjunction actions of a flow made only of them, else undefined. */
function clausesOf(e: FlowEntry): ConjunctionAction[] | undefined {
  const [first, ...rest] = e.instructions;
  if (!first || rest.length > 0 || first.type !== 'apply_actions' || first.actions.length === 0)
    return undefined;
  const out: ConjunctionAction[] = [];
  for (const a of first.actions) {
    if (a.type !== 'conjunction') return undefined;
    out.push(a);
  }
  return out;
}

export function lookup(flows: FlowTable, tableId: number, packet: PacketState): FlowEntry | undefined {
  const order = flows.lookupOrder(tableId);
  // Per priority and conjunction id: the clauses matched.
  const clauses = new Map<string, { id: number; priority: number; n: number; seen: Set<number> }>();
  let best: FlowEntry | undefined;
  for (const e of order) {
    if (!satisfies(flows.normalOf(e), packet, 0n)) continue;
    const conj = clausesOf(e);
    if (!conj) {
      best = e;
      break;
    }
    for (const c of conj) {
      const k = `${e.priority}/${c.id}`;
      const entry = clauses.get(k) ?? {
        id: c.id,
        priority: e.priority,
        n: c.nClauses,
        seen: new Set<number>(),
      };
      entry.seen.add(c.clause);
      clauses.set(k, entry);
    }
  }
  const complete = [...clauses.values()]
    .filter((c) => c.seen.size >= c.n)
    .sort((a, b) => b.priority - a.priority);
  for (const c of complete) {
    const conjId = BigInt(c.id);
    for (const e of order) {
      if (best && e.priority <= best.priority) break;
      const m = flows.normalOf(e);
      if (m.some((x) => x.field === 'conj_id') && !clausesOf(e) && satisfies(m, packet, conjId)) return e;
    }
  }
  return best;
}
