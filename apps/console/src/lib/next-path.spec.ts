import { describe, expect, it } from '@jest/globals';
import { loginHref, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it.each(['/', '/audit', '/audit?q=leak&from=2026-01-01', '/legal-holds#top', '/users/42'])('keeps the same-origin path %s', (path) => {
    expect(safeNextPath(path)).toBe(path);
  });

  it.each([
    ['protocol-relative URL', '//evil.example/x'],
    ['backslash host', '/\\evil.example'],
    ['backslash later on', '/a\\b'],
    ['absolute URL', 'https://evil.example/'],
    ['javascript URL', 'javascript:alert(1)'],
    ['relative path', 'audit'],
    ['control character', '/audit\n/x'],
    ['the login page', '/login?next=/audit'],
    ['an API route', '/api/v1/me'],
    ['empty', ''],
    ['not a string', ['/audit']],
    ['too long', `/${'a'.repeat(3000)}`],
  ])('turns %s into /', (_name, value) => {
    expect(safeNextPath(value)).toBe('/');
  });
});

describe('loginHref', () => {
  it('omits next for the home page', () => {
    expect(loginHref('/')).toBe('/login');
  });

  it('encodes the page to return to', () => {
    expect(loginHref('/audit?q=a b')).toBe('/login?next=%2Faudit%3Fq%3Da%20b');
  });

  it('never carries an unsafe next', () => {
    expect(loginHref('//evil.example')).toBe('/login');
  });

  it('says when a session the API no longer accepts was ended', () => {
    expect(loginHref('/audit', true)).toBe('/login?ended=session&next=%2Faudit');
    expect(loginHref('/', true)).toBe('/login?ended=session');
  });
});
