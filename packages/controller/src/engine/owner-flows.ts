// Equality of one owner's flows and groups, by their encoded bytes (flows/identity.ts).
import type { OwnerFlows } from '../apps/compose.js';
import { flowSignature } from '../flows/identity.js';

export function sameOwnerFlows(a: OwnerFlows, b: OwnerFlows): boolean {
  if (a === b) return true;
  if (a.flows.length !== b.flows.length || a.groups.length !== b.groups.length) return false;
  for (let i = 0; i < a.flows.length; i++) {
    if (
      flowSignature(a.flows[i] as OwnerFlows['flows'][number]) !==
      flowSignature(b.flows[i] as OwnerFlows['flows'][number])
    )
      return false;
  }
  for (let i = 0; i < a.groups.length; i++) {
    const x = a.groups[i];
    const y = b.groups[i];
    if (x === undefined || y === undefined || flowSignature(x.mod) !== flowSignature(y.mod)) return false;
  }
  return true;
}
