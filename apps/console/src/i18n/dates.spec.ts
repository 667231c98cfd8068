import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatLocalTime, formatUtc, formatUtcBucket, formatUtcDate } from './dates';

const at = '2026-12-02T18:07:09.000Z';

describe('one unambiguous date format per console language', () => {
  it.each([
    ['en', '2 Dec 2026, 18:07:09 UTC', '2 Dec 2026', '2 Dec'],
    ['zh-CN', '2026年12月2日 18:07:09 UTC', '2026年12月2日', '12月2日'],
    ['ja', '2026年12月2日 18:07:09 UTC', '2026年12月2日', '12月2日'],
  ])('%s: %s', (locale, instant, day, bucket) => {
    expect(formatUtc(locale, at)).toBe(instant);
    expect(formatUtcDate(locale, at)).toBe(day);
    expect(formatUtcBucket(locale, at, 'day')).toBe(bucket);
    expect(formatUtcBucket(locale, at, 'hour')).toBe('18:07');
  });

  it('never writes a day as digits that could be read month-first or day-first, and always a 24-hour clock', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.constantFrom('en', 'zh-CN', 'ja'),
        (date, locale) => {
          const text = formatUtc(locale, date.toISOString());
          expect(text).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{2,4}/);
          expect(text).not.toMatch(/AM|PM|午前|午後|上午|下午/);
          expect(text).toContain(String(date.getUTCFullYear()));
        },
      ),
    );
  });

  it('shows the viewer’s local time alone for today, with the day before', () => {
    const now = new Date(at);
    expect(formatLocalTime('en', at, now)).toMatch(/^\d{2}:\d{2}$/);
    expect(formatLocalTime('ja', '2026-11-20T10:00:00.000Z', now)).toMatch(/^2026年11月20日 \d{2}:\d{2}$/);
  });

  it('returns what it cannot read unchanged, and nothing for nothing', () => {
    expect(formatUtc('en', 'not a date')).toBe('not a date');
    expect(formatUtcDate('ja', null)).toBe('');
  });
});
