import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ClientResult } from './client-api';
import { retryTransient } from './retry-transient';

const failure = (status: number): ClientResult<string> => ({
  ok: false,
  status,
  problem: { type: 'about:blank', title: 'x', status, code: 'X' },
});
const success: ClientResult<string> = { ok: true, status: 200, data: 'message', headers: new Headers() };

describe('retryTransient', () => {
  it('reads a message that fails transiently fewer times than there are delays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(429, 500, 502, 503, 504), { maxLength: 7 }), async (failures) => {
        const answers = [...failures.map(failure), success];
        const waits: number[] = [];
        const result = await retryTransient(
          () => Promise.resolve(answers.shift()!),
          [1, 2, 3, 4, 5, 6, 7],
          (ms) => {
            waits.push(ms);
            return Promise.resolve();
          },
        );
        expect(result).toBe(success);
        expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].slice(0, failures.length));
      }),
    );
  });

  it('stops at a lasting refusal and gives up after the last delay', async () => {
    let calls = 0;
    const gone = await retryTransient(
      () => (calls++, Promise.resolve(failure(404))),
      [1, 2],
      () => Promise.resolve(),
    );
    expect({ status: gone.status, calls }).toEqual({ status: 404, calls: 1 });
    calls = 0;
    const away = await retryTransient(
      () => (calls++, Promise.resolve(failure(503))),
      [1, 2],
      () => Promise.resolve(),
    );
    expect({ status: away.status, calls }).toEqual({ status: 503, calls: 3 });
  });
});
