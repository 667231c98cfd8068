/** Message formatting shared by server and client components (no dictionaries imported here). */

export interface PluralForms {
  one: string;
  other: string;
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match));
}

export function plural(locale: string, forms: PluralForms, count: number): string {
  const category = new Intl.PluralRules(locale).select(count);
  return format(category === 'one' ? forms.one : forms.other, { count });
}

/** "42 seconds" below two minutes, otherwise whole minutes rounded up ("15 minutes"). */
export function formatWait(locale: string, units: { seconds: PluralForms; minutes: PluralForms }, seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  return s < 120 ? plural(locale, units.seconds, s) : plural(locale, units.minutes, Math.ceil(s / 60));
}
