import type { Dictionary } from '../i18n/en';
import { format } from '../i18n/format';

/** "Organisation default", "Override for group conversations", … for a decision rule name. */
export function ruleLabel(rule: string | null | undefined, t: Dictionary['rules']): string {
  if (!rule) return '';
  const known = (t as Record<string, string>)[rule];
  if (known && rule !== 'version' && rule !== 'conversation') return known;
  if (rule.startsWith('CONVERSATION_KIND:')) {
    const kind = rule.slice('CONVERSATION_KIND:'.length);
    return kind === 'GROUP' ? t.GROUP : kind === 'DIRECT' ? t.DIRECT : rule;
  }
  if (rule.startsWith('CONVERSATION:')) return format(t.conversation, { id: shortId(rule.slice('CONVERSATION:'.length)) });
  return rule;
}

/** The first block of a UUID: enough to tell ids apart on screen (the full id is in the title). */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '';
}

export function formatBytes(locale: string, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
