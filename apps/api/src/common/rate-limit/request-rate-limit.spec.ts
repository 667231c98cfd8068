import fc from 'fast-check';
import { FixedWindowLimiter } from './request-rate-limit';

const WINDOW_MS = 60_000;

describe('FixedWindowLimiter', () => {
  it('admits at most `limit` requests per key and window, says how many remain and when the window ends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), advanceMs: fc.integer({ min: 0, max: 30_000 }) }), { maxLength: 200 }),
        (limit, requests) => {
          const limiter = new FixedWindowLimiter(limit, WINDOW_MS);
          // The model: each key's window start and the requests it admitted.
          const model = new Map<string, { start: number; admitted: number }>();
          let now = 1_000_000;
          for (const { key, advanceMs } of requests) {
            now += advanceMs;
            let window = model.get(key);
            if (!window || now - window.start >= WINDOW_MS) model.set(key, (window = { start: now, admitted: 0 }));
            const expectedAllowed = window.admitted < limit;
            if (expectedAllowed) window.admitted += 1;
            const standing = limiter.hit(key, now);
            expect(standing).toEqual({
              allowed: expectedAllowed,
              limit,
              remaining: limit - window.admitted,
              resetSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)),
            });
            expect(standing.resetSeconds).toBeGreaterThanOrEqual(1);
            expect(standing.resetSeconds).toBeLessThanOrEqual(WINDOW_MS / 1000);
          }
        },
      ),
    );
  });

  it('forgets the windows that ended, so memory follows the recent clients only', () => {
    const limiter = new FixedWindowLimiter(5, WINDOW_MS);
    for (let i = 0; i < 1000; i++) limiter.hit(`client-${i}`, 0);
    expect(limiter.size).toBe(1000);
    limiter.hit('late', WINDOW_MS);
    expect(limiter.size).toBe(1);
  });
});
