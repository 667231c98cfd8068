import { localeForTag, negotiateLocale as negotiateProductLocale, type Locale } from '@retract/contracts';
import { en, type Dictionary } from './en';
import { ja } from './ja';
import { zhCN } from './zh-CN';

export type { Dictionary };

/** Languages the console is translated into. */
export const CONSOLE_LOCALES = ['en', 'zh-CN', 'ja'] as const satisfies readonly Locale[];
export type ConsoleLocale = (typeof CONSOLE_LOCALES)[number];
export const DEFAULT_LOCALE: ConsoleLocale = 'en';

/** Cookie holding the language picked in the header switcher; it overrides the user's locale. */
export const LOCALE_COOKIE = 'retract_locale';

const dictionaries: Record<ConsoleLocale, Dictionary> = { en, 'zh-CN': zhCN, ja };

export function getDictionary(locale: ConsoleLocale): Dictionary {
  return dictionaries[locale];
}

export function isConsoleLocale(value: unknown): value is ConsoleLocale {
  return typeof value === 'string' && (CONSOLE_LOCALES as readonly string[]).includes(value);
}

/** Maps a language tag to a console language (the product's languages, libs/contracts): zh-* → zh-CN, ja-* → ja, en-* → en. */
export const consoleLocaleFor = (tag: string | undefined | null): ConsoleLocale | undefined => localeForTag(tag);

/** Picks the best console language from an Accept-Language header (RFC 9110 §12.5.4). */
export const negotiateLocale = (acceptLanguage: string | null | undefined): ConsoleLocale | undefined => negotiateProductLocale(acceptLanguage);
