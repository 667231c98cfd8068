import fc from 'fast-check';
import { z } from 'zod';
import { STORABLE_TEXT, STORABLE_TEXT_ERROR, URL_WHITESPACE_ERROR, freeText, httpUrl, isStorableText, searchTerm } from './text';

describe('free text (docs/architecture.md, "Free text")', () => {
  const hasNul = (text: string) => text.includes('\u0000');
  /** UTF-8 round trip: an unpaired surrogate comes back as U+FFFD. */
  const survivesUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8') === text;
  /** Any UTF-16 string, lone surrogates included. */
  const anyString = fc.string({
    unit: fc.oneof(
      fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude48', '\u202e', '\ufeff'),
      fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
    ),
  });

  it('calls a string storable exactly when it has no NUL and no unpaired surrogate', () => {
    fc.assert(fc.property(anyString, (text) => isStorableText(text) === (!hasNul(text) && survivesUtf8(text))));
  });

  it('reads the pattern the same with the u flag (JSON Schema consumers use it)', () => {
    const unicode = new RegExp(STORABLE_TEXT.source, 'u');
    fc.assert(fc.property(anyString, (text) => unicode.test(text) === isStorableText(text)));
  });

  it('keeps accepted free text exactly as sent: no trimming, no normalization', () => {
    const field = freeText(50);
    fc.assert(
      fc.property(anyString, (text) => {
        const result = field.safeParse(text);
        const acceptable = isStorableText(text) && text.length <= 50 && text.trim() !== '';
        expect(result.success).toBe(acceptable);
        if (result.success) expect(result.data).toBe(text);
      }),
    );
  });

  it('names the rule in the issue, for NUL and each kind of lone surrogate', () => {
    for (const text of ['a\u0000b', 'a\ud800b', 'a\udfffb', '\udc00\ud800']) {
      const result = z.strictObject({ matter: freeText(500) }).safeParse({ matter: text });
      expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['matter'], code: 'invalid_format', message: STORABLE_TEXT_ERROR })]);
    }
    expect(
      freeText(10)
        .safeParse(' \u00a0\t')
        .error?.issues.map((issue) => issue.message),
    ).toEqual(['must not be blank']);
  });

  it('trims search terms only; refuses NUL in them and in URLs, and URLs the parser would change (surrounding whitespace, tabs, line breaks)', () => {
    expect(searchTerm(20).parse('  撤回 ')).toBe('撤回');
    expect(searchTerm(20).safeParse('\u0000').success).toBe(false);
    expect(httpUrl.safeParse('https://hooks.example.test/a\u0000').success).toBe(false);
    expect(httpUrl.safeParse('https://hooks.example.test/\ud800').success).toBe(false);
    expect(httpUrl.parse('https://hooks.example.test/%E2%80%AE')).toBe('https://hooks.example.test/%E2%80%AE');
    expect(httpUrl.parse('https://hooks.example.test/\u202e🙈')).toBe('https://hooks.example.test/\u202e🙈');
    for (const url of [
      ' https://hooks.example.test/x',
      'https://hooks.example.test/x\n',
      'https://hooks.example.test/a\tb',
      'https://hooks.example.test/a\r\nb',
    ]) {
      expect(httpUrl.safeParse(url).error?.issues.map((issue) => issue.message)).toEqual([URL_WHITESPACE_ERROR]);
    }
    expect(httpUrl.safeParse('https://hooks.example.test/x\ufeff').success).toBe(false);
    expect(httpUrl.safeParse('ftp://hooks.example.test/x').error?.issues.map((issue) => issue.message)).toEqual(['must be an http(s) URL']);
  });
});
