'use server';

import { cookies } from 'next/headers';
import { isConsoleLocale, LOCALE_COOKIE } from './index';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Stores the language picked in the switcher; setting a cookie re-renders the current page. */
export async function setLocale(formData: FormData): Promise<void> {
  const locale = formData.get('locale');
  if (!isConsoleLocale(locale)) return;
  (await cookies()).set(LOCALE_COOKIE, locale, {
    path: '/',
    sameSite: 'lax',
    httpOnly: true,
    maxAge: ONE_YEAR_SECONDS,
  });
}
