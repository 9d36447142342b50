// What makes two flows "the same flow" to a switch, and two flows equal.
//
// Signature: every byte of the encoded flow-mod (cookie and instructions included), for "did this
// flow change at all". Identity: OpenFlow identifies a flow by (table, priority, match); an add
// with the identity of an installed flow replaces it in place (actions, cookie), which is how the
// installer changes a flow without a gap. The identity is cut out of the signature's bytes, so a
// flow is encoded once for both (flow-mods are immutable once built: both are memoised).
//
// Offsets in an OpenFlow 1.3 flow-mod (header 8 bytes, then ofp_flow_mod): table_id at 24,
// priority at 30–31, ofp_match from 48 with its length at 50–51. The match is encoded in
// canonical field order, so two equal matches built in different orders have one identity.
import { encodeMessage, type FlowMod, type GroupMod } from '@weir/openflow';

const TABLE_AT = 24;
const PRIORITY_AT = 30;
const MATCH_AT = 48;

const identities = new WeakMap<FlowMod, string>();
const signatures = new WeakMap<FlowMod | GroupMod, string>();

export function flowSignature(f: FlowMod | GroupMod): string {
  let sig = signatures.get(f);
  if (sig === undefined) {
    sig = encodeMessage(f, 0).toString('latin1');
    signatures.set(f, sig);
  }
  return sig;
}

export function flowIdentity(f: FlowMod): string {
  let key = identities.get(f);
  if (key === undefined) {
    const sig = flowSignature(f);
    const matchLength = (sig.charCodeAt(MATCH_AT + 2) << 8) | sig.charCodeAt(MATCH_AT + 3);
    key =
      sig.slice(TABLE_AT, TABLE_AT + 1) +
      sig.slice(PRIORITY_AT, PRIORITY_AT + 2) +
      sig.slice(MATCH_AT, MATCH_AT + matchLength);
    identities.set(f, key);
  }
  return key;
}
