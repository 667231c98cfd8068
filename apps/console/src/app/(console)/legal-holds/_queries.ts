import 'server-only';
import { AuditListSchema, LegalHoldListSchema, RetentionViewSchema, type LegalHoldViewSchema } from '@retract/contracts';
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

/**
 * Holds for a compliance officer, and the people they can pick from. Compliance officers may not
 * list the organisation's users (that is an admin ability), so the picker offers the people who
 * appear as actors in the recent audit trail; any user id can still be pasted.
 */
export async function loadLegalHolds({ show }: { show: HoldFilter }) {
  const session = await requireSection('legalHolds');
  const [holds, recent, retention] = await Promise.all([
    apiFetch(withQuery('/api/v1/legal-holds', { active: show === 'all' ? undefined : show === 'active' ? 'true' : 'false' }), LegalHoldListSchema),
    apiFetch('/api/v1/audit?limit=200', AuditListSchema),
    // Compliance officers own audit retention but have no policy section: they change it here.
    apiFetch('/api/v1/policy/retention', RetentionViewSchema),
  ]);
  const people = new Map<string, Person>();
  if (recent.ok) for (const item of recent.data.items) if (item.actor && !people.has(item.actor.id)) people.set(item.actor.id, item.actor);
  return {
    holds,
    retention,
    canChangeRetention: session.ability.can('update', 'AuditRetention'),
    people: [...people.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
  };
}
