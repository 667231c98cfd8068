import { expect, test, type Page } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

/** Entries of the audit log through the console's API rewrite, as the signed-in user. */
interface Listed {
  seq: number;
  action: string;
  messageId: string | null;
  reason: string | null;
}

async function auditEntries(page: Page, query: string): Promise<Listed[]> {
  return page.evaluate(async (q) => {
    const res = await fetch(`/api/v1/audit?${q}`);
    return ((await res.json()) as { items: Listed[] }).items;
  }, query);
}

test.describe('compliance: the audit, integrity and exports pages', () => {
  test('opening recalled content asks first, says the view is recorded under your name, and can stop asking for the session', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/audit?action=MESSAGE_RECALLED');
    const rows = page.getByTestId('audit-row');
    await expect(rows.first()).toBeVisible();
    const recalls = (await auditEntries(page, 'action=MESSAGE_RECALLED&limit=50')).filter((entry) => entry.messageId);
    expect(recalls.length).toBeGreaterThan(1);
    const [first, second] = recalls;
    const views = async (messageId: string) => (await auditEntries(page, `action=AUDIT_CONTENT_VIEWED&messageId=${messageId}&limit=200`)).length;
    const viewsBefore = await views(first.messageId!);

    // Cancelling opens nothing and records nothing.
    await page.getByRole('button', { name: `Open entry ${first.seq}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Open recalled content?' });
    await expect(confirm).toBeVisible();
    await expect(confirm).toContainText('recorded in the audit log under your name, Cora Compliance');
    await snapshot(page, testInfo, 'content-view-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toHaveCount(0);
    await expect(page.getByTestId('audit-detail')).toHaveCount(0);
    expect(await views(first.messageId!)).toBe(viewsBefore);
    // Focus goes back to the button that asked, after Cancel and after Escape alike.
    const opener = page.getByRole('button', { name: `Open entry ${first.seq}` });
    await expect(opener).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(confirm).toHaveCount(0);
    await expect(opener).toBeFocused();

    // Confirming opens the content; "don't ask again" holds for the rest of the session.
    await page.getByRole('button', { name: `Open entry ${first.seq}` }).click();
    await confirm.getByRole('checkbox', { name: 'Don’t ask again this session' }).check();
    await confirm.getByRole('button', { name: 'Open and record my view' }).click();
    await expect(page.getByTestId('audit-content')).toBeVisible();
    await expect(page.getByTestId('view-audited')).toContainText(/Your view was recorded as entry \d+/);
    expect(await views(first.messageId!)).toBe(viewsBefore + 1);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: `Open entry ${second.seq}` }).click();
    await expect(page.getByTestId('audit-content')).toBeVisible();
    await expect(confirm).toHaveCount(0);

    // A shared link to an entry asks too, in a new session.
    const fresh = await page.context().browser()!.newPage();
    await signInAs(fresh, 'compliance@acme.test');
    await fresh.goto(`/audit?entry=${first.seq}`);
    await expect(fresh.getByRole('dialog', { name: 'Open recalled content?' })).toBeVisible();
    await expect(fresh.getByTestId('audit-content')).toHaveCount(0);
    await fresh.close();
  });

  test('every entry says what it is about, and the pager says which entries are shown', async ({ page, browser }, testInfo) => {
    // An administrator adds a person, so the log has a user entry to describe.
    const admin = await browser.newPage();
    await signInAs(admin, 'admin@acme.test');
    const created = await admin.evaluate(async () => {
      const res = await fetch('/api/v1/users', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: `dana-${Date.now()}@acme.test`,
          displayName: 'Dana Described',
          roles: ['EMPLOYEE'],
          password: 'Correct-horse-battery-9',
        }),
      });
      return res.status;
    });
    expect(created).toBe(201);
    await admin.close();

    await signInAs(page, 'compliance@acme.test');
    await page.goto('/audit');
    const rows = page.getByTestId('audit-row');
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    for (let i = 0; i < count; i++) await expect(rows.nth(i).locator('.cell-about')).not.toBeEmpty();
    await expect(rows.filter({ hasText: 'User created' }).first().locator('.cell-about')).toContainText('Dana Described');
    await expect(rows.filter({ hasText: 'Policy changed' }).first().locator('.cell-about')).toContainText(/Version 1 → 2/);
    await expect(rows.filter({ hasText: 'Policy changed' }).first().locator('.cell-about')).toContainText('→ 20');
    await expect(page.getByTestId('audit-pager')).toHaveText(/^Entries 1–\d+ of [\d,]+, newest first$/);
    await snapshot(page, testInfo, 'audit-about');
  });

  test('an entry names its conversation by kind, title and members', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.evaluate(() => sessionStorage.setItem('retract.audit.contentViewConfirmed', '1'));
    // The demo's forced recall of a password posted in the "Launch" group (prisma/seed/demo.ts).
    const recalls = await auditEntries(page, 'action=MESSAGE_RECALLED&limit=200');
    const leak = recalls.find((entry) => entry.reason === 'Credential posted in a group conversation');
    expect(leak).toBeDefined();
    await page.goto(`/audit?action=MESSAGE_RECALLED&entry=${leak!.seq}`);
    const conversation = page.getByTestId('audit-conversation');
    await expect(conversation).toContainText('Group “Launch”');
    await expect(conversation).toContainText('Alice Anders');
    await snapshot(page, testInfo, 'audit-conversation');
  });

  test('a day typed in another format is told yyyy-mm-dd in the console’s language, not the browser’s', async ({ page }) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/audit');
    const from = page.locator('#audit-from');
    await from.fill('03/12/2026');
    await page.getByRole('button', { name: 'Apply' }).click();
    expect(await from.evaluate((input: HTMLInputElement) => input.validationMessage)).toBe('Enter the day as yyyy-mm-dd, for example 2026-12-03.');
    await from.fill('2026-12-03');
    expect(await from.evaluate((input: HTMLInputElement) => input.validity.valid)).toBe(true);
  });

  test('the entry-number box shows its whole hint', async ({ page }) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/audit');
    const jump = page.getByLabel('Go to entry');
    const clipped = await jump.evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(input.placeholder).width > room;
    });
    expect(clipped).toBe(false);
  });

  test('exports: the recent list shows a finished export without a reload', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/exports');
    const newestBefore = (await auditEntries(page, 'action=EXPORT_CREATED&limit=1'))[0]?.seq ?? -1;
    const download = page.waitForEvent('download');
    await page.getByTestId('export-start').click();
    await download;
    await expect(page.getByTestId('export-status')).toContainText(/Saved audit-.*\.jsonl/);
    const newest = (await auditEntries(page, 'action=EXPORT_CREATED&limit=1'))[0].seq;
    expect(newest).toBeGreaterThan(newestBefore);
    await expect(page.getByTestId('recent-exports')).toContainText(`Entry ${newest}`);
    await expect(page.getByTestId('recent-exports')).toContainText('JSON Lines export of entries');
    await snapshot(page, testInfo, 'exports-recent');
  });

  test('integrity: the offline command names the file that was downloaded', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/integrity');
    const download = page.waitForEvent('download');
    await page.getByText('Download the full log as JSON Lines').click();
    const file = (await download).suggestedFilename();
    expect(file).toMatch(/^audit-.+\.jsonl$/);
    await expect(page.getByTestId('offline-command')).toContainText(`npm run verify -- ~/Downloads/${file} --trusted-key`);
    await snapshot(page, testInfo, 'integrity-offline-command');
  });
});
