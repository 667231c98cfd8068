import { expect, test } from '@playwright/test';
import { navLabels, signInAs, snapshot } from './helpers';

const AUDIT_SECTIONS = [
  ['/audit', 'audit'],
  ['/integrity', 'integrity'],
  ['/exports', 'exports'],
  ['/legal-holds', 'legalHolds'],
] as const;

/**
 * What a browser says on the console's own calls to its /api (Fetch Metadata). Playwright's request
 * context sends no such header, and the API refuses cookie writes and audited reads without it.
 */
const fromConsole = { headers: { 'sec-fetch-site': 'same-origin' } };

test.describe('an employee and the audit pages', () => {
  test('the UI hides them, the console redirects, and the API refuses when forced', async ({ page }, testInfo) => {
    await signInAs(page, 'carol@acme.test');
    const nav = await navLabels(page);
    for (const hidden of ['Audit log', 'Integrity', 'Exports', 'Legal holds', 'Insights', 'Policy', 'Users']) expect(nav).not.toContain(hidden);
    await expect(page.getByTestId('section-cards')).not.toContainText('Audit log');

    for (const [path, key] of AUDIT_SECTIONS) {
      // What the server sends for the page holds no audit markup, only the way home.
      const html = await (await page.request.get(path, { maxRedirects: 0 })).text();
      expect(html).not.toMatch(/data-testid="(audit-table|verify-range|export-form|holds-table)"/);
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/\\?denied=${key}$`));
      await expect(page.getByTestId('access-denied')).toBeVisible();
      await expect(page.locator('[data-testid=audit-table], [data-testid=verify-range], [data-testid=export-form], [data-testid=holds-table]')).toHaveCount(0);
    }
    await snapshot(page, testInfo, 'employee-denied-audit');

    // Forcing the API directly with the employee's own session: 403 problem documents. The requests say
    // they come from the console, as the browser's would, so that the role is what refuses them.
    for (const path of ['/api/v1/audit', '/api/v1/audit/0', '/api/v1/audit/export?format=jsonl', '/api/v1/legal-holds', '/api/v1/audit/checkpoints/latest']) {
      const res = await page.request.get(path, fromConsole);
      expect({ path, status: res.status() }).toEqual({ path, status: 403 });
      expect(res.headers()['content-type']).toContain('application/problem+json');
      expect((await res.json()).code).toBe('FORBIDDEN');
    }
    const verify = await page.request.post('/api/v1/audit/verify', { data: {}, ...fromConsole });
    expect(verify.status()).toBe(403);
    const erasure = await page.request.post('/api/v1/erasure-requests', {
      data: { subjectUserId: '00000000-0000-4000-8000-000000000000', reason: 'x' },
      ...fromConsole,
    });
    expect(erasure.status()).toBe(403);
  });

  test('an administrator sees audit metadata through the API but no audit pages and no content', async ({ page }) => {
    await signInAs(page, 'admin@acme.test');
    expect(await navLabels(page)).not.toContain('Audit log');
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/\?denied=audit$/);
    const list = await page.request.get('/api/v1/audit?action=MESSAGE_RECALLED&limit=1');
    expect(list.status()).toBe(200);
    const [entry] = (await list.json()).items;
    const detail = await (await page.request.get(`/api/v1/audit/${entry.seq}`, fromConsole)).json();
    expect(detail.content?.state).toBe('WITHHELD');
  });
});
