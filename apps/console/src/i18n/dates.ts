/**
 * Dates in the console are shown in UTC and say so: audit evidence is compared across
 * offices and time zones, and the server and the browser then render the same text (no
 * hydration mismatch). The Messages page, where people expect their own clock, uses
 * `formatLocalTime` in the browser instead.
 *
 * One unambiguous format per language, everywhere: the month by name in English (never
 * 12/02/2026, which half the world reads as 12 February) and 年月日 in Chinese and Japanese, with
 * a 24-hour clock: "2 Dec 2026, 18:07:00 UTC", "2026年12月2日 18:07:00 UTC". Day inputs (filters)
 * use ISO yyyy-mm-dd in every language (docs/architecture.md, "Languages").
 */
const cache = new Map<string, Intl.DateTimeFormat>();

/** The Intl locale whose conventions give each console language its format. */
const INTL_LOCALE: Record<string, string> = { en: 'en-GB', 'zh-CN': 'zh-CN', ja: 'ja-JP' };

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_LOCALE[locale] ?? locale, options);
    cache.set(key, f);
  }
  return f;
}

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

function parse(iso: string | null | undefined): Date | string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date;
}

/** "2 Dec 2026, 18:07:00 UTC" / "2026年12月2日 18:07:00 UTC". */
export function formatUtc(locale: string, iso: string | null | undefined): string {
  const date = parse(iso);
  if (!(date instanceof Date)) return date ?? '';
  return `${formatter(locale, { timeZone: 'UTC', ...DAY, ...TIME, second: '2-digit' }).format(date)} UTC`;
}

/** "2 Dec 2026" / "2026年12月2日" (a UTC day). */
export function formatUtcDate(locale: string, iso: string | null | undefined): string {
  const date = parse(iso);
  if (!(date instanceof Date)) return date ?? '';
  return formatter(locale, { timeZone: 'UTC', ...DAY }).format(date);
}

/** A chart's bucket: "18:00" for an hour, "2 Dec" / "12月2日" for a day or week (UTC). */
export function formatUtcBucket(locale: string, iso: string, bucket: 'hour' | 'day' | 'week'): string {
  const date = parse(iso);
  if (!(date instanceof Date)) return date ?? '';
  return formatter(locale, bucket === 'hour' ? { timeZone: 'UTC', ...TIME } : { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(date);
}

/** The viewer's own clock: "18:07" today, "2 Dec 2026, 18:07" / "2026年12月2日 18:07" before. */
export function formatLocalTime(locale: string, iso: string, now: Date = new Date()): string {
  const date = parse(iso);
  if (!(date instanceof Date)) return date ?? '';
  const sameDay = now.toDateString() === date.toDateString();
  return formatter(locale, sameDay ? TIME : { ...DAY, ...TIME }).format(date);
}

export function formatNumber(locale: string, value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** `YYYY-MM-DD` (a UTC day, as the date filters use) → the ISO instant that starts or ends it. */
export function utcDayBound(day: string | undefined, end: boolean): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return end ? new Date(date.getTime() + 86_400_000 - 1).toISOString() : date.toISOString();
}

/** "2 minutes", "1 hour 30 minutes", "45 seconds", "0 seconds". */
export function humanDuration(locale: string, seconds: number): string {
  const parts: string[] = [];
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const unit = (value: number, u: 'hour' | 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'long' }).format(value);
  if (h) parts.push(unit(h, 'hour'));
  if (m) parts.push(unit(m, 'minute'));
  if (s || parts.length === 0) parts.push(unit(s, 'second'));
  return parts.join(' ');
}
