// One exit hook for every process the lab starts (OVS daemons, etcd): if the test process exits
// or is interrupted, what it started is stopped synchronously rather than left running for the
// next run's reaper. Signals are re-raised after cleanup so the exit status stays honest.

export interface SyncStoppable {
  stopSync(): void;
}

const live = new Set<SyncStoppable>();
let installed = false;

function stopAll(): void {
  for (const instance of [...live]) {
    try {
      instance.stopSync();
    } catch {
      // Best effort at exit: one stuck instance must not keep the others running.
    }
  }
}

/** Tracks an instance until `forgetAtExit`; installs the process hooks on first use. */
export function stopAtExit(instance: SyncStoppable): void {
  live.add(instance);
  if (installed) return;
  installed = true;
  process.on('exit', stopAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      stopAll();
      process.kill(process.pid, sig);
    });
  }
}

export function forgetAtExit(instance: SyncStoppable): void {
  live.delete(instance);
}
