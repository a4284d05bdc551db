// Prometheus metrics for /metrics. One registry per app (not prom-client's global), so several apps in one process
// (tests) never collide on metric names.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  syncRuns: Counter<'outcome'>;
  syncDuration: Histogram;
}

export const createMetrics = (): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({ name: 'stagecraft_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers: [registry] }),
    duration: new Histogram({ name: 'stagecraft_http_request_duration_seconds', help: 'HTTP request duration by route pattern', labelNames: ['method', 'route'], buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    syncRuns: new Counter({ name: 'stagecraft_sync_runs_total', help: 'Syncs started from the API, by outcome', labelNames: ['outcome'], registers: [registry] }),
    syncDuration: new Histogram({ name: 'stagecraft_sync_duration_seconds', help: 'Duration of API-triggered syncs', buckets: [0.5, 1, 2, 5, 10, 30, 60, 120], registers: [registry] }),
  };
};
