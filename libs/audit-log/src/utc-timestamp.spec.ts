import fc from 'fast-check';
import { isUtcMillisTimestamp } from './leaf';

/** The definition the digit-by-digit check must agree with: the shape, and Date writing the same text back. */
function byDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Timestamps of the right shape with every field anywhere in its digits' range: most are impossible dates. */
const shaped = fc
  .tuple(fc.nat(9999), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(99), fc.nat(999))
  .map(([y, mo, d, h, mi, s, ms]) => `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`);
const real = fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString());

describe('isUtcMillisTimestamp', () => {
  it('accepts exactly what Date writes back unchanged', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          shaped,
          real,
          fc.string(),
          real.map((t) => t.replace('Z', '+')),
          real.map((t) => `${t} `),
        ),
        (value) => {
          expect(isUtcMillisTimestamp(value)).toBe(byDate(value));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('knows leap years and month lengths', () => {
    expect(isUtcMillisTimestamp('2024-02-29T00:00:00.000Z')).toBe(true);
    expect(isUtcMillisTimestamp('2000-02-29T23:59:59.999Z')).toBe(true);
    expect(isUtcMillisTimestamp('1900-02-29T00:00:00.000Z')).toBe(false);
    expect(isUtcMillisTimestamp('2025-04-31T00:00:00.000Z')).toBe(false);
    expect(isUtcMillisTimestamp('2025-12-31T24:00:00.000Z')).toBe(false);
    expect(isUtcMillisTimestamp('２025-12-31T00:00:00.000Z')).toBe(false);
    expect(isUtcMillisTimestamp(1_700_000_000_000)).toBe(false);
  });
});
