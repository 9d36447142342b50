// Prometheus metrics of the API processes: one request histogram (by API, method, route and
// status) plus the default process metrics. One registry per server, so tests may run many.
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  observe(api: string, method: string, route: string, status: number, seconds: number): void;
  render(): Promise<string>;
  readonly contentType: string;
  readonly registry: Registry;
}

export function createApiMetrics(withProcessMetrics = true): ApiMetrics {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'weir_server_' });
  const requests = new Histogram({
    name: 'weir_api_request_duration_seconds',
    help: 'HTTP requests served by weir server, by API, method, route template and status',
    labelNames: ['api', 'method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    observe(api, method, route, status, seconds) {
      requests.observe({ api, method, route, status: String(status) }, seconds);
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
    registry,
  };
}
