import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { signInAs, snapshot } from './helpers';
import { choosePerson } from './person-picker';

const REPO = join(__dirname, '../../..');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

test.describe('people and cases', () => {
  test('legal hold: the person picker finds Bob by his name and Carol, shows the chosen person by name, and its error clears once a person is chosen', async ({
    page,
  }, testInfo) => {
    const matter = `Picker ${Date.now()}`;
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    const place = page.getByTestId('place-hold-form');
    const person = place.getByRole('combobox', { name: 'Person' });

    // Asked for without a person: the form says so.
    await place.getByRole('textbox', { name: 'Matter' }).fill(matter);
    await place.getByRole('button', { name: 'Place hold' }).click();
    await expect(place.getByText('Choose a person.')).toBeVisible();
    await expect(person).toHaveAttribute('aria-invalid', 'true');

    // Anyone of the organisation is found by part of their name, whoever appears in the recent audit trail.
    await person.fill('car');
    await expect(place.getByRole('option')).toHaveText([/Carol Chen\s*carol@acme\.test/]);
    await expect(person).toHaveAttribute('aria-expanded', 'true');
    await person.press('Escape');
    await expect(person).toHaveAttribute('aria-expanded', 'false');

    // Bob, by typing his name and choosing him with the keyboard; he shows by name and email, never as an id.
    await choosePerson(place, 'Person', 'bob', 'bob@acme.test');
    await expect(person).toHaveValue('Bob Brown <bob@acme.test>');
    await expect(person).not.toHaveValue(UUID);
    await expect(place.getByText('Choose a person.')).toHaveCount(0);
    await expect(person).not.toHaveAttribute('aria-invalid', 'true');
    await snapshot(page, testInfo, 'legal-hold-picker-bob');

    await place.getByRole('button', { name: 'Place hold' }).click();
    const row = page.getByTestId('hold-row').filter({ hasText: matter });
    await expect(row.getByTestId('hold-covers')).toContainText('Bob Brown: their messages and what others sent them');
    // The form is ready for the next hold: no person chosen.
    await expect(person).toHaveValue('');

    // The directory shows Bob held, and the hold is released again (other tests rely on the demo's state).
    await page.goto('/people?q=bob');
    const bob = page.getByTestId('person-row').filter({ hasText: 'bob@acme.test' });
    await expect(bob).toContainText('Employee');
    await expect(bob).toContainText('Active');
    await expect(bob.getByTestId('person-holds')).toContainText('1 active hold');
    await snapshot(page, testInfo, 'people-bob-held');
    await page.goto('/legal-holds');
    await row.getByRole('button', { name: 'Release' }).click();
    await row.getByRole('button', { name: 'Yes, release' }).click();
    await expect(page.getByTestId('holds-table')).not.toContainText(matter);
  });

  test('the erasure form picks a person by name, and says whether they are held', async ({ page }) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    const erasure = page.getByTestId('erasure-form');
    await erasure.getByRole('button', { name: 'Erase content' }).click();
    await expect(erasure.getByText('Choose a person.')).toBeVisible();
    await choosePerson(erasure, 'Person', 'Carol', 'carol@acme.test');
    await expect(erasure.getByText('Choose a person.')).toHaveCount(0);
    await expect(erasure.getByTestId('erasure-hold-state')).toHaveAttribute('data-held', 'false');
  });

  test('a case: Carol’s timeline from the people directory, an entry opened and verified, and the bundle exported and verified offline with npm run verify', async ({
    page,
  }, testInfo) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/people?q=carol');
    await page.getByRole('link', { name: 'Open case of Carol Chen' }).click();
    await expect(page).toHaveURL(/\/cases\?person=/);
    await expect(page.getByTestId('case-title')).toHaveText('Case of Carol Chen <carol@acme.test>');
    await expect(page.getByRole('combobox', { name: 'Person' })).toHaveValue('Carol Chen <carol@acme.test>');
    const timeline = page.getByTestId('case-timeline');
    // The demo's compliance officer force-recalled a password Carol posted in "Launch".
    const recalled = timeline.getByTestId('case-entry').filter({ hasText: 'Credential posted in a group conversation' });
    await expect(recalled).toHaveCount(1);
    await expect(recalled).toContainText('Message recalled');
    await expect(recalled).toContainText('Forced');
    await expect(recalled).toContainText('by Cora Compliance · about Carol Chen');
    await snapshot(page, testInfo, 'case-carol');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export case bundle' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^case-person-[0-9a-f]{8}-.+\.tar$/);
    await expect(page.getByTestId('case-export-status')).toContainText(/Saved case-person-.+\.tar: \d+ entries/);

    // The bundle, as an auditor would take it: unpacked with tar, checked with the offline verifier against the published key.
    const dir = testInfo.outputPath('case-bundle');
    mkdirSync(dir, { recursive: true });
    const archive = join(dir, file.suggestedFilename());
    await file.saveAs(archive);
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    expect(readdirSync(dir).sort()).toEqual([file.suggestedFilename(), 'case.csv', 'case.jsonl', 'summary.txt'].sort());
    const keys = (await (await page.request.get('/api/v1/audit/public-keys')).json()) as { keys: { vkey: string }[] };
    const verdict = execFileSync('npm', ['run', '--silent', 'verify', '--', join(dir, 'case.jsonl'), '--trusted-key', keys.keys[0].vkey, '--quiet'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(verdict).toMatch(/^OK: \d+ entries of a proof bundle verified/);

    // The export is itself part of the case; opened, it verifies in the browser against the signed checkpoint.
    const exported = timeline.getByTestId('case-entry').filter({ hasText: 'Export created' });
    await expect(exported).toHaveCount(1);
    await exported.getByRole('button', { name: /Open entry \d+/ }).click();
    const detail = page.getByTestId('audit-detail');
    await expect(detail).toBeVisible();
    await expect(detail.getByTestId('verify-status')).toHaveAttribute('data-state', 'verified', { timeout: 15_000 });
    await snapshot(page, testInfo, 'case-entry-verified');
    await page.keyboard.press('Escape');
    await expect(detail).toHaveCount(0);
  });

  test('audit filters: the actor and the person concerned are chosen by name, land in the URL as ids and show by name again', async ({ page }) => {
    await signInAs(page, 'compliance@acme.test');
    await page.goto('/audit');
    const filters = page.getByRole('search', { name: 'Filters' });
    await choosePerson(filters, 'Actor', 'cora', 'compliance@acme.test');
    await choosePerson(filters, 'Person concerned', 'carol', 'carol@acme.test');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await expect(page).toHaveURL(/[?&]actor=[0-9a-f-]{36}/);
    await expect(page).toHaveURL(/[?&]subject=[0-9a-f-]{36}/);
    // Every entry of the filtered page is Cora's about Carol (her forced recalls of Carol's messages, their views, the case export).
    const rows = page.getByTestId('audit-row');
    await expect
      .poll(async () => {
        const texts = await rows.allInnerTexts();
        return texts.length > 0 && texts.every((text) => text.includes('Cora Compliance'));
      })
      .toBe(true);
    await page.reload();
    await expect(page.getByRole('search', { name: 'Filters' }).getByRole('combobox', { name: 'Actor' })).toHaveValue('Cora Compliance <compliance@acme.test>');
    await expect(page.getByRole('search', { name: 'Filters' }).getByRole('combobox', { name: 'Person concerned' })).toHaveValue('Carol Chen <carol@acme.test>');
  });

  test('the people directory lists administrators too, without legal holds', async ({ page }) => {
    await signInAs(page, 'admin@acme.test');
    await page.goto('/people?q=carol');
    const carol = page.getByTestId('person-row').filter({ hasText: 'carol@acme.test' });
    await expect(carol).toContainText('Carol Chen');
    await expect(page.getByRole('columnheader', { name: 'Legal holds' })).toHaveCount(0);
    await expect(carol.getByRole('link', { name: /Open case/ })).toHaveCount(0);
  });
});
