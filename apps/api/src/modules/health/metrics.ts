import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'retract_' });

export const httpRequestDuration = new Histogram({
  name: 'retract_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const loginFailures = new Counter({
  name: 'retract_login_failures_total',
  help: 'Failed login attempts',
  registers: [registry],
});
