import 'server-only';
import { AUDIT_ACTIONS, AuditListSchema, SOURCE_PATTERN, type AuditAction } from '@retract/contracts';
import { utcDayBound } from '../../../i18n/dates';
import { apiFetch } from '../../../lib/api';
import { withQuery } from '../../../lib/client-api';
import { dayParam, enumParam, intListParam, intParam, patternParam, textParam, uuidParam } from '../../../lib/params';
import { requireSection } from '../../../lib/sections';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  action?: AuditAction;
  actor?: string;
  subject?: string;
  conversation?: string;
  message?: string;
  from?: string;
  to?: string;
  q?: string;
  /** The chat system entries came from (integration mode). */
  source?: string;
}

export interface AuditPageParams {
  filters: AuditFilters;
  /** Show entries with seq below this (keyset); absent = the newest. */
  cursor?: number;
  /** Cursors of the pages before this one, oldest first, so "Newer" can step back. */
  trail: number[];
}

export function parseAuditParams(params: Record<string, string | string[] | undefined>): AuditPageParams {
  return {
    filters: {
      action: enumParam(params, 'action', AUDIT_ACTIONS),
      actor: uuidParam(params, 'actor'),
      subject: uuidParam(params, 'subject'),
      conversation: uuidParam(params, 'conversation'),
      message: uuidParam(params, 'message'),
      from: dayParam(params, 'from'),
      to: dayParam(params, 'to'),
      q: textParam(params, 'q'),
      source: patternParam(params, 'source', SOURCE_PATTERN),
    },
    cursor: intParam(params, 'cursor', 1),
    trail: intListParam(params, 'trail'),
  };
}

/**
 * One page of the audit trail, newest first, for a compliance officer. Re-checks the section's
 * ability (the layout is not re-rendered on every navigation) before calling the API, which
 * checks again. Keyset pagination by seq: the cost of a page does not grow with the log. With it,
 * the log's size.
 */
export async function loadAuditPage({ filters, cursor }: AuditPageParams) {
  await requireSection('audit');
  const path = withQuery('/api/v1/audit', {
    action: filters.action,
    actorId: filters.actor,
    subjectUserId: filters.subject,
    conversationId: filters.conversation,
    messageId: filters.message,
    from: utcDayBound(filters.from, false),
    to: utcDayBound(filters.to, true),
    q: filters.q,
    source: filters.source,
    cursor,
    limit: AUDIT_PAGE_SIZE,
  });
  // The newest entry's seq gives the log's size, which places a page in the whole log for the pager.
  const [page, head] = await Promise.all([apiFetch(path, AuditListSchema), apiFetch('/api/v1/audit?limit=1', AuditListSchema)]);
  return { page, logSize: head.ok ? (head.data.items[0]?.seq ?? -1) + 1 : null };
}
