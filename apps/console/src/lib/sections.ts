import 'server-only';
import { redirect } from 'next/navigation';
import { NAV_ITEMS, type NavItem } from '@retract/authz';
import { requireSession, type Session } from './session';

/** A console section other than home; its required ability comes from NAV_ITEMS (libs/authz). */
export type SectionKey = Exclude<NavItem['key'], 'home'>;

export function sectionItem(key: NavItem['key']): NavItem {
  const item = NAV_ITEMS.find((i) => i.key === key);
  if (!item) throw new Error(`Unknown console section ${key}`);
  return item;
}

export function isSectionKey(value: unknown): value is SectionKey {
  return typeof value === 'string' && value !== 'home' && NAV_ITEMS.some((i) => i.key === value);
}

/**
 * Gatekeeper for a section's layout and page: signed out → login; signed in without the
 * section's ability → home, which explains the refusal. Pages call it again (STYLE habit 10),
 * because a layout is not re-rendered on every navigation inside its segment.
 */
export async function requireSection(key: SectionKey): Promise<Session> {
  const session = await requireSession();
  const [action, subject] = sectionItem(key).requires;
  if (!session.ability.can(action, subject)) redirect(`/?denied=${key}`);
  return session;
}
