import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findUncheckedExpectations } from './unchecked-expectations';

const ROOT = join(__dirname, '../../..');
const SKIPPED_DIRS = new Set(['node_modules', 'generated', 'dist', 'tmp', 'test-results', 'playwright-report', '.data']);

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) yield* sourceFiles(join(dir, entry.name));
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield join(dir, entry.name);
  }
}

describe('unchecked expectations', () => {
  it.each([
    ['a matcher that is named but not called', 'await expect(query()).resolves.not.toThrow;', 'matcher not called'],
    ['expect() without a matcher', 'expect(response.statusCode);', 'no matcher'],
    ['.resolves without await', 'expect(query()).resolves.toBe(1);', 'not awaited'],
    ['.rejects without await', "expect(query()).rejects.toThrow('x');", 'not awaited'],
    ['expect.poll without await', 'expect.poll(() => count()).toBe(3);', 'not awaited'],
    ["Playwright's retrying matcher without await", "import { expect } from '@playwright/test';\nexpect(page.getByText('Live')).toBeVisible();", 'not awaited'],
  ])('finds %s', (_name, source, problem) => {
    expect(findUncheckedExpectations(source)).toEqual([expect.objectContaining({ problem })]);
  });

  it.each([
    ['an awaited .resolves', 'await expect(query()).resolves.not.toBeUndefined();'],
    ['a returned .rejects', 'it("x", () => { return expect(query()).rejects.toThrow(); });'],
    ['an arrow returning .resolves', 'it("x", () => expect(query()).resolves.toBe(1));'],
    ['synchronous matchers', 'expect(1).toBe(1); expect(() => f()).not.toThrow(); expect.soft(x).toEqual(y);'],
    ['asymmetric matchers and assertion counts', 'expect.hasAssertions(); expect(x).toEqual(expect.objectContaining({ a: expect.any(String) }));'],
    ['toBeVisible outside Playwright files', 'expect(isVisible).toBeVisible();'],
  ])('accepts %s', (_name, source) => {
    expect(findUncheckedExpectations(source)).toEqual([]);
  });

  it('finds none in any test of the repository', () => {
    const found: string[] = [];
    for (const project of ['apps', 'libs', 'tools', 'bench']) {
      for (const path of sourceFiles(join(ROOT, project))) {
        if (path === __filename) continue;
        const source = readFileSync(path, 'utf8');
        if (!source.includes('expect')) continue;
        for (const at of findUncheckedExpectations(source, path)) found.push(`${relative(ROOT, path)}:${at.line} ${at.problem}: ${at.text}`);
      }
    }
    expect(found).toEqual([]);
  });
});
