// `weir lab up`: starts the lab daemon in the background, waits until the lab is ready (or
// failed), and prints how to reach it.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRunning } from './control-client.js';
import { DEFAULT_LAB_NAME, readLabState, type LabState } from './state.js';
import { daemonEnv } from '../daemon-env.js';

export interface UpFlags {
  readonly nodes?: string;
  readonly db?: string;
  readonly state: string;
  readonly name?: string;
  readonly apiPort?: string;
  readonly metricsPort?: string;
  readonly baseDir?: string;
  readonly json?: boolean;
}

// The weir bin sets WEIR_BIN (the same file runs the sources or the bundle).
const WEIR_BIN = process.env.WEIR_BIN ?? new URL('../../bin/weir.mjs', import.meta.url).pathname;

export class UsageError extends Error {}

function integer(text: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: an integer from ${min} to ${max}`);
  return n;
}

export function upArgs(flags: UpFlags): string[] {
  const nodes = integer(flags.nodes, '--nodes', 1, 24, 3);
  const db = flags.db ?? 'memory:';
  if (db !== 'memory:' && db !== 'memory' && db !== 'etcd' && !/^file:.+/.test(db))
    throw new UsageError('--db: memory:, file:PATH or etcd');
  const name = flags.name ?? DEFAULT_LAB_NAME;
  if (!/^[a-z0-9][a-z0-9-]{0,15}$/.test(name))
    throw new UsageError('--name: lower-case letters, digits and dashes, at most 16');
  const apiPort = integer(flags.apiPort, '--api-port', 1024, 65000, 9696);
  const metricsPort = integer(flags.metricsPort, '--metrics-port', 1024, 65000, 9650);
  const dbArg = db === 'memory' ? 'memory:' : db.startsWith('file:') ? `file:${resolve(db.slice(5))}` : db;
  return [
    ...['--state', resolve(flags.state), '--name', name, '--nodes', String(nodes), '--db', dbArg],
    ...['--api-port', String(apiPort), '--metrics-port', String(metricsPort)],
    ...(flags.baseDir === undefined ? [] : ['--base-dir', flags.baseDir]),
  ];
}

export async function labUp(flags: UpFlags): Promise<number> {
  let args: string[];
  try {
    args = upArgs(flags);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`weir lab up: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const stateDir = resolve(flags.state);
  const existing = readLabState(stateDir);
  if (existing !== undefined && isRunning(existing.daemonPid)) {
    process.stderr.write(
      `weir lab up: a lab is already up in ${stateDir} (daemon ${existing.daemonPid}); weir lab down first\n`,
    );
    return 1;
  }
  rmSync(join(stateDir, 'lab.json'), { force: true });
  mkdirSync(stateDir, { recursive: true });
  const log = openSync(join(stateDir, 'daemon.log'), 'a');
  const child = spawn(process.execPath, [WEIR_BIN, 'lab', 'daemon', ...args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: daemonEnv(),
  });
  closeSync(log);
  child.unref();
  const started = performance.now();
  let state: LabState | undefined;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    state = readLabState(stateDir);
    if (state?.status === 'ready' || state?.status === 'failed') break;
    if (!isRunning(child.pid)) {
      process.stderr.write(`weir lab up: the lab daemon exited; see ${join(stateDir, 'daemon.log')}\n`);
      return 1;
    }
    if (performance.now() - started > 180_000) {
      process.stderr.write(`weir lab up: not ready after 180 s; see ${join(stateDir, 'daemon.log')}\n`);
      return 1;
    }
  }
  if (state.status === 'failed') {
    process.stderr.write(`weir lab up: ${state.error ?? 'failed'}; see ${join(stateDir, 'daemon.log')}\n`);
    return 1;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `weir lab ${state.name}: ${state.nodes.length} nodes up in ${seconds} s (store ${state.db}, daemon pid ${state.daemonPid})`,
    `  network (Neutron)       ${state.endpoints.network}`,
    `  load-balancer (Octavia) ${state.endpoints.loadBalancer}`,
    `  identity (Keystone)     ${state.endpoints.identity}`,
    ...(state.metrics ? [`  controller metrics      ${state.metrics}`] : []),
    ...state.nodes.map((n) => `  ${n.name}  tunnel ${n.tunnelIp}  ovsdb ${n.ovsdb}`),
    '',
    `OS_CLIENT_CONFIG_FILE=${state.clouds} OS_CLOUD=weir-lab openstack network list`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
