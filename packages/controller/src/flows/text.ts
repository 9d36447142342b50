// Flows as text. `flowText` is exactly the line `ovs-ofctl -O OpenFlow13 --no-stats dump-flows`
// prints for the installed flow (so tests can compare with a real switch); `namedFlowText` is the
// same line with table numbers replaced by display names and the cookie explained, for golden
// tests and `weir flows` — numbers change when a table is inserted, names do not.
import { formatFlowStats, type FlowMod, type FlowStats } from '@weir/openflow';
import { parseCookie } from '../pipeline/cookies.js';
import { describePriority } from '../pipeline/priorities.js';
import { tableName } from '../pipeline/tables.js';

function asStats(m: FlowMod): FlowStats {
  return {
    tableId: m.tableId,
    durationSec: 0,
    durationNsec: 0,
    priority: m.priority,
    idleTimeout: m.idleTimeout,
    hardTimeout: m.hardTimeout,
    flags: m.flags,
    cookie: m.cookie,
    packetCount: 0n,
    byteCount: 0n,
    match: m.match,
    instructions: m.instructions,
  };
}

/** The `dump-flows --no-stats` line of the flow this flow-mod adds. */
export function flowText(m: FlowMod): string {
  return formatFlowStats(asStats(m));
}

/** `gen 3 l2 port:17`, or the raw hex for a cookie Weir did not make. */
export function describeCookie(cookie: bigint): string {
  const p = parseCookie(cookie);
  if (p === undefined) return `0x${cookie.toString(16)}`;
  return `gen ${p.generation} ${p.app} ${p.owner.kind}:${p.owner.key}`;
}

/** Replace table numbers (in `table=`, `goto_table:`, `resubmit(,N)`) with display names. */
export function nameTables(text: string): string {
  return text
    .replace(/\btable=(\d+)/g, (_, n: string) => `table=${tableName(Number(n))}`)
    .replace(/\bgoto_table:(\d+)/g, (_, n: string) => `goto_table:${tableName(Number(n))}`)
    .replace(
      /\bresubmit\((\d*),(\d+)/g,
      (_, p: string, n: string) => `resubmit(${p},${tableName(Number(n))}`,
    );
}

/**
 * `table=L2Lookup, priority=normal+0, <match> actions=… # gen 3 l2 port:17` — a dump a person
 * reads. The cookie moves to the end as a comment, the priority shows its band.
 */
export function namedFlowText(m: FlowMod): string {
  const body = flowText({ ...m, cookie: 0n, tableId: 1 })
    .replace(/^table=1, /, '')
    .replace(/(^|,)priority=\d+/, `$1priority=${describePriority(m.priority)}`);
  const priorityShown = body.includes('priority=')
    ? body
    : `priority=${describePriority(m.priority)} ${body}`;
  return `table=${tableName(m.tableId)}, ${nameTables(priorityShown)} # ${describeCookie(m.cookie)}`;
}
