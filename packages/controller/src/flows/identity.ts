// What makes two flows "the same flow" to a switch, and two flows equal.
//
// Identity: OpenFlow identifies a flow by (table, priority, match); an add with the identity of an
// installed flow replaces it in place (actions, cookie), which is how the installer changes a flow
// without a gap. Signature: every byte of the flow-mod (cookie and instructions included), for
// "did this flow change at all". Both are byte strings of the encoded message, memoised per
// FlowMod object (FlowMods are immutable once built), so comparisons cost a string compare.
import { encodeMessage, type FlowMod, type GroupMod } from '@weir/openflow';

const identities = new WeakMap<FlowMod, string>();
const signatures = new WeakMap<FlowMod | GroupMod, string>();

export function flowIdentity(f: FlowMod): string {
  let key = identities.get(f);
  if (key === undefined) {
    key = encodeMessage({ ...f, command: 'add', cookie: 0n, cookieMask: 0n, instructions: [] }, 0).toString(
      'latin1',
    );
    identities.set(f, key);
  }
  return key;
}

export function flowSignature(f: FlowMod | GroupMod): string {
  let sig = signatures.get(f);
  if (sig === undefined) {
    sig = encodeMessage(f, 0).toString('latin1');
    signatures.set(f, sig);
  }
  return sig;
}
