import 'server-only';
import { LegalHoldListSchema, PeopleListSchema, RetentionViewSchema, type LegalHoldViewSchema } from '@retract/contracts';
import type { z } from 'zod';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { enumParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const HOLD_FILTERS = ['active', 'released', 'all'] as const;
export type HoldFilter = (typeof HOLD_FILTERS)[number];

export type LegalHoldView = z.infer<typeof LegalHoldViewSchema>;

export interface Person {
  id: string;
  displayName: string;
  email: string | null;
}

export function parseHoldParams(params: Record<string, string | string[] | undefined>): { show: HoldFilter } {
  return { show: enumParam(params, 'show', HOLD_FILTERS) ?? 'active' };
}

/** People named on the page (held, placed by) are looked up one by one, up to this many; the rest show a short id. */
const MAX_NAMES_LOOKED_UP = 40;

/**
 * Holds for a compliance officer, and the names of the people they name (the people directory,
 * `GET /people?personId=`). The forms find people by name through the person picker.
 * `activeHoldIds` changes whenever a hold is placed or released, whichever list is shown, so the
 * erasure form checks its person's holds again.
 */
export async function loadLegalHolds({ show }: { show: HoldFilter }) {
  const session = await requireSection('legalHolds');
  const [holds, active, retention] = await Promise.all([
    apiFetch(withQuery('/api/v1/legal-holds', { active: show === 'all' ? undefined : show === 'active' ? 'true' : 'false' }), LegalHoldListSchema),
    show === 'active' ? null : apiFetch('/api/v1/legal-holds?active=true', LegalHoldListSchema),
    // Compliance officers own audit retention but have no policy section: they change it here.
    apiFetch('/api/v1/policy/retention', RetentionViewSchema),
  ]);
  const activeHolds = show === 'active' ? holds : active!;
  const named = [...new Set((holds.ok ? holds.data.items : []).flatMap((hold) => [hold.subjectUserId, hold.placedBy]))];
  const lookups = await Promise.all(
    named
      .filter((id): id is string => id !== null)
      .slice(0, MAX_NAMES_LOOKED_UP)
      .map((id) => apiFetch(withQuery('/api/v1/people', { personId: id, limit: 1 }), PeopleListSchema)),
  );
  const people = lookups.flatMap((found): Person[] => (found.ok ? found.data.items.filter((person) => !person.erased) : []));
  return {
    holds,
    activeHoldIds: activeHolds.ok ? activeHolds.data.items.map((hold) => hold.id).join(',') : '',
    retention,
    canChangeRetention: session.ability.can('update', 'AuditRetention'),
    people,
  };
}
