import { CONSOLE_LOCALES, type Dictionary } from '../i18n';
import type { LocaleOption } from './locale-switcher';

/** Switcher options, each language named in itself. */
export function localeOptions(dict: Dictionary): LocaleOption[] {
  return CONSOLE_LOCALES.map((value) => ({ value, label: dict.locale.names[value] }));
}
