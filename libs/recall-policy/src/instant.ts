/**
 * A point in server time: a `Date` or epoch milliseconds. Both mean the same instant,
 * whatever the time zone of the process; there is no other way for time to enter.
 */
export type Instant = Date | number;

export const toMillis = (instant: Instant, name: string): number => {
  const ms = instant instanceof Date ? instant.getTime() : instant;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`${name} must be a valid Date or epoch milliseconds, got ${String(instant)}`);
  }
  return ms;
};

export const toOptionalMillis = (instant: Instant | null | undefined, name: string): number | undefined =>
  instant === null || instant === undefined ? undefined : toMillis(instant, name);

export const HOUR_MS = 3_600_000;
