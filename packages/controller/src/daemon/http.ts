// The controller's HTTP endpoint: /metrics (Prometheus), /healthz (the process runs), /readyz
// (every controller in the process has synced its switch). Read-only, no body is ever read.
import { createServer, type Server } from 'node:http';
import type { LocalController } from './controller.js';
import { renderMetrics } from './metrics.js';
import { observeGc } from './process-figures.js';

export interface ControllerHttp {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveControllerHttp(
  listen: { readonly host: string; readonly port: number },
  controllers: () => readonly LocalController[],
): Promise<ControllerHttp> {
  observeGc();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      res
        .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
        .end(renderMetrics(controllers().map((c) => c.stats())));
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const notReady = controllers()
        .filter((c) => !c.isReady)
        .map((c) => c.chassis);
      res
        .writeHead(notReady.length === 0 ? 200 : 503, { 'content-type': 'text/plain' })
        .end(notReady.length === 0 ? 'ready\n' : `not synced: ${notReady.join(', ')}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  return {
    url: `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
