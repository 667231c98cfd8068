export { createRetractClient, type RetractClient, type RetractClientOptions } from './client';
export { ok, RetractProblemError, type Problem } from './problems';
export { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';
export { IDEMPOTENCY_KEY, retryingFetch, type Fetch, type KeyedOperation } from './retrying-fetch';
export type { components, operations, paths } from './generated/openapi';
