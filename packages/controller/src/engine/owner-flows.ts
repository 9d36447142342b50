// Equality of one owner's flows and groups: their encoded bytes, compared as strings.
import type { OwnerFlows } from '../apps/compose.js';

export function sameOwnerFlows(a: OwnerFlows, b: OwnerFlows): boolean {
  if (a === b) return true;
  if (a.flows.length !== b.flows.length || a.groups.length !== b.groups.length) return false;
  for (let i = 0; i < a.flows.length; i++) if (a.flows[i] !== b.flows[i]) return false;
  for (let i = 0; i < a.groups.length; i++) if (a.groups[i]?.bytes !== b.groups[i]?.bytes) return false;
  return true;
}
