// Is OVN here, and installing it when it is not (Debian bookworm: ovn-central + ovn-host 23.03.1,
// which pull ovn-common; openvswitch-switch is already one of scripts/setup.sh's packages).
//
// What the packages start on a machine without systemd (read from their maintainer scripts):
// bookworm's ovn-central and ovn-host ship only systemd units (ovn-northd, ovn-ovsdb-server-nb/-sb,
// ovn-controller), no /etc/init.d scripts, and their postinst starts them only when
// /run/systemd/system exists — so on this machine they start nothing. openvswitch-switch, which
// ovn-host depends on, does have an init script that its postinst runs through invoke-rc.d
// (ovsdb-server + ovs-vswitchd on /var/run/openvswitch) if it gets installed here for the first
// time. Two guards: a policy-rc.d that denies every start during the install (only when the
// machine has none), and afterwards any ovn-northd / ovn-controller / ovsdb-server /
// ovs-vswitchd that a default pidfile names and that was not running before is stopped by PID.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where the shared, read-only peer scripts live: beside the repository, in shared/. */
export const PEER_SCRIPTS_DIR = new URL('../../../../shared/peers/ovn/', import.meta.url).pathname;

// The binaries run.sh / start.sh / workload.sh call. Debian puts ovn-northd and ovn-controller in
// /usr/bin, ovsdb-server and ovs-vswitchd in /usr/sbin: both must be on the PATH the scripts get.
const OVN_TOOLS = ['ovn-northd', 'ovn-controller', 'ovn-nbctl', 'ovn-sbctl', 'ovn-appctl'];
const OVS_TOOLS = ['ovsdb-server', 'ovsdb-tool', 'ovsdb-client', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl'];
const OTHER_TOOLS = ['python3', 'awk'];
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** PATH for the scripts: the caller's, plus the system directories a sudo'd shell may lack. */
export function scriptPath(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  return [...dirs, ...SYSTEM_PATH.filter((d) => !dirs.includes(d))].join(delimiter);
}

function onPath(tool: string): boolean {
  return scriptPath()
    .split(delimiter)
    .some((d) => {
      try {
        accessSync(join(d, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function missingTools(): string[] {
  return [...OVN_TOOLS, ...OVS_TOOLS, ...OTHER_TOOLS].filter((t) => !onPath(t));
}

/** Whether a peer run can start here: OVN and OVS installed, the shared scripts present, root. */
export function ovnAvailable(): { ok: boolean; why?: string } {
  const missing = missingTools();
  if (missing.length > 0) return { ok: false, why: `not installed: ${missing.join(', ')}` };
  if (!existsSync(join(PEER_SCRIPTS_DIR, 'run.sh'))) {
    return { ok: false, why: `no peer scripts at ${PEER_SCRIPTS_DIR}` };
  }
  // start.sh creates /var/run/openvswitch and the daemons want root for their rundirs.
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root' };
  return { ok: true };
}

// The pidfiles the packages' own services would write with their default paths.
const DEFAULT_PIDFILES = [
  '/var/run/ovn/ovnnb_db.pid',
  '/var/run/ovn/ovnsb_db.pid',
  '/var/run/ovn/ovn-northd.pid',
  '/var/run/ovn/ovn-controller.pid',
  '/var/run/openvswitch/ovsdb-server.pid',
  '/var/run/openvswitch/ovs-vswitchd.pid',
];
const DAEMONS = new Set(['ovn-northd', 'ovn-controller', 'ovsdb-server', 'ovs-vswitchd']);

function pidAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function liveDefaultDaemons(): Set<number> {
  const pids = new Set<number>();
  for (const f of DEFAULT_PIDFILES) {
    const pid = readPid(f);
    if (pid !== null && pidAlive(pid) && DAEMONS.has(commOf(pid))) pids.add(pid);
  }
  return pids;
}

async function stopPids(pids: readonly number[], log: (line: string) => void): Promise<void> {
  for (const pid of pids) {
    log(`ovn-peer: stopping ${commOf(pid)} (pid ${pid}) that the package install started`);
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(pidAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function run(cmd: string, args: readonly string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // stdin closed: a package that asks a question must not hang the benchmark.
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: scriptPath(), DEBIAN_FRONTEND: 'noninteractive' },
    });
    let tail = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim() !== '') log(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${tail}`)),
    );
  });
}

/** Installs ovn-central and ovn-host when an OVN tool is missing; leaves no daemon running. */
export async function ensureOvnPackages(options: { log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? (() => undefined);
  if (!missingTools().some((t) => OVN_TOOLS.includes(t))) return;
  if (process.getuid?.() !== 0) throw new Error('OVN peer: installing ovn-central/ovn-host needs root');
  const before = liveDefaultDaemons();
  const policy = '/usr/sbin/policy-rc.d';
  const madePolicy = !existsSync(policy);
  if (madePolicy)
    writeFileSync(policy, '#!/bin/sh\n# weir bench/peers/ovn: no service starts during install\nexit 101\n', {
      mode: 0o755,
    });
  try {
    // Wait for a dpkg lock another engineer's install may hold instead of failing at once.
    const lock = ['-o', 'DPkg::Lock::Timeout=600'];
    log('ovn-peer: apt-get install ovn-central ovn-host');
    await run('apt-get', [...lock, 'update', '-q'], log);
    await run('apt-get', [...lock, 'install', '-y', '-q', 'ovn-central', 'ovn-host'], log);
  } finally {
    if (madePolicy) rmSync(policy, { force: true });
    await stopPids(
      [...liveDefaultDaemons()].filter((pid) => !before.has(pid)),
      log,
    );
  }
  const still = missingTools();
  if (still.length > 0) throw new Error(`OVN peer: still missing after install: ${still.join(', ')}`);
}
