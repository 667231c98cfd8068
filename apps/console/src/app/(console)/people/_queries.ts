import 'server-only';
import { PeopleListSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { textParam } from '../../../lib/params';
import { firstParam } from '../../../lib/search-params';
import { requireSection } from '../../../lib/sections';

export const PEOPLE_PAGE_SIZE = 25;
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;

export interface PeopleParams {
  q?: string;
  cursor?: string;
}

export function parsePeopleParams(params: Record<string, string | string[] | undefined>): PeopleParams {
  const cursor = firstParam(params.cursor);
  return { q: textParam(params, 'q'), cursor: cursor && CURSOR.test(cursor) ? cursor : undefined };
}

/** One page of the directory, and whether the caller opens cases (compliance officers only). */
export async function loadPeople({ q, cursor }: PeopleParams) {
  const session = await requireSection('people');
  const people = await apiFetch(withQuery('/api/v1/people', { q, cursor, limit: PEOPLE_PAGE_SIZE }), PeopleListSchema);
  return { people, opensCases: session.ability.can('readContent', 'AuditEntry') };
}
