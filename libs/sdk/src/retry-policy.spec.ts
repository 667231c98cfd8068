import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';

const policies = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 10 }),
  baseDelayMs: fc.integer({ min: 1, max: 5_000 }),
  maxDelayMs: fc.integer({ min: 1, max: 120_000 }),
});
const draws = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds as that many seconds', () => {
    fc.assert(fc.property(fc.nat({ max: 1_000_000 }), (seconds) => parseRetryAfter(String(seconds), NOW) === seconds * 1000));
  });

  it('reads an HTTP-date as the time until it, and a past date as now', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSeconds) => {
        const date = new Date(NOW + offsetSeconds * 1000).toUTCString();
        return parseRetryAfter(date, NOW) === Math.max(0, offsetSeconds * 1000);
      }),
    );
  });

  it('ignores what is neither', () => {
    for (const value of [null, undefined, '', '-1', '1.5', 'soon', '0x10', '1e3', 'Thu, 99 Foo 2026 GMT']) expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('stops once the attempts are spent', () => {
    fc.assert(
      fc.property(
        policies,
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.nat({ max: 200_000 }), { nil: undefined }),
        draws,
        (policy, extra, retryAfter, draw) => {
          return retryDelay(policy, policy.maxAttempts + extra, retryAfter, draw) === undefined;
        },
      ),
    );
  });

  it("waits exactly the server's Retry-After when the caller accepts that long, and gives up otherwise", () => {
    fc.assert(
      fc.property(policies, fc.nat({ max: 200_000 }), draws, (policy: RetryPolicy, retryAfter, draw) => {
        fc.pre(policy.maxAttempts > 1);
        const delay = retryDelay(policy, 1, retryAfter, draw);
        return retryAfter <= policy.maxDelayMs ? delay === retryAfter : delay === undefined;
      }),
    );
  });

  it('without Retry-After, backs off within a doubling ceiling capped at maxDelayMs', () => {
    fc.assert(
      fc.property(policies, fc.integer({ min: 1, max: 9 }), draws, (policy, attempt, draw) => {
        fc.pre(attempt < policy.maxAttempts);
        const delay = retryDelay(policy, attempt, undefined, draw);
        const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        return delay !== undefined && Number.isInteger(delay) && delay >= 0 && delay < Math.max(1, ceiling);
      }),
    );
  });

  it('by default tries four times', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(DEFAULT_RETRY_POLICY, attempt, 0, 0))).toEqual([0, 0, 0, undefined]);
  });
});
