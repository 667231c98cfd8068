import { firstParam } from './search-params';

/** Reading query parameters defensively: anything malformed is treated as absent, never sent on. */
type Raw = Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uuidParam(params: Raw, key: string): string | undefined {
  const value = firstParam(params[key])?.trim();
  return value && UUID.test(value) ? value.toLowerCase() : undefined;
}

export function intParam(params: Raw, key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = firstParam(params[key])?.trim();
  if (!value || !/^\d{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

export function dayParam(params: Raw, key: string): string | undefined {
  const value = firstParam(params[key])?.trim();
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : value;
}

export function enumParam<T extends string>(params: Raw, key: string, values: readonly T[]): T | undefined {
  const value = firstParam(params[key]);
  return values.includes(value as T) ? (value as T) : undefined;
}

/** A name of a fixed shape (a chat system's source), lower-cased as the API stores it. */
export function patternParam(params: Raw, key: string, pattern: RegExp): string | undefined {
  const value = firstParam(params[key])?.trim().toLowerCase();
  return value && pattern.test(value) ? value : undefined;
}

export function textParam(params: Raw, key: string, max = 200): string | undefined {
  const value = firstParam(params[key])?.trim();
  return value ? value.slice(0, max) : undefined;
}

/** A comma-separated list of integers (the keyset trail of earlier pages), newest last. */
export function intListParam(params: Raw, key: string, maxItems = 50): number[] {
  const value = firstParam(params[key]);
  if (!value) return [];
  return value
    .split(',')
    .filter((part) => /^\d{1,16}$/.test(part))
    .map(Number)
    .slice(-maxItems);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
