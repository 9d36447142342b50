// `weir server`: starts the Neutron, Octavia and Keystone APIs and runs until SIGINT/SIGTERM.
import { ConfigError, loadServerConfig, startServer } from '@weir/api';

export interface ServerFlags {
  readonly config?: string;
  readonly db?: string;
  readonly networkListen?: string;
  readonly lbListen?: string;
  readonly identityListen?: string;
  readonly auth?: string;
  readonly logLevel?: string;
}

export async function runServer(flags: ServerFlags): Promise<number> {
  let config;
  try {
    config = loadServerConfig(flags.config, {
      db: flags.db,
      auth: flags.auth,
      log_level: flags.logLevel,
      listen: {
        ...(flags.networkListen === undefined ? {} : { network: flags.networkListen }),
        ...(flags.lbListen === undefined ? {} : { load_balancer: flags.lbListen }),
        ...(flags.identityListen === undefined ? {} : { identity: flags.identityListen }),
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`weir server: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let server;
  try {
    server = await startServer(config);
  } catch (error) {
    // The store unreachable, a port taken, configured projects clashing with stored ones…
    process.stderr.write(`weir server: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    `weir server: network ${server.urls.network}, load-balancer ${server.urls.loadBalancer}, ` +
      `identity ${server.urls.identity}/v3, store ${config.db}, auth ${config.auth}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
