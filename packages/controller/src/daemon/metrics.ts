// Prometheus exposition text for one or more controllers (the lab runs several in one process),
// labelled by chassis. Counters end in _total; the engine's per-node stats are labelled by node.
import type { ControllerStats } from './controller.js';
import { processFigures } from './process-figures.js';

type Sample = readonly [labels: Readonly<Record<string, string>>, value: number];

class Family {
  readonly samples: Sample[] = [];
  constructor(
    readonly name: string,
    readonly type: 'counter' | 'gauge',
    readonly help: string,
  ) {}
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`,
  );
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export function renderMetrics(all: readonly ControllerStats[]): string {
  const families = new Map<string, Family>();
  const add = (
    name: string,
    type: 'counter' | 'gauge',
    help: string,
    labels: Record<string, string>,
    value: number,
  ): void => {
    let f = families.get(name);
    if (f === undefined) families.set(name, (f = new Family(name, type, help)));
    f.samples.push([labels, value]);
  };
  for (const s of all) {
    const c = { chassis: s.chassis };
    add('weir_controller_generation', 'gauge', 'Cookie generation of this controller run', c, s.generation);
    add('weir_controller_connected', 'gauge', '1 while the switch is connected', c, s.connected ? 1 : 0);
    add('weir_controller_local_ports', 'gauge', 'Ports bound and plugged on this chassis', c, s.localPorts);
    add(
      'weir_controller_plugged_not_served',
      'gauge',
      'Interfaces here whose port is bound elsewhere or unbound',
      c,
      s.pluggedNotServed,
    );
    add(
      'weir_controller_sweep_pending',
      'gauge',
      '1 while an earlier run’s flows wait for this run’s view to be whole',
      c,
      s.sweepPending ? 1 : 0,
    );
    add('weir_controller_desired_flows', 'gauge', 'Flows the engine wants installed', c, s.desiredFlows);
    add('weir_controller_desired_owners', 'gauge', 'Objects that own flows', c, s.desiredOwners);
    add('weir_controller_engine_runs_total', 'counter', 'Engine runs', c, s.engineRuns);
    add(
      'weir_controller_engine_run_failures_total',
      'counter',
      'Engine runs in which a node threw',
      c,
      s.engineRunFailures,
    );
    add(
      'weir_controller_engine_last_run_seconds',
      'gauge',
      'Wall time of the last engine run',
      c,
      s.lastRunMs / 1000,
    );
    for (const [node, n] of Object.entries(s.engine.nodes)) {
      const l = { ...c, node };
      add('weir_engine_node_recomputes_total', 'counter', 'Recomputes of an engine node', l, n.recomputes);
      add(
        'weir_engine_node_handled_total',
        'counter',
        'Changes an engine node handled incrementally',
        l,
        n.handled,
      );
      add(
        'weir_engine_node_unhandled_total',
        'counter',
        'Changes an engine node declined (recompute)',
        l,
        n.unhandled,
      );
      add('weir_engine_node_seconds_total', 'counter', 'Time spent in an engine node', l, n.seconds);
    }
    const i = s.installer;
    add('weir_installer_bundles_total', 'counter', 'OpenFlow bundles committed', c, i.bundles);
    add('weir_installer_messages_total', 'counter', 'Flow and group mods sent in bundles', c, i.messages);
    add('weir_installer_full_syncs_total', 'counter', 'Full syncs (each switch connection)', c, i.fullSyncs);
    add(
      'weir_installer_swept_flows_total',
      'counter',
      'Stale flows removed after a full sync',
      c,
      i.sweptFlows,
    );
    add(
      'weir_installer_rejected_owners_total',
      'counter',
      'Owners whose flows the switch refused',
      c,
      i.rejectedOwners,
    );
    add('weir_installer_failures_total', 'counter', 'Install rounds that failed and resynced', c, i.failures);
    add(
      'weir_installer_last_full_sync_seconds',
      'gauge',
      'Duration of the last full sync',
      c,
      i.lastFullSyncMs / 1000,
    );
    const t = s.topology;
    add('weir_topology_networks', 'gauge', 'Networks held (subscribed)', c, t.networks);
    add('weir_topology_ports', 'gauge', 'Ports held', c, t.ports);
    add('weir_topology_chassis', 'gauge', 'Live chassis known', c, t.chassis);
    add('weir_topology_events_total', 'counter', 'Store watch events received', c, t.events);
    add(
      'weir_topology_events_dropped_total',
      'counter',
      'Watch events of networks not held here',
      c,
      t.dropped,
    );
    add('weir_topology_resets_total', 'counter', 'Watch resets (re-reads)', c, t.resets);
    const p = s.packetIn;
    add(
      'weir_openflow_decode_errors_total',
      'counter',
      'OpenFlow messages from the switch that did not decode (skipped)',
      c,
      s.openflowDecodeErrors,
    );
    add('weir_packet_in_total', 'counter', 'Packet-ins received', c, p.received);
    add(
      'weir_packet_in_malformed_total',
      'counter',
      'Packet-ins that did not decode (dropped)',
      c,
      p.malformed,
    );
    add(
      'weir_packet_in_rate_limited_total',
      'counter',
      'Packet-ins over their source rate (dropped)',
      c,
      p.rateLimited,
    );
    add('weir_packet_in_unhandled_total', 'counter', 'Packet-ins no app handles', c, p.unhandled);
    add(
      'weir_port_status_writes_total',
      'counter',
      'Port status writes to the store',
      c,
      s.portStatus.writes,
    );
    add(
      'weir_port_status_failures_total',
      'counter',
      'Port status writes that failed',
      c,
      s.portStatus.failures,
    );
  }
  // The process (one per controller in production; shared in the one-process lab).
  const m = process.memoryUsage();
  add('weir_process_resident_memory_bytes', 'gauge', 'Resident set size of this process', {}, m.rss);
  add('weir_process_heap_used_bytes', 'gauge', 'V8 heap in use', {}, m.heapUsed);
  add('weir_process_heap_total_bytes', 'gauge', 'V8 heap reserved', {}, m.heapTotal);
  add('weir_process_external_bytes', 'gauge', 'Memory held outside the V8 heap (buffers)', {}, m.external);
  const p = processFigures();
  const cpuHelp = 'CPU time of this process';
  add('weir_process_cpu_seconds_total', 'counter', cpuHelp, { mode: 'user' }, p.cpuUserSeconds);
  add('weir_process_cpu_seconds_total', 'counter', cpuHelp, { mode: 'system' }, p.cpuSystemSeconds);
  const gcHelp = 'Time in V8 garbage collection (since the metrics endpoint started), by kind';
  for (const [kind, seconds] of p.gcSeconds)
    add('weir_process_gc_seconds_total', 'counter', gcHelp, { kind }, seconds);
  const lines: string[] = [];
  for (const f of families.values()) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const [labels, value] of f.samples) lines.push(`${f.name}${labelText(labels)} ${value}`);
  }
  return `${lines.join('\n')}\n`;
}
