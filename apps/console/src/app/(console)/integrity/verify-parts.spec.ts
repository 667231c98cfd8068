import { describe, expect, it } from '@jest/globals';
import { partsOf } from './verify-parts';

describe('partsOf', () => {
  it('checks a small range in one request', () => {
    expect(partsOf(0, 5)).toEqual([[0, 5]]);
    expect(partsOf(10, 20_009)).toEqual([[10, 20_009]]);
  });

  it('splits a large range into at most about 50 parts that cover it exactly, on aligned boundaries', () => {
    const parts = partsOf(0, 999_999);
    expect(parts.length).toBeLessThanOrEqual(51);
    expect(parts[0][0]).toBe(0);
    expect(parts[parts.length - 1][1]).toBe(999_999);
    for (let i = 1; i < parts.length; i++) expect(parts[i][0]).toBe(parts[i - 1][1] + 1);
    // Ends fall just before multiples of the part size, where checkpoints usually exist already.
    for (const [, end] of parts.slice(0, -1)) expect((end + 1) % 1000).toBe(0);
  });

  it('starts mid-way without losing entries', () => {
    const parts = partsOf(12_345, 100_000);
    expect(parts[0][0]).toBe(12_345);
    expect(parts.reduce((n, [a, b]) => n + b - a + 1, 0)).toBe(100_000 - 12_345 + 1);
  });
});
