import { expect, type Locator } from '@playwright/test';

/**
 * Chooses a person in a person picker (components/person-picker.tsx) the way a keyboard user
 * does: types part of their name, waits for the people found for that text, moves to the person
 * with the arrow keys and presses Enter. Resolves once the picker shows them by name and email.
 */
export async function choosePerson(scope: Locator, label: string, typed: string, email: string): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.fill(typed);
  const options = scope.getByRole('option');
  await expect(options.filter({ hasText: email })).toHaveCount(1);
  const found = await options.allInnerTexts();
  const at = found.findIndex((text) => text.includes(email));
  for (let i = 0; i < at; i++) await box.press('ArrowDown');
  await expect(options.nth(at)).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(box).toHaveValue(new RegExp(`<${email.replace(/[.]/g, '\\.')}>$`));
}
