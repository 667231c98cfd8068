import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PROBLEM_CODES } from './problem';
import { PROBLEM_DETAILS, localeForTag, negotiateLocale, problemDetailText } from './problem-details';
import { LOCALES } from './roles';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the problem detail catalog', () => {
  it('has a general detail, without parameters, for every problem code', () => {
    for (const code of PROBLEM_CODES)
      for (const locale of LOCALES) expect({ code, locale, params: placeholders(PROBLEM_DETAILS[code][locale]) }).toEqual({ code, locale, params: [] });
  });

  it('uses the same parameters in every language of a key', () => {
    for (const [key, texts] of Object.entries(PROBLEM_DETAILS))
      for (const locale of LOCALES) expect({ key, locale, params: placeholders(texts[locale]) }).toEqual({ key, locale, params: placeholders(texts.en) });
  });

  it('fills every parameter it is given, whatever the value', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom(...LOCALES), (age, windowSeconds, graceSeconds, locale) => {
        const text = problemDetailText({ key: 'WINDOW_EXPIRED.age', params: { age, windowSeconds, graceSeconds } }, locale);
        expect(text).not.toMatch(/\{\w+\}/);
        expect(text).toContain(String(windowSeconds));
      }),
    );
  });
});

describe('negotiateLocale', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['ja-JP,ja;q=0.9,zh;q=0.5', 'ja'],
    ['fr-FR;q=1, en;q=0.2, ja;q=0.7', 'ja'],
    ['de, *;q=0.1', undefined],
    ['', undefined],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });

  it('never picks a language the header does not name', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('en', 'en-GB', 'zh', 'zh-TW', 'ja', 'ja-JP', 'fr', 'de', '*'), { maxLength: 6 }), (tags) => {
        const picked = negotiateLocale(tags.join(', '));
        const named = tags.map(localeForTag).filter(Boolean);
        expect(picked === undefined ? named.length === 0 : picked === named[0]).toBe(true);
      }),
    );
  });
});
