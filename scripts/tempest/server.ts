// A fresh `weir server` for one tempest run: its own process (the real command, as an operator
// runs it), loopback ports chosen by the system, a memory store. The URLs are read from the line
// the command prints once it listens. Stopped with SIGTERM, then SIGKILL if it lingers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export interface ServerUrls {
  readonly network: string;
  readonly loadBalancer: string;
  /** Unversioned, as in the catalog. */
  readonly identity: string;
}

export interface WeirServer {
  readonly urls: ServerUrls;
  readonly pid: number;
  stop(): Promise<void>;
}

const WEIR = new URL('../../packages/cli/bin/weir.mjs', import.meta.url).pathname;
const READY = /weir server: network (\S+), load-balancer (\S+), identity (\S+)\/v3,/;

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** Starts the server with `configFile`; its output goes to `logFile`. */
export function startWeirServer(configFile: string, logFile: string): Promise<WeirServer> {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [WEIR, 'server', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log);
  const stop = stopper(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      void stop().then(() => reject(new Error(`weir server did not start within 60 s (see ${logFile})`)));
    }, 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const m = READY.exec(seen);
      if (m && child.pid !== undefined) {
        clearTimeout(timer);
        seen = '';
        resolve({
          urls: { network: m[1] as string, loadBalancer: m[2] as string, identity: m[3] as string },
          pid: child.pid,
          stop,
        });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`weir server exited (${signal ?? code}) before listening (see ${logFile})`));
    });
  });
}
