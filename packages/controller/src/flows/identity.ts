// Desired flows as the switch receives them: every flow-mod and group-mod is encoded once, when
// an app builds it, and kept as a one-byte string of its wire bytes (xid 0) — about one byte of
// memory per byte on the wire, a few hundred per flow, where the decoded object graph of a
// flow-mod costs kilobytes (a node with 67,000 flows holds ~15 MB of them instead of ~250 MB).
//
// Everything the installer needs is read from those bytes:
//   - equality: string comparison (every byte, cookie and instructions included);
//   - identity: OpenFlow identifies a flow by (table, priority, match); an add with the identity
//     of an installed flow replaces it in place, which is how a flow changes without a gap. It is
//     cut out of the bytes: table_id at 24, priority at 30–31, the ofp_match from 48 with its
//     length at 50–51 (encoded in canonical field order, so equal matches built in different
//     orders have one identity);
//   - messages: the bytes go out as they are (the header is rewritten with the bundle's xid);
//     a cookie-exact strict delete and a group's add/modify/delete are the same bytes with the
//     command patched.
import {
  OFPFC,
  OFPGC,
  OFPT,
  decodeMessage,
  encodeMessage,
  type FlowMod,
  type GroupMod,
  type OpenFlowMessage,
} from '@weir/openflow';

/** A flow-mod's wire bytes (xid 0) as a latin1 string. */
export type EncodedFlow = string;

/** A group-mod's wire bytes (command add, xid 0), with its id. */
export interface EncodedGroup {
  readonly groupId: number;
  readonly bytes: string;
}

const HEADER = 8;
const COOKIE_MASK_AT = 16;
const TABLE_AT = 24;
const COMMAND_AT = 25;
const PRIORITY_AT = 30;
const MATCH_AT = 48;
const GROUP_COMMAND_AT = 8;

export function encodeFlow(f: FlowMod): EncodedFlow {
  return encodeMessage(f, 0).toString('latin1');
}

export function encodeGroup(g: GroupMod): EncodedGroup {
  return { groupId: g.groupId, bytes: encodeMessage({ ...g, command: 'add' }, 0).toString('latin1') };
}

/** The flow-mod back as an object (text output, tests). */
export function decodeFlow(f: EncodedFlow): FlowMod {
  const { message } = decodeMessage(Buffer.from(f, 'latin1'));
  if (message.type !== 'flow_mod') throw new Error(`not a flow-mod: ${message.type}`);
  return message;
}

export function decodeGroup(g: EncodedGroup): GroupMod {
  const { message } = decodeMessage(Buffer.from(g.bytes, 'latin1'));
  if (message.type !== 'group_mod') throw new Error(`not a group-mod: ${message.type}`);
  return message;
}

function matchEnd(f: EncodedFlow): number {
  const length = (f.charCodeAt(MATCH_AT + 2) << 8) | f.charCodeAt(MATCH_AT + 3);
  return MATCH_AT + length;
}

/** (table, priority, match): what the switch identifies the flow by. */
export function flowIdentity(f: EncodedFlow): string {
  return (
    f.slice(TABLE_AT, TABLE_AT + 1) + f.slice(PRIORITY_AT, PRIORITY_AT + 2) + f.slice(MATCH_AT, matchEnd(f))
  );
}

export function flowCookie(f: EncodedFlow): bigint {
  return Buffer.from(f.slice(HEADER, HEADER + 8), 'latin1').readBigUInt64BE(0);
}

/** The message that adds (or replaces in place) the flow. */
export function addFlowMessage(f: EncodedFlow): OpenFlowMessage {
  return { type: 'unknown', msgType: OFPT.FLOW_MOD, body: Buffer.from(f.slice(HEADER), 'latin1') };
}

/**
 * The strict delete of exactly this flow: same table, priority and match, and its cookie under a
 * full mask — so it never removes a flow that another owner, or a newer version, has since put
 * at the same identity.
 */
export function deleteFlowMessage(f: EncodedFlow): OpenFlowMessage {
  const padded = (matchEnd(f) + 7) & ~7;
  const body = Buffer.from(f.slice(HEADER, padded), 'latin1');
  body[COMMAND_AT - HEADER] = OFPFC.DELETE_STRICT;
  body.fill(0xff, COOKIE_MASK_AT - HEADER, COOKIE_MASK_AT - HEADER + 8);
  return { type: 'unknown', msgType: OFPT.FLOW_MOD, body };
}

export function groupMessage(g: EncodedGroup, command: 'add' | 'modify' | 'delete'): OpenFlowMessage {
  // A delete carries no buckets: command, type, pad and the group id (8 bytes after the header).
  const body = Buffer.from(
    command === 'delete' ? g.bytes.slice(HEADER, HEADER + 8) : g.bytes.slice(HEADER),
    'latin1',
  );
  const code = command === 'add' ? OFPGC.ADD : command === 'modify' ? OFPGC.MODIFY : OFPGC.DELETE;
  body.writeUInt16BE(code, GROUP_COMMAND_AT - HEADER);
  return { type: 'unknown', msgType: OFPT.GROUP_MOD, body };
}
