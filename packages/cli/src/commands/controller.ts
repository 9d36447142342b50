// `weir controller`: one local controller for this node, until SIGINT/SIGTERM (a clean stop
// removes the chassis at once; a crash leaves it to its lease).
//
//   weir controller --db URL --chassis NAME --ovsdb unix:PATH [--bridge br-int] --tunnel-ip IP
//                   [--openflow unix:PATH] [--tunnel-types geneve,vxlan] [--datapath-type netdev]
//                   [--metrics-listen H:P] [--log-level info]
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import {
  LocalController,
  OvsPlatform,
  serveControllerHttp,
  type LogLevel,
  type OverlayType,
} from '@weir/controller';
import { openStore } from '@weir/nbdb';

export interface ControllerFlags {
  readonly db?: string;
  readonly chassis?: string;
  readonly ovsdb?: string;
  readonly bridge?: string;
  readonly tunnelIp?: string;
  readonly openflow?: string;
  readonly tunnelTypes?: string;
  readonly datapathType?: string;
  readonly metricsListen?: string;
  readonly logLevel?: string;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export class FlagError extends Error {}

export interface ControllerConfig {
  readonly db: string;
  readonly chassis: string;
  readonly ovsdb: string;
  readonly bridge: string;
  readonly tunnelIp: string;
  readonly openflow: string;
  readonly tunnelTypes: readonly OverlayType[];
  readonly datapathType: string | undefined;
  readonly metricsListen: { readonly host: string; readonly port: number } | undefined;
  readonly logLevel: LogLevel;
}

export function parseListen(text: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (m === null || !(port >= 0 && port <= 65535))
    throw new FlagError(`${flag}: expected HOST:PORT, got "${text}"`);
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Validates the flags once (the boundary): every error names the flag. */
export function controllerConfig(flags: ControllerFlags): ControllerConfig {
  const need = (value: string | undefined, flag: string): string => {
    if (value === undefined || value === '') throw new FlagError(`${flag} is required`);
    return value;
  };
  const chassis = need(flags.chassis, '--chassis');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(chassis))
    throw new FlagError(`--chassis: "${chassis}" is not a host name (letters, digits, '.', '_', '-')`);
  const tunnelIp = need(flags.tunnelIp, '--tunnel-ip');
  if (isIP(tunnelIp) === 0) throw new FlagError(`--tunnel-ip: "${tunnelIp}" is not an IP address`);
  const ovsdb = need(flags.ovsdb, '--ovsdb');
  if (!/^(unix:.+|tcp:.+:\d+)$/.test(ovsdb))
    throw new FlagError(`--ovsdb: expected unix:PATH or tcp:HOST:PORT`);
  const db = need(flags.db, '--db');
  if (!/^(memory:|file:|etcd:\/\/)/.test(db))
    throw new FlagError(`--db: expected memory:, file:PATH or etcd://HOST:PORT`);
  // ovs-vswitchd dials unix controller targets only under its own run directory (where its
  // db.sock usually is), so that is the default home of ours.
  const openflow =
    flags.openflow ??
    (ovsdb.startsWith('unix:') ? `unix:${dirname(ovsdb.slice(5))}/weir-of.sock` : undefined);
  if (openflow === undefined) throw new FlagError('--openflow is required when --ovsdb is not a unix socket');
  if (!/^(unix:.+|tcp:.+:\d+)$/.test(openflow))
    throw new FlagError(`--openflow: expected unix:PATH or tcp:HOST:PORT`);
  const types = (flags.tunnelTypes ?? 'geneve,vxlan').split(',').map((t) => t.trim());
  for (const t of types)
    if (t !== 'geneve' && t !== 'vxlan') throw new FlagError(`--tunnel-types: unknown type "${t}"`);
  const level = (flags.logLevel ?? 'info') as LogLevel;
  if (!LEVELS.includes(level)) throw new FlagError(`--log-level: one of ${LEVELS.join(', ')}`);
  return {
    db,
    chassis,
    ovsdb,
    bridge: flags.bridge ?? 'br-int',
    tunnelIp,
    openflow,
    tunnelTypes: [...new Set(types)] as OverlayType[],
    datapathType: flags.datapathType,
    metricsListen:
      flags.metricsListen === undefined ? undefined : parseListen(flags.metricsListen, '--metrics-listen'),
    logLevel: level,
  };
}

export function jsonLogger(name: string, min: LogLevel) {
  const rank = (l: LogLevel): number => LEVELS.indexOf(l);
  return (level: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}): void => {
    if (rank(level) < rank(min)) return;
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, name, msg: message, ...fields })}\n`,
    );
  };
}

export async function runController(flags: ControllerFlags): Promise<number> {
  // A controller is a long-lived daemon whose work comes in bursts (a full sync, a bulk of NB
  // changes): by default V8 lets the heap grow with every burst and keeps it. Favouring size over
  // speed bounds it by the live data instead — measured at 10,000 ports: live heap ~40 MB, RSS
  // about half of what it is without (docs/benchmarks.md, W4). Set before anything is allocated.
  setFlagsFromString('--optimize-for-size');
  let config: ControllerConfig;
  try {
    config = controllerConfig(flags);
  } catch (error) {
    if (error instanceof FlagError) {
      process.stderr.write(`weir controller: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const log = jsonLogger(`controller/${config.chassis}`, config.logLevel);
  let store;
  try {
    store = await openStore(config.db);
  } catch (error) {
    process.stderr.write(
      `weir controller: cannot open the store ${config.db}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const controller = new LocalController({
    store,
    chassis: config.chassis,
    tunnelIp: config.tunnelIp,
    tunnelTypes: config.tunnelTypes,
    platform: new OvsPlatform({
      ovsdb: config.ovsdb,
      bridge: config.bridge,
      openflow: config.openflow,
      ...(config.datapathType === undefined ? {} : { datapathType: config.datapathType }),
    }),
    log,
  });
  try {
    await controller.start();
  } catch (error) {
    process.stderr.write(`weir controller: ${(error as Error).message}\n`);
    await controller.stop({ unregister: true }).catch(() => undefined);
    await store.close();
    return 1;
  }
  const http = config.metricsListen
    ? await serveControllerHttp(config.metricsListen, () => [controller])
    : undefined;
  process.stdout.write(
    `weir controller: chassis ${config.chassis}, generation ${controller.generation}, bridge ${config.bridge}, ` +
      `openflow ${config.openflow}${http ? `, metrics ${http.url}/metrics` : ''}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await http?.close();
  await controller.stop({ unregister: true });
  await store.close();
  return 0;
}
