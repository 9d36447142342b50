// Process-wide figures for /metrics: CPU time (microseconds, where /proc's are 10 ms ticks) and
// time in V8's garbage collector by kind — what tells an operator whether a controller's CPU goes
// to its own work or to collecting garbage. One observer per process, started on first use.
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

const GC_KINDS: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

const gcSeconds = new Map<string, number>();
let observer: PerformanceObserver | undefined;

function gcKind(entry: PerformanceEntry): string {
  // GC entries carry their kind in `detail` (Node ≥ 16); the type of the base entry omits it.
  const detail = (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } | null }).detail;
  return GC_KINDS.get(detail?.kind ?? -1) ?? 'other';
}

/** Starts counting GC time (idempotent): call it when the metrics endpoint starts. */
export function observeGc(): void {
  if (observer !== undefined) return;
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = gcKind(entry);
      gcSeconds.set(kind, (gcSeconds.get(kind) ?? 0) + entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}

export interface ProcessFigures {
  readonly cpuUserSeconds: number;
  readonly cpuSystemSeconds: number;
  /** Seconds spent in garbage collection since observeGc(), by kind (minor, major, …). */
  readonly gcSeconds: ReadonlyMap<string, number>;
}

export function processFigures(): ProcessFigures {
  observeGc();
  const cpu = process.cpuUsage();
  return {
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    gcSeconds: new Map(gcSeconds),
  };
}
