// The switch's tables as canonical text, for Faucet-style invariants ("re-applying a batch
// changes nothing", "A→B→A restores an identical table"): flows as `ovs-ofctl --no-stats
// dump-flows` prints them (so counters, durations and the order flows were added in do not
// matter), by table, then priority (highest first), then text; then groups as `dump-groups`.
import { formatFlowStats, formatGroup } from '@weir/openflow';
import type { Datapath } from './datapath.js';
import { flowStatsOf } from './flow-entry.js';

export function flowLines(datapath: Datapath): string[] {
  const lines = datapath.flows.all().map((e) => ({ e, text: formatFlowStats(flowStatsOf(e, 0)) }));
  lines.sort(
    (a, b) =>
      a.e.tableId - b.e.tableId ||
      b.e.priority - a.e.priority ||
      (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
  return lines.map((l) => l.text);
}

export function groupLines(datapath: Datapath): string[] {
  return datapath.groups.all().map(formatGroup);
}

export function snapshotText(datapath: Datapath): string {
  return [...flowLines(datapath), ...groupLines(datapath)].join('\n');
}
