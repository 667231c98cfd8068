import { expect, test } from '@playwright/test';
import { signInAs, snapshot } from './helpers';
import { choosePerson } from './person-picker';

test.describe('compliance: the audit log', () => {
  test('filters the log, opens an entry and sees it verified in the browser', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await snapshot(page, testInfo, 'audit-log');

    // Filter by action: the filter lands in the URL and every row matches it.
    await page.getByLabel('Action').selectOption('MESSAGE_RECALLED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]action=MESSAGE_RECALLED/);
    const rows = page.getByTestId('audit-row');
    await expect(rows.first()).toBeVisible();
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await expect(rows.nth(i)).toContainText('Message recalled');

    // Open the oldest recall on the page (the newest may be the seeded forced one: either works).
    const target = rows.nth(count - 1);
    const seq = Number((await target.getByRole('button', { name: /^Open entry/ }).innerText()).replace('#', ''));
    await target.getByRole('button', { name: /^Open entry/ }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]entry=${seq}`));
    // Its content opens only once the officer agrees that the view is recorded.
    await page.getByRole('dialog', { name: 'Open recalled content?' }).getByRole('button', { name: 'Open and record my view' }).click();
    const panel = page.getByTestId('audit-detail');
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId('view-audited')).toContainText('Opening this entry is itself recorded in the audit log');
    await expect(panel.getByTestId('audit-rule')).not.toBeEmpty();
    await expect(panel.getByTestId('audit-content')).toBeVisible();
    await expect(panel.getByTestId('audit-reach')).toContainText(/Removed for \d+ of \d+ recipients|no other recipients/);

    // The fresh demo log may not have a checkpoint covering the entry yet: sign one, as a user would.
    const status = panel.getByTestId('verify-status');
    await expect(status).toHaveAttribute('data-state', /verified|uncovered|failed/, { timeout: 15_000 });
    if ((await status.getAttribute('data-state')) === 'uncovered') await panel.getByRole('button', { name: 'Sign a checkpoint now' }).click();
    await expect(status).toHaveAttribute('data-state', 'verified', { timeout: 15_000 });
    await expect(status).toContainText('Verified');
    await expect(status).toContainText('The entry’s bytes hash to its leaf hash');
    await expect(status).toContainText('Inclusion proof leads from this entry to the checkpoint’s root');
    await expect(panel.getByTestId('view-audited')).toContainText(/Your view was recorded as entry \d+/);
    await snapshot(page, testInfo, 'audit-entry-verified');
    const panelShot = testInfo.outputPath('audit-entry-panel.png');
    await panel.screenshot({ path: panelShot });
    await testInfo.attach('audit-entry-panel', { path: panelShot, contentType: 'image/png' });

    // Keyboard: Escape closes the panel; the filters survive a reload (they are the URL).
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await page.reload();
    await expect(page.getByLabel('Action')).toHaveValue('MESSAGE_RECALLED');

    // Opening the entry was itself audited.
    await page.getByLabel('Action').selectOption('AUDIT_CONTENT_VIEWED');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/action=AUDIT_CONTENT_VIEWED/);
    await expect(page.getByTestId('audit-row').first()).toContainText('Cora Compliance');
  });

  test('integrity: the checkpoint signature checks out and the whole log verifies with progress', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/integrity');
    await page.getByRole('button', { name: 'Sign a checkpoint now' }).click();
    await expect(page.getByTestId('checkpoint-signature')).toHaveAttribute('data-state', 'ok', { timeout: 15_000 });
    await page.getByRole('button', { name: 'Verify the whole log' }).click();
    await expect(page.getByTestId('verify-result')).toContainText('Verified: all', { timeout: 30_000 });
    await expect(page.getByTestId('offline-command')).toContainText('npm run verify -- audit-<time>-<first>-<last>.jsonl --trusted-key');
    await snapshot(page, testInfo, 'integrity');
  });

  test('exports: a JSON Lines export downloads and is recorded', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/exports');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-start').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^audit-.*\.jsonl$/);
    await expect(page.getByTestId('export-status')).toContainText(/Saved audit-.*\.jsonl/);
    await page.reload();
    await expect(page.getByTestId('recent-exports')).toContainText('Cora Compliance');
    await snapshot(page, testInfo, 'exports');
  });

  test('legal holds: erasure is refused in words while a hold covers the person', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    const alice = await page.evaluate(async () => {
      const res = await fetch('/api/v1/audit?limit=100');
      const body = (await res.json()) as { items: { actor: { id: string; email: string } | null }[] };
      return body.items.find((item) => item.actor?.email === 'alice@acme.test')?.actor?.id;
    });
    expect(alice).toBeTruthy();

    const place = page.getByTestId('place-hold-form');
    await choosePerson(place, 'Person', 'Alice', 'alice@acme.test');
    await place.getByRole('textbox', { name: 'Matter' }).fill('Browser test matter');
    await place.getByRole('button', { name: 'Place hold' }).click();
    await expect(page.getByTestId('holds-table')).toContainText('Browser test matter');

    const erasure = page.getByTestId('erasure-form');
    await choosePerson(erasure, 'Person', 'Alice', 'alice@acme.test');
    await erasure.getByRole('textbox', { name: 'Reason' }).fill('DSR-E2E');
    await erasure.getByLabel('I understand this cannot be undone.').check();
    await erasure.getByRole('button', { name: 'Erase content' }).click();
    const refusal = page.getByTestId('erasure-result');
    await expect(refusal.getByRole('alert')).toHaveAttribute('data-code', 'LEGAL_HOLD_ACTIVE');
    await expect(refusal).toContainText('Refused: a legal hold covers this person');
    await expect(refusal).toContainText(/The refusal was recorded as audit entry \d+/);
    await snapshot(page, testInfo, 'legal-holds-erasure-refused');

    // Release the hold again (the demo content stays readable for the other tests).
    const row = page.getByTestId('hold-row').filter({ hasText: 'Browser test matter' });
    await row.getByRole('button', { name: 'Release' }).click();
    await row.getByRole('button', { name: 'Yes, release' }).click();
    await expect(page.getByTestId('holds-table')).not.toContainText('Browser test matter');
  });

  test('insights for compliance, and the audit log in Simplified Chinese', async ({ page }, testInfo) => {
    await signInAs(page, 'compliance@globex.test', 'globex');
    await page.goto('/insights');
    await expect(page.getByTestId('insights')).toBeVisible();
    await snapshot(page, testInfo, 'insights-zh-CN');
    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await snapshot(page, testInfo, 'audit-log-zh-CN');
  });
});
