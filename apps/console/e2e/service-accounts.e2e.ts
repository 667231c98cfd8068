import { expect, test, type Browser, type Page } from '@playwright/test';
import { createRetractClient, ok, RetractProblemError, type RetractClient } from '@retract/sdk';
import { randomUUID } from 'node:crypto';
import { navLabels, signInAs, snapshot } from './helpers';

/** The API the console under test talks to: the test runner passes it (tools/runtime/src/test-runs.ts); `npm start`'s otherwise. */
const API_URL = process.env.API_URL ?? 'http://127.0.0.1:3001';

/** A chat system of this run only, so the audit log's source filter shows this run's entries alone. */
const source = `e2e-${Date.now().toString(36)}`;
const accountName = `Chat bridge ${source}`;
const recalledText = `Draft price list for ${source}: 12 % off`;

const message = (externalId: string, sentAt: Date) => ({
  source,
  externalId,
  type: 'TEXT' as const,
  sentAt: sentAt.toISOString(),
  sender: { source, externalId: 'u-dana' },
  conversation: { source, externalId: 'room-sales', kind: 'GROUP' as const },
});
const actor = { source, externalId: 'u-dana' };

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}

/** The problem an SDK call failed with (the SDK throws RetractProblemError for every non-2xx answer). */
async function refusal(call: Promise<unknown>): Promise<RetractProblemError> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RetractProblemError);
  return error as RetractProblemError;
}

test.describe('service accounts: an external recall from token to verified audit entry', () => {
  test('admin creates a token, a chat system records through the SDK, compliance reads and verifies it, admin revokes it', async ({ browser }, testInfo) => {
    test.setTimeout(90_000);

    // --- Administrator: create the service account; the token is shown once with a copy button.
    const admin = await signedIn(browser, 'admin@acme.test');
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    expect(await navLabels(admin)).toContain('Service accounts');
    await admin.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Service accounts' }).click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Service accounts' })).toBeVisible();

    // Nothing chosen: the form says what is missing and sends nothing.
    await admin.getByRole('button', { name: 'Create service account' }).click();
    await expect(admin.getByText('Enter a name.')).toBeVisible();
    await expect(admin.getByText('Choose at least one scope.')).toBeVisible();

    await admin.getByRole('textbox', { name: 'Name' }).fill(accountName);
    await admin.getByRole('checkbox', { name: /recall:record/ }).check();
    await admin.getByRole('checkbox', { name: /recall:decide/ }).check();
    await admin.getByRole('button', { name: 'Create service account' }).click();

    const panel = admin.getByTestId('service-account-token');
    await expect(panel).toBeVisible();
    await expect(panel).toContainText('You will not see it again');
    await expect(admin.getByRole('heading', { name: `Token of ${accountName}` })).toBeFocused();
    const token = await admin.getByRole('textbox', { name: 'Service account token' }).inputValue();
    expect(token).toMatch(/^rtk_/);
    await admin.getByRole('button', { name: `Copy the token of ${accountName}` }).click();
    await expect(panel.getByRole('button', { name: `Copy the token of ${accountName}` })).toContainText('Copied');
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await snapshot(admin, testInfo, 'service-account-token');

    const row = admin.getByTestId('service-account-row').filter({ hasText: accountName });
    await expect(row).toHaveAttribute('data-state', 'active');
    await expect(row).toContainText('recall:decide');
    await expect(row).toContainText('recall:record');
    await expect(row).not.toContainText('directory:write');
    await expect(row).toContainText('Ada Admin');
    await expect(row.getByTestId('service-account-last-used')).toHaveText('Never used');

    // Stored: the token leaves the page for good.
    await panel.getByRole('button', { name: 'I have stored the token' }).click();
    await expect(panel).toHaveCount(0);
    await admin.reload();
    await expect(admin.getByTestId('service-account-row').filter({ hasText: accountName })).toBeVisible();
    expect(await admin.content()).not.toContain(token);

    // --- The chat system: the SDK with that token, against the API.
    const chat: RetractClient = createRetractClient({ baseUrl: API_URL, token });
    const allowedId = `m-${randomUUID()}`;
    const decision = ok(await chat.POST('/api/v1/recall-decisions', { body: { message: message(allowedId, new Date()), actor } }));
    expect(decision.allowed).toBe(true);
    const recorded = ok(
      await chat.POST('/api/v1/recalls', {
        params: { header: { 'Idempotency-Key': allowedId } },
        body: {
          message: message(allowedId, new Date()),
          actor,
          reason: 'sent to the wrong room',
          content: { text: recalledText, attachments: [{ name: 'prices.xlsx' }] },
        },
      }),
    );
    expect(recorded.decision.allowed).toBe(true);

    // A recall past the window is refused, and the refusal is recorded too.
    const lateId = `m-${randomUUID()}`;
    const late = await refusal(
      chat
        .POST('/api/v1/recalls', {
          params: { header: { 'Idempotency-Key': lateId } },
          body: { message: message(lateId, new Date(Date.now() - 400 * 24 * 3600_000)), actor, content: { text: 'too late' } },
        })
        .then(ok),
    );
    expect(late.problem.code).toBe('WINDOW_EXPIRED');

    // A scope the account was not given is refused.
    const unscoped = await refusal(
      chat
        .PUT('/api/v1/directory/people/{source}/{externalId}', { params: { path: { source, externalId: 'u-dana' } }, body: { displayName: 'Dana' } })
        .then(ok),
    );
    expect(unscoped.status).toBe(403);

    // The list says when the account was last used.
    await admin.reload();
    await expect(admin.getByTestId('service-account-row').filter({ hasText: accountName }).getByTestId('service-account-last-used')).toHaveText(/UTC$/);

    // The chat system's person has no email yet: the users page says so instead of a made-up address,
    // and the insights count the recall under its source.
    await admin.goto('/users?q=u-dana');
    const dana = admin.getByTestId('user-row').filter({ hasText: 'u-dana' }).first();
    await expect(dana.getByTestId('no-email')).toHaveText('no email');
    await expect(dana).not.toContainText('.invalid');
    await admin.goto('/insights');
    await expect(admin.getByTestId('insights-by-source').getByRole('row').filter({ hasText: source })).toContainText('1');
    await admin.goto('/service-accounts');

    // --- Compliance: the service accounts section is not theirs; the audit log filters by the source.
    const compliance = await signedIn(browser, 'compliance@acme.test');
    expect(await navLabels(compliance)).not.toContain('Service accounts');
    await compliance.goto('/service-accounts');
    await expect(compliance).toHaveURL(/\/\?denied=serviceAccounts$/);

    await compliance.goto('/audit');
    await compliance.getByRole('textbox', { name: 'Source' }).fill(source);
    await compliance.getByRole('button', { name: 'Apply' }).click();
    await expect(compliance).toHaveURL(new RegExp(`[?&]source=${source}`));
    const rows = compliance.getByTestId('audit-row');
    await expect(rows.filter({ hasText: 'Message recalled' })).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Recall refused' })).toHaveCount(1);
    const count = await rows.count();
    for (let i = 0; i < count; i++) await expect(rows.nth(i).getByTestId('audit-source')).toHaveText(source);
    await snapshot(compliance, testInfo, 'audit-filtered-by-source');

    // The recorded recall opens like any other entry: its content, its source, and verified in the browser.
    const entry = rows.filter({ hasText: 'Message recalled' });
    await expect(entry.getByRole('button', { name: /^Open entry/ })).toHaveText(`#${recorded.auditSeq}`);
    await entry.getByRole('button', { name: /^Open entry/ }).click();
    await compliance.getByRole('dialog', { name: 'Open recalled content?' }).getByRole('button', { name: 'Open and record my view' }).click();
    const detail = compliance.getByTestId('audit-detail');
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId('audit-content')).toContainText(recalledText);
    await expect(detail.getByTestId('audit-content')).toContainText('Attachment: prices.xlsx');
    await expect(detail.getByTestId('audit-detail-source')).toHaveText(source);
    await expect(detail.getByTestId('audit-detail-service-account')).toHaveText(accountName);
    await expect(detail).toContainText(allowedId);
    await expect(detail).toContainText('sent to the wrong room');
    // Retract does not know the chat system's members (it never says there were none), and names the untitled group by its id there.
    await expect(detail.getByTestId('audit-reach')).toContainText(`Retract does not know who received this message: ${source} keeps`);
    await expect(detail.getByTestId('audit-conversation')).toContainText(`${source} conversation room-sales`);
    await expect(detail.getByTestId('audit-conversation')).not.toContainText('“”');
    await expect(detail).not.toContainText('.invalid');
    const status = detail.getByTestId('verify-status');
    await expect(status).toHaveAttribute('data-state', /verified|uncovered|failed/, { timeout: 15_000 });
    if ((await status.getAttribute('data-state')) === 'uncovered') await detail.getByRole('button', { name: 'Sign a checkpoint now' }).click();
    await expect(status).toHaveAttribute('data-state', 'verified', { timeout: 15_000 });
    await expect(detail.getByTestId('view-audited')).toContainText(/Your view was recorded as entry \d+/);
    await snapshot(compliance, testInfo, 'external-recall-verified');
    const panelShot = testInfo.outputPath('external-recall-panel.png');
    await detail.screenshot({ path: panelShot });
    await testInfo.attach('external-recall-panel', { path: panelShot, contentType: 'image/png' });

    // The refused attempt carries its denial and the same source.
    await compliance.keyboard.press('Escape');
    await rows
      .filter({ hasText: 'Recall refused' })
      .getByRole('button', { name: /^Open entry/ })
      .click();
    await expect(detail.getByTestId('audit-detail-source')).toHaveText(source);
    await expect(detail).toContainText('Window expired');
    await expect(detail).toContainText(lateId);

    // --- Administrator: revoke with confirmation; the very next request with the token is refused.
    const revokeRow = admin.getByTestId('service-account-row').filter({ hasText: accountName });
    await revokeRow.getByRole('button', { name: 'Revoke' }).click();
    await expect(
      revokeRow.getByRole('group', { name: `Revoke ${accountName}? The chat system’s next request with this token is refused. This cannot be undone.` }),
    ).toBeVisible();
    await snapshot(admin, testInfo, 'service-account-revoke-confirm');
    await revokeRow.getByRole('button', { name: 'Yes, revoke it' }).click();
    await expect(admin.getByTestId('service-accounts-notice')).toHaveText(`${accountName} was revoked: its token is refused from now on.`);
    const revoked = admin.getByTestId('service-account-row').filter({ hasText: accountName });
    await expect(revoked).toHaveAttribute('data-state', 'revoked');
    await expect(revoked).toContainText(/Revoked\s*on .* UTC/);
    await expect(revoked.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
    await snapshot(admin, testInfo, 'service-account-revoked');

    const afterRevoke = await refusal(chat.POST('/api/v1/recall-decisions', { body: { message: message(`m-${randomUUID()}`, new Date()), actor } }).then(ok));
    expect([401, 403]).toContain(afterRevoke.status);
  });
});
