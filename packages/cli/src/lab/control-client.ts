// Talking to a running lab daemon over its unix control socket (HTTP), and checking processes.
import { request } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';

export function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    // A zombie (exited, not yet reaped) is not running (../shared/lab/README.md, pitfall 12).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export interface ControlReply {
  readonly status: number;
  readonly body: unknown;
}

export function control(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 120_000,
): Promise<ControlReply> {
  if (!existsSync(socket))
    return Promise.reject(new Error(`the lab daemon is not listening (${socket} is missing)`));
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`the lab daemon did not answer ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export function errorOf(reply: ControlReply): string {
  const b = reply.body as { error?: unknown } | undefined;
  return typeof b?.error === 'string' ? b.error : `HTTP ${reply.status}`;
}
