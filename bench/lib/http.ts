// What every benchmark needs to drive a Weir API: a JSON call that fails loudly on any non-2xx,
// and a `weir server` child process whose network endpoint is read from its start-up line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const WEIR = join(new URL('../..', import.meta.url).pathname, 'packages/cli/bin/weir.mjs');

export async function callJson<T>(api: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Starts `weir server ARGS…`; resolves with the Neutron endpoint it announces on stdout. */
export async function spawnWeirServer(
  args: readonly string[],
  /** 'inherit', or an open file descriptor (a log file). */
  stderr: 'inherit' | number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [WEIR, 'server', ...args], { stdio: ['ignore', 'pipe', stderr] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /network (http:\/\/[^,\s]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`weir server exited (${String(code)}): ${out}`)));
  });
  return { child, url };
}
