// Whole flows as text: the `ovs-ofctl dump-flows` line for flow-stats entries, and the
// `ovs-ofctl ofp-print` body for flow-mods.
import { OFP_NO_BUFFER, OFPP } from '../constants.js';
import type { FlowMod, FlowModFlags, FlowStats } from '../messages/types.js';
import { formatInstructions } from './format-actions.js';
import { formatMatch } from './format-match.js';
import { formatPort } from './values.js';

export interface FlowTextOptions {
  /** Include duration and counters, as plain `dump-flows` does. Default false (`--no-stats`). */
  readonly stats?: boolean;
}

function flagsText(f: FlowModFlags): string {
  let s = '';
  if (f.sendFlowRem) s += 'send_flow_rem ';
  if (f.checkOverlap) s += 'check_overlap ';
  if (f.resetCounts) s += 'reset_counts ';
  if (f.noPacketCounts) s += 'no_packet_counts ';
  if (f.noByteCounts) s += 'no_byte_counts ';
  return s;
}

/** ofp_print_duration: no decimals for whole seconds, 3 for milliseconds, else as many as needed. */
function duration(sec: number, nsec: number): string {
  if (nsec === 0) return `${sec}s`;
  if (nsec % 1_000_000 === 0) return `${sec}.${String(nsec / 1_000_000).padStart(3, '0')}s`;
  return `${sec}.${String(nsec).padStart(9, '0').replace(/0+$/, '')}s`;
}

/** UINT64_MAX means "not available" and prints as "?". */
function counter(n: bigint): string {
  return n === 0xffffffffffffffffn ? '?' : String(n);
}

/** One line of `ovs-ofctl -O OpenFlow13 [--no-stats] dump-flows`. */
export function formatFlowStats(f: FlowStats, options: FlowTextOptions = {}): string {
  const stats = options.stats ?? false;
  let s = '';
  if (stats || f.cookie !== 0n) s += `cookie=0x${f.cookie.toString(16)}, `;
  if (stats) s += `duration=${duration(f.durationSec, f.durationNsec)}, `;
  if (stats || f.tableId !== 0) s += `table=${f.tableId}, `;
  if (stats) s += `n_packets=${counter(f.packetCount)}, n_bytes=${counter(f.byteCount)}, `;
  if (f.idleTimeout) s += `idle_timeout=${f.idleTimeout}, `;
  if (f.hardTimeout) s += `hard_timeout=${f.hardTimeout}, `;
  s += flagsText(f.flags);
  const match = formatMatch(f.match, f.priority);
  if (match) s += `${match} `;
  return `${s}actions=${formatInstructions(f.instructions)}`;
}

const COMMAND_TEXT: Record<FlowMod['command'], string> = {
  add: 'ADD',
  modify: 'MOD',
  modify_strict: 'MOD_STRICT',
  delete: 'DEL',
  delete_strict: 'DEL_STRICT',
};

/** The body `ovs-ofctl ofp-print` shows for a flow-mod (after "OFPT_FLOW_MOD (OF1.3) (xid=…):"). */
export function formatFlowMod(m: FlowMod): string {
  let s = ` ${COMMAND_TEXT[m.command]}`;
  if (m.tableId !== 0) s += ` table:${m.tableId}`;
  s += ' ';
  s += formatMatch(m.match, m.priority);
  if (!s.endsWith(' ')) s += ' ';
  // As ofputil_flow_mod_format: an add sets a new cookie (its mask is meaningless); modify and
  // delete select by cookie/mask, and OpenFlow 1.3 modifies never set a new cookie.
  if (m.command === 'add') {
    if (m.cookie !== 0n && m.cookie !== 0xffffffffffffffffn) s += `cookie:0x${m.cookie.toString(16)} `;
  } else if (m.cookieMask !== 0n) {
    s += `cookie:0x${m.cookie.toString(16)}/0x${m.cookieMask.toString(16)} `;
  }
  if (m.idleTimeout) s += `idle:${m.idleTimeout} `;
  if (m.hardTimeout) s += `hard:${m.hardTimeout} `;
  if (m.bufferId !== OFP_NO_BUFFER) s += `buf:0x${m.bufferId.toString(16)} `;
  if (m.outPort !== OFPP.ANY) s += `out_port:${formatPort(m.outPort)} `;
  s += flagsText(m.flags);
  return `${s}actions=${formatInstructions(m.instructions)}`;
}
