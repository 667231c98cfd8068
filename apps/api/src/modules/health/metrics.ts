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

/**
 * Refused logins by reason. `invalid_credentials` covers unknown organisation, unknown user, wrong
 * password and deactivated account alike, because /metrics is public and must not tell them apart;
 * `throttled` counts attempts refused by the rate limit before their credentials were checked;
 * `sso_refused` counts sign-ins through the organisation's provider that were refused (their reason is logged).
 */
export const LOGIN_FAILURE_REASONS = ['invalid_credentials', 'throttled', 'sso_required', 'sso_refused'] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

export const loginFailures = new Counter({
  name: 'retract_login_failures_total',
  help: 'Refused login attempts by reason (invalid_credentials, throttled, sso_required, sso_refused)',
  labelNames: ['reason'] as const,
  registers: [registry],
});
for (const reason of LOGIN_FAILURE_REASONS) loginFailures.inc({ reason }, 0);

export const countLoginFailure = (reason: LoginFailureReason) => loginFailures.inc({ reason });
