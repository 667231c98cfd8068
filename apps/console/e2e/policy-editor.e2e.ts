import { expect, test, type Page } from '@playwright/test';
import { signInAs, snapshot } from './helpers';

/**
 * The policy form as a new administrator uses it: what the form shows is what it saves, edits are
 * not lost by leaving, the save bar covers nothing, and errors speak in the unit a field shows.
 */

async function openPolicy(page: Page) {
  await signInAs(page, 'admin@acme.test');
  await page.goto('/policy');
  await expect(page.getByRole('heading', { level: 1, name: 'Recall policy' })).toBeVisible();
}

const windowBox = (page: Page) => page.getByRole('spinbutton', { name: 'Recall window' });
const windowUnit = (page: Page) => page.getByLabel('Unit of Recall window');
const reEditBox = (page: Page) => page.getByRole('spinbutton', { name: 'Re-edit window' });
const reEditUnit = (page: Page) => page.getByLabel('Unit of Re-edit window');

test.describe('admin: the policy form shows what it saves', () => {
  test('Discard changes puts the duration fields back to the saved values', async ({ page }) => {
    await openPolicy(page);
    const saved = { window: await windowBox(page).inputValue(), unit: await windowUnit(page).inputValue() };
    const savedReEdit = { value: await reEditBox(page).inputValue(), unit: await reEditUnit(page).inputValue() };

    await windowBox(page).fill('3');
    await windowUnit(page).selectOption('minutes');
    await reEditBox(page).fill('7');
    await reEditUnit(page).selectOption('hours');
    await expect(page.getByText('Unsaved changes', { exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect(page.getByText('Unsaved changes', { exact: true })).toHaveCount(0);
    await expect(windowBox(page)).toHaveValue(saved.window);
    await expect(windowUnit(page)).toHaveValue(saved.unit);
    await expect(reEditBox(page)).toHaveValue(savedReEdit.value);
    await expect(reEditUnit(page)).toHaveValue(savedReEdit.unit);
  });

  test('after Discard, saving another change records only that change and the box still shows the saved window', async ({ page }) => {
    await openPolicy(page);
    const saved = { window: await windowBox(page).inputValue(), unit: await windowUnit(page).inputValue() };
    const before = Number((await page.getByTestId('policy-version').innerText()).match(/Version (\d+)/)![1]);

    await windowBox(page).fill('4');
    await windowUnit(page).selectOption('hours');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect(windowBox(page)).toHaveValue(saved.window);

    const grace = page.getByRole('spinbutton', { name: 'Grace for requests in flight' });
    await grace.fill(String((Number(await grace.inputValue()) + 1) % 31));
    await page.getByTestId('policy-save').click();
    await expect(page.getByTestId('policy-saved')).toHaveText(`Saved as version ${before + 1}.`);
    const newest = page.getByTestId('policy-version-item').first();
    await expect(newest).toHaveAttribute('data-version', String(before + 1));
    await expect(newest).toContainText('Grace');
    await expect(newest).not.toContainText('Recall window');
    await expect(windowBox(page)).toHaveValue(saved.window);
    await expect(windowUnit(page)).toHaveValue(saved.unit);
  });

  test('a field error speaks in the unit the field shows', async ({ page }) => {
    await openPolicy(page);
    // A unit change keeps the duration: 2 minutes become 120 seconds, not 2 seconds.
    await windowUnit(page).selectOption('minutes');
    await windowBox(page).fill('2');
    await windowUnit(page).selectOption('seconds');
    await expect(windowBox(page)).toHaveValue('120');
    await windowUnit(page).selectOption('hours');
    await windowBox(page).fill('25');
    await expect(page.getByTestId('policy-defaults')).toContainText('Must be between 0 and 24 hours.');
    await windowUnit(page).selectOption('minutes');
    await windowBox(page).fill('2000');
    await expect(page.getByTestId('policy-defaults')).toContainText('Must be between 0 and 1440 minutes.');
    // 0.01 minutes is 0.6 seconds: the field says what it comes to, in seconds, the smallest unit.
    await windowBox(page).fill('0.01');
    await expect(page.getByTestId('policy-defaults')).toContainText('Must come to whole seconds: 0.01 minutes is 0.6 seconds.');
    await expect(page.getByTestId('policy-defaults')).not.toContainText('86400');
  });
});

test.describe('admin: unsaved policy edits are not lost by leaving', () => {
  test('following a link in the console asks first; staying keeps the edits, leaving goes', async ({ page }) => {
    await openPolicy(page);
    await windowUnit(page).selectOption('minutes');
    await windowBox(page).fill('9');

    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('unsaved changes');
    await expect(page).toHaveURL(/\/policy/);
    await expect(windowBox(page)).toHaveValue('9');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users' }).click();
    await expect(page).toHaveURL(/\/users/);
  });

  test('closing or reloading the tab asks first (beforeunload)', async ({ page }) => {
    await openPolicy(page);
    await windowBox(page).fill('9');
    const dialog = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const shown = await dialog;
    expect(shown.type()).toBe('beforeunload');
    await shown.dismiss();
  });

  test('without edits, links leave at once', async ({ page }) => {
    await openPolicy(page);
    let asked = false;
    page.on('dialog', (dialog) => {
      asked = true;
      void dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Users' }).click();
    await expect(page).toHaveURL(/\/users/);
    expect(asked).toBe(false);
  });
});

test.describe('admin: policy page layout', () => {
  test('the save bar covers no field, and no blank gap opens above the history', async ({ page }, testInfo) => {
    await openPolicy(page);
    await windowBox(page).fill('9');
    await expect(page.getByText('Unsaved changes', { exact: true })).toBeVisible();
    await snapshot(page, testInfo, 'policy-first-screen');

    // Every field the first screen shows can be clicked where it is: nothing lies on top of it.
    const covered = await page.evaluate(() => {
      const found: string[] = [];
      for (const input of document.querySelectorAll<HTMLElement>('[data-testid="policy-defaults"] input, [data-testid="policy-defaults"] select')) {
        const box = input.getBoundingClientRect();
        if (box.height === 0 || box.bottom <= 0 || box.top >= window.innerHeight) continue;
        const x = box.left + box.width / 2;
        const y = Math.min(box.top + box.height / 2, window.innerHeight - 1);
        const hit = document.elementFromPoint(x, y);
        if (hit !== input && !input.contains(hit)) found.push(`${input.id || input.getAttribute('type')} under ${hit?.className}`);
      }
      return found;
    });
    expect(covered).toEqual([]);
    await page.getByRole('spinbutton', { name: 'Recalls per person per hour' }).click({ timeout: 2_000 });

    // The page reads top to bottom with no hole: the save bar and the cards follow each other at
    // the page's rhythm (a sticky bar shown away from its place leaves a blank gap where it belongs).
    const gaps = await page.evaluate(() => {
      const boxes = [...document.querySelectorAll('main .savebar, main section.card')]
        .map((element) => ({ name: element.getAttribute('data-testid') ?? element.className, box: element.getBoundingClientRect() }))
        .sort((a, b) => a.box.top - b.box.top);
      return boxes.slice(1).map((next, i) => ({ between: `${boxes[i].name} / ${next.name}`, px: Math.round(next.box.top - boxes[i].box.bottom) }));
    });
    for (const gap of gaps) expect(gap.px, gap.between).toBeGreaterThanOrEqual(0);
    for (const gap of gaps) expect(gap.px, gap.between).toBeLessThanOrEqual(24);
  });
});
