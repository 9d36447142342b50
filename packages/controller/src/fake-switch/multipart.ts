// Multipart (stats) replies: switch description, flow stats (filtered like OVS: table or all,
// non-strict match, cookie/cookie_mask, out_port, out_group), group descriptions and port
// descriptions. Long replies are cut into parts that each fit OpenFlow's 65,535-byte limit, as
// a switch does; the controller's OpenFlowConnection.multipart() collects them. Other kinds are
// OFPBRC_BAD_STAT (OVS answers a few of them — aggregate, table, port and group stats — which
// the fake does not model).
import {
  OpenFlowError,
  encodeMessage,
  type MultipartReplyBody,
  type MultipartRequestBody,
  type SwitchDesc,
} from '@weir/openflow';
import type { Datapath } from './datapath.js';
import { Refusal } from './errors.js';
import { flowStatsOf } from './flow-entry.js';
import { normalizeMatch } from './match.js';
import type { PortTable } from './ports.js';

export interface MultipartHost {
  readonly datapath: Datapath;
  readonly ports: PortTable;
  readonly desc: SwitchDesc;
}

/** The encoded reply messages for a request, in order. Throws Refusal. */
export function multipartReply(body: MultipartRequestBody, host: MultipartHost, xid: number): Buffer[] {
  switch (body.kind) {
    case 'desc':
      return [
        encodeMessage({ type: 'multipart_reply', more: false, body: { kind: 'desc', desc: host.desc } }, xid),
      ];
    case 'flow': {
      const table = host.datapath.flows;
      const flows = table
        .select({
          tableId: body.tableId,
          match: normalizeMatch(body.match),
          strict: false,
          priority: 0,
          cookie: body.cookie,
          cookieMask: body.cookieMask,
          outPort: body.outPort,
          outGroup: body.outGroup,
        })
        .map((e) => flowStatsOf(e, table.ageOf(e)));
      return encodeParts(flows, xid, (part) => ({ kind: 'flow', flows: part }));
    }
    case 'group_desc':
      return encodeParts(host.datapath.groups.all(), xid, (part) => ({ kind: 'group_desc', groups: part }));
    case 'port_desc':
      return encodeParts(host.ports.all(), xid, (part) => ({ kind: 'port_desc', ports: part }));
    case 'unknown':
      throw new Refusal('OFPBRC_BAD_STAT', `multipart type ${body.mpType}`);
  }
}

/** Items per reply part to start with; a part that does not fit in one message is halved. */
const PART_ITEMS = 128;
/** Offset of ofp_multipart_reply.flags (after the header and the type). */
const FLAGS_OFFSET = 10;

function encodeParts<T>(
  items: readonly T[],
  xid: number,
  make: (part: readonly T[]) => MultipartReplyBody,
): Buffer[] {
  const out: Buffer[] = [];
  const encodeFitting = (part: readonly T[]): void => {
    const encoded = tryEncode(make(part), xid);
    if (encoded || part.length <= 1) {
      out.push(encoded ?? encodeMessage({ type: 'multipart_reply', more: true, body: make(part) }, xid));
      return;
    }
    const half = Math.ceil(part.length / 2);
    encodeFitting(part.slice(0, half));
    encodeFitting(part.slice(half));
  };
  for (let i = 0; i < items.length; i += PART_ITEMS) encodeFitting(items.slice(i, i + PART_ITEMS));
  if (out.length === 0) encodeFitting([]);
  // Every part was encoded with OFPMPF_REPLY_MORE; the last one must not carry it.
  out[out.length - 1]?.writeUInt16BE(0, FLAGS_OFFSET);
  return out;
}

/** The part encoded with the "more" flag, or undefined if it exceeds 65,535 bytes. */
function tryEncode(body: MultipartReplyBody, xid: number): Buffer | undefined {
  try {
    return encodeMessage({ type: 'multipart_reply', more: true, body }, xid);
  } catch (error) {
    if (
      error instanceof OpenFlowError &&
      error.code === 'OF_INVALID_ARGUMENT' &&
      /exceeds 65535/.test(error.message)
    )
      return undefined;
    throw error;
  }
}
