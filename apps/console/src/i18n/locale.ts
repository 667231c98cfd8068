import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { getSession } from '../lib/session';
import { consoleLocaleFor, DEFAULT_LOCALE, getDictionary, isConsoleLocale, LOCALE_COOKIE, negotiateLocale, type ConsoleLocale, type Dictionary } from './index';

/**
 * The language of this request, first match wins:
 * 1. the `retract_locale` cookie set by the language switcher;
 * 2. the signed-in user's locale from /me (`ja` has no console translation → English);
 * 3. the browser's Accept-Language (the login page, before anyone is signed in);
 * 4. English.
 */
export const getLocale = cache(async (): Promise<ConsoleLocale> => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isConsoleLocale(chosen)) return chosen;
  try {
    const session = await getSession();
    if (session) return consoleLocaleFor(session.me.locale) ?? DEFAULT_LOCALE;
  } catch {
    // API unreachable: fall through to the browser's preference; the page reports the error.
  }
  return negotiateLocale((await headers()).get('accept-language')) ?? DEFAULT_LOCALE;
});

export async function getI18n(): Promise<{ locale: ConsoleLocale; dict: Dictionary }> {
  const locale = await getLocale();
  return { locale, dict: getDictionary(locale) };
}
