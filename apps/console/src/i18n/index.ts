import { en, type Dictionary } from './en';
import { ja } from './ja';
import { zhCN } from './zh-CN';

export type { Dictionary };

/** Languages the console is translated into. */
export const CONSOLE_LOCALES = ['en', 'zh-CN', 'ja'] as const;
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

/** Maps a language tag to a console language: any Chinese tag → zh-CN, Japanese → ja, English → en, others none. */
export function consoleLocaleFor(tag: string | undefined | null): ConsoleLocale | undefined {
  if (!tag) return undefined;
  const lower = tag.trim().toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'ja' || lower.startsWith('ja-')) return 'ja';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

/** Picks the best console language from an Accept-Language header (RFC 9110 §12.5.4). */
export function negotiateLocale(acceptLanguage: string | null | undefined): ConsoleLocale | undefined {
  if (!acceptLanguage) return undefined;
  const ranges = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.tag && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const range of ranges) {
    const locale = consoleLocaleFor(range.tag);
    if (locale) return locale;
  }
  return undefined;
}
