import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './helpers';

/**
 * axe-core on every page each role reaches from the navigation, plus the sign-in page: no
 * violation of impact "serious" or "critical" against WCAG 2.1 A/AA (docs/architecture.md,
 * "Console"). The pages come from the navigation itself, so a new page is checked without
 * being listed here.
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function sectionPaths(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Sections' });
  await expect(nav).toBeVisible();
  const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs.filter((href) => href.startsWith('/')))];
}

test('the sign-in page has no serious accessibility problem', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

for (const email of ['admin@acme.test', 'compliance@acme.test', 'alice@acme.test']) {
  test(`every page ${email} reaches has no serious accessibility problem`, async ({ page }) => {
    test.setTimeout(120_000);
    await signInAs(page, email);
    const paths = await sectionPaths(page);
    expect(paths.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole('main')).toBeVisible();
      await page.waitForLoadState('load');
      problems.push(...(await seriousViolations(page)).map((p) => `${path}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
}
