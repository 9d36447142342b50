// A trace as text, for assertion messages and debugging: one line per table lookup (indented by
// nesting depth), then outputs, packet-ins, drops and notes. `cookieName` lets a caller print
// owners instead of raw cookies.
import { RESERVED_PORT_NAMES } from '@weir/openflow';
import type { Packet } from './packet.js';
import type { ActionSite, TraceResult } from './types.js';

export interface TraceTextOptions {
  readonly cookieName?: (cookie: bigint) => string;
}

const port = (p: number): string => RESERVED_PORT_NAMES.get(p) ?? String(p);

function fields(p: Packet): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'bigint' ? `0x${v.toString(16)}` : String(v)}`)
    .join(',');
}

export function formatTrace(t: TraceResult, options: TraceTextOptions = {}): string {
  const cookie = (c: bigint | undefined): string =>
    c === undefined ? '' : options.cookieName ? ` ${options.cookieName(c)}` : ` cookie=0x${c.toString(16)}`;
  const at = (s: ActionSite): string =>
    s.tableId === undefined ? 'packet-out' : `table=${s.tableId}${cookie(s.cookie)}`;
  const lines: string[] = [];
  for (const s of t.path) {
    const indent = '  '.repeat(s.depth);
    const via = s.via === 'start' || s.via === 'goto_table' ? '' : ` (${s.via})`;
    lines.push(
      s.miss
        ? `${indent}table=${s.tableId}${via}: no match`
        : `${indent}table=${s.tableId}${via} priority=${s.priority}${cookie(s.cookie)}`,
    );
  }
  for (const o of t.outputs) lines.push(`output:${port(o.port)} from ${at(o)}: ${fields(o.packet)}`);
  for (const p of t.packetIns) lines.push(`packet-in (${p.reason}) from ${at(p)}: ${fields(p.packet)}`);
  for (const d of t.drops) {
    const what =
      d.port !== undefined ? ` port ${port(d.port)}` : d.groupId !== undefined ? ` group ${d.groupId}` : '';
    lines.push(`drop (${d.reason}${what}) at ${at(d)}`);
  }
  for (const l of t.learned) lines.push(`learn into table ${l.action.table} (not applied) at ${at(l)}`);
  if (t.error) lines.push(`translation failed: ${t.error}`);
  for (const n of t.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
