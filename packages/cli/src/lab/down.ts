// `weir lab down`: removes every process, namespace, link and file the lab made — through the
// daemon when it runs, and by PID and sweep when it does not (after a crash). Idempotent.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_LAB_BASE, stopProcess, sweepStaleEtcdInstances, sweepStaleOvsInstances } from '@weir/lab';
import { control, isRunning } from './control-client.js';
import { readLabState } from './state.js';

export async function labDown(flags: { readonly state: string }): Promise<number> {
  const stateDir = resolve(flags.state);
  const state = readLabState(stateDir);
  if (state !== undefined && isRunning(state.daemonPid)) {
    await control(state.control, 'POST', '/shutdown').catch(() => undefined);
    const deadline = Date.now() + 60_000;
    while (isRunning(state.daemonPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isRunning(state.daemonPid)) await stopProcess(state.daemonPid, 'lab', 1000);
  }
  // What a dead daemon left: its children, checked by command line before any signal.
  for (const pid of [state?.serverPid, ...(state?.nodes ?? []).map((n) => n.controllerPid)]) {
    if (pid !== undefined && isRunning(pid)) await stopProcess(pid, 'weir', 2000);
  }
  // Nodes, underlay, etcd: records whose owner (the daemon) is gone are reaped.
  const base = state?.baseDir ?? DEFAULT_LAB_BASE;
  const ovs = await sweepStaleOvsInstances(base);
  const etcd = await sweepStaleEtcdInstances(base);
  rmSync(stateDir, { recursive: true, force: true });
  process.stdout.write(
    state === undefined && ovs + etcd === 0
      ? `weir lab down: no lab in ${stateDir}\n`
      : `weir lab down: ${state?.name ?? 'lab'} removed${ovs + etcd > 0 ? ` (reaped ${ovs + etcd} leftovers)` : ''}\n`,
  );
  return 0;
}
