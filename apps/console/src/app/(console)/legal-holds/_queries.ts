import 'server-only';
import { AuditListSchema, LegalHoldCoverageSchema, LegalHoldListSchema, RetentionViewSchema, type LegalHoldViewSchema } from '@retract/contracts';
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
  email: string;
}

export function parseHoldParams(params: Record<string, string | string[] | undefined>): { show: HoldFilter } {
  return { show: enumParam(params, 'show', HOLD_FILTERS) ?? 'active' };
}

/** Held people named on the page without a name from the audit trail: their names are asked for one by one, up to this many. */
const MAX_NAMES_LOOKED_UP = 20;

/**
 * Holds for a compliance officer, and the people they can pick from. Compliance officers may not
 * list the organisation's users (that is an admin ability), so the picker offers the people who
 * appear as actors in the recent audit trail, and the people holds are placed on (named through
 * the holds' coverage, `GET /legal-holds/coverage`); any user id can still be pasted.
 * `activeHoldIds` changes whenever a hold is placed or released, whichever list is shown, so the
 * erasure form checks its person's holds again.
 */
export async function loadLegalHolds({ show }: { show: HoldFilter }) {
  const session = await requireSection('legalHolds');
  const [holds, active, recent, retention] = await Promise.all([
    apiFetch(withQuery('/api/v1/legal-holds', { active: show === 'all' ? undefined : show === 'active' ? 'true' : 'false' }), LegalHoldListSchema),
    show === 'active' ? null : apiFetch('/api/v1/legal-holds?active=true', LegalHoldListSchema),
    apiFetch('/api/v1/audit?limit=200', AuditListSchema),
    // Compliance officers own audit retention but have no policy section: they change it here.
    apiFetch('/api/v1/policy/retention', RetentionViewSchema),
  ]);
  const activeHolds = show === 'active' ? holds : active!;
  const people = new Map<string, Person>();
  if (recent.ok) for (const item of recent.data.items) if (item.actor && !people.has(item.actor.id)) people.set(item.actor.id, item.actor);
  const heldPeople = [...new Set([...(holds.ok ? holds.data.items : []), ...(activeHolds.ok ? activeHolds.data.items : [])].map((hold) => hold.subjectUserId))];
  const unnamed = heldPeople.filter((id): id is string => id !== null && !people.has(id)).slice(0, MAX_NAMES_LOOKED_UP);
  const coverages = await Promise.all(unnamed.map((id) => apiFetch(withQuery('/api/v1/legal-holds/coverage', { subjectUserId: id }), LegalHoldCoverageSchema)));
  for (const coverage of coverages) if (coverage.ok && coverage.data.person) people.set(coverage.data.person.id, coverage.data.person);
  return {
    holds,
    activeHoldIds: activeHolds.ok ? activeHolds.data.items.map((hold) => hold.id).join(',') : '',
    retention,
    canChangeRetention: session.ability.can('update', 'AuditRetention'),
    people: [...people.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
  };
}
