import { describe, expect, it } from '@jest/globals';
import { en } from './en';
import { format, formatWait } from './format';
import { consoleLocaleFor, negotiateLocale } from './index';
import { ja } from './ja';
import { zhCN } from './zh-CN';

/** Every string of a dictionary by its dotted key. */
function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const english = flatten(en);
  const translations = { 'zh-CN': flatten(zhCN), ja: flatten(ja) };

  it.each(Object.entries(translations))('%s has the same keys as English', (_, translated) => {
    expect([...translated.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each(Object.entries(translations))('%s uses the same placeholders for every key', (_, translated) => {
    for (const [key, text] of english)
      expect({ key, placeholders: placeholders(translated.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
  });

  it('have no empty strings', () => {
    for (const [key, text] of [...english, ...translations['zh-CN'], ...translations.ja])
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
  });

  it.each(Object.entries(translations))('%s is translated: apart from names, codes and symbols, no string is the English one', (_, translated) => {
    const untranslated = [...english].filter(([key, text]) => /[a-z]{3,} [a-z]{3,}/.test(text) && translated.get(key) === text).map(([key]) => key);
    expect(untranslated).toEqual([]);
  });
});

describe('negotiateLocale', () => {
  it.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en-GB,en;q=0.9', 'en'],
    ['ja-JP,ja;q=0.9,zh;q=0.5', 'ja'],
    ['de-DE,zh;q=0.5', 'zh-CN'],
    ['fr-FR;q=1, en;q=0.2, zh;q=0.7', 'zh-CN'],
    ['de, *;q=0.1', undefined],
    ['zh;q=0, en', 'en'],
    ['', undefined],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe('consoleLocaleFor', () => {
  it('maps Japanese, Chinese and English tags, and nothing else', () => {
    expect(consoleLocaleFor('ja')).toBe('ja');
    expect(consoleLocaleFor('ja-JP')).toBe('ja');
    expect(consoleLocaleFor('fr')).toBeUndefined();
    expect(consoleLocaleFor('zh-CN')).toBe('zh-CN');
    expect(consoleLocaleFor('en')).toBe('en');
  });
});

describe('format', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(format('Hi {name}, {missing}', { name: 'Ada' })).toBe('Hi Ada, {missing}');
  });

  it('says seconds below two minutes and whole minutes above', () => {
    expect(formatWait('en', en.duration, 1)).toBe('1 second');
    expect(formatWait('en', en.duration, 42)).toBe('42 seconds');
    expect(formatWait('en', en.duration, 119)).toBe('119 seconds');
    expect(formatWait('en', en.duration, 121)).toBe('3 minutes');
    expect(formatWait('en', en.duration, 60 * 15)).toBe('15 minutes');
    expect(formatWait('zh-CN', zhCN.duration, 42)).toBe('42 秒');
  });
});
