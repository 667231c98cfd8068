import 'server-only';
import { CaseTimelineSchema, PeopleListSchema } from '@retract/contracts';
import { utcDayBound } from '../../../i18n/dates';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { dayParam, intParam, uuidParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const CASE_PAGE_SIZE = 50;

/** A case as the URL names it: a person and/or a conversation, a period of UTC days, and the page. */
export interface CaseParams {
  person?: string;
  conversation?: string;
  from?: string;
  to?: string;
  /** Entries with seq below this (keyset); absent = the newest. */
  cursor?: number;
}

export function parseCaseParams(params: Record<string, string | string[] | undefined>): CaseParams {
  return {
    person: uuidParam(params, 'person'),
    conversation: uuidParam(params, 'conversation'),
    from: dayParam(params, 'from'),
    to: dayParam(params, 'to'),
    cursor: intParam(params, 'cursor', 1),
  };
}

/** The API's query for a case: what the timeline and the export both ask for. */
export function caseQuery({ person, conversation, from, to }: CaseParams) {
  return { personId: person, conversationId: conversation, from: utcDayBound(from, false), to: utcDayBound(to, true) };
}

/** One page of the case's timeline, newest first, and its person by name; nothing until the URL names a person or a conversation. */
export async function loadCase(params: CaseParams) {
  const session = await requireSection('cases');
  const [timeline, people] = await Promise.all([
    params.person || params.conversation
      ? apiFetch(withQuery('/api/v1/cases', { ...caseQuery(params), cursor: params.cursor, limit: CASE_PAGE_SIZE }), CaseTimelineSchema)
      : null,
    params.person ? apiFetch(withQuery('/api/v1/people', { personId: params.person, limit: 1 }), PeopleListSchema) : null,
  ]);
  return { timeline, person: people?.ok ? (people.data.items[0] ?? null) : null, me: session.me };
}
