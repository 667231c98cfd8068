import { expect, test } from '@playwright/test';
import { signInAs, snapshot } from './helpers';
import { choosePerson } from './person-picker';

test.describe('legal hold state in the console', () => {
  test('a hold on a person says what it covers; a sender to that person shows as held, erasure is refused naming the hold; released, the state clears', async ({
    page,
  }, testInfo) => {
    // In the demo, carol posted a message in "Launch" (alice, bob, carol) that compliance force-recalled:
    // her recalled content sits in a conversation bob is a member of.
    const matter = `Hold state ${Date.now()}`;

    await signInAs(page, 'compliance@acme.test');
    await page.goto('/legal-holds');
    const place = page.getByTestId('place-hold-form');
    await choosePerson(place, 'Person', 'Bob', 'bob@acme.test');
    await place.getByRole('textbox', { name: 'Matter' }).fill(matter);
    await place.getByRole('button', { name: 'Place hold' }).click();

    const row = page.getByTestId('hold-row').filter({ hasText: matter });
    await expect(row.getByTestId('hold-covers')).toContainText('Bob Brown: their messages and what others sent them');
    await expect(row.getByTestId('hold-covers')).toContainText('Erasing this person, or anyone who sent them recalled content, is refused');

    // Before anything is submitted, the erasure form says carol is held, and why.
    const erasure = page.getByTestId('erasure-form');
    await choosePerson(erasure, 'Person', 'Carol', 'carol@acme.test');
    const state = erasure.getByTestId('erasure-hold-state');
    await expect(state).toHaveAttribute('data-held', 'true');
    await expect(state).toContainText('Carol Chen is under legal hold: erasure will be refused');
    await expect(state.getByRole('list', { name: 'Legal holds covering Carol Chen' }).getByRole('listitem')).toHaveText([
      `“${matter}”: they sent recalled content to Bob Brown, who is held`,
    ]);
    await snapshot(page, testInfo, 'erasure-form-sender-held');

    await erasure.getByRole('textbox', { name: 'Reason' }).fill('DSR-HOLD-STATE');
    await erasure.getByLabel('I understand this cannot be undone.').check();
    await erasure.getByRole('button', { name: 'Erase content' }).click();
    const result = page.getByTestId('erasure-result');
    await expect(result.getByRole('alert')).toHaveAttribute('data-code', 'LEGAL_HOLD_ACTIVE');
    await expect(result.getByTestId('erasure-refusing-holds')).toContainText(
      `Refused by these holds:“${matter}”: they sent recalled content to Bob Brown, who is held`,
    );
    const recorded = (await result.getByText(/The refusal was recorded as audit entry \d+/).innerText()).match(/(\d+)/)![1];
    await snapshot(page, testInfo, 'erasure-refused-by-hold');

    // The refusal's entry names carol, marked held.
    await page.goto(`/audit?entry=${recorded}`);
    const subject = page.getByRole('definition').filter({ hasText: 'carol@acme.test' });
    await expect(subject.getByTestId('held-badge')).toContainText('Held');
    await expect(subject.getByTestId('held-badge')).toContainText(`Under legal hold: “${matter}”`);
    await snapshot(page, testInfo, 'audit-entry-held-badge');

    // Released, the hold no longer covers carol.
    await page.goto('/legal-holds');
    await choosePerson(page.getByTestId('erasure-form'), 'Person', 'Carol', 'carol@acme.test');
    await expect(page.getByTestId('erasure-hold-state')).toHaveAttribute('data-held', 'true');
    const activeRow = page.getByTestId('hold-row').filter({ hasText: matter });
    await activeRow.getByRole('button', { name: 'Release' }).click();
    await activeRow.getByRole('button', { name: 'Yes, release' }).click();
    await expect(page.getByTestId('holds-table')).not.toContainText(matter);
    await expect(page.getByTestId('erasure-hold-state')).toHaveAttribute('data-held', 'false');
    await expect(page.getByTestId('erasure-hold-state')).toContainText('Carol Chen is not under any legal hold.');
    await snapshot(page, testInfo, 'hold-released-state-clear');
  });
});
