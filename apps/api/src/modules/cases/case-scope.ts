import type { CaseExportQuery } from '@retract/contracts';
import type { Prisma, Tx } from '@retract/db';
import { notFound } from '../../common/problem/problem';
import type { CaseSubject } from './case-summary';

/**
 * What a case holds (docs/audit-log.md, "Cases"): the entries whose actor or subject is the person,
 * or whose conversation is the conversation, in the period. Recalls, refusals, re-edits, content views
 * of their recalls, holds on them and their erasure all carry the person as actor or subject.
 */
export function caseWhere(tenantId: string, query: CaseExportQuery): Prisma.AuditEntryWhereInput {
  return {
    tenantId,
    ...(query.personId ? { OR: [{ actorId: query.personId }, { subjectUserId: query.personId }] } : {}),
    ...(query.conversationId ? { conversationId: query.conversationId } : {}),
    ...(query.from || query.to
      ? { occurredAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lte: new Date(query.to) } : {}) } }
      : {}),
  };
}

/** The person and the conversation a case is about, of the caller's organisation; 404 otherwise (another organisation's included). */
export async function caseSubject(tx: Tx, tenantId: string, query: CaseExportQuery): Promise<CaseSubject> {
  let person: CaseSubject['person'] = null;
  let conversation: CaseSubject['conversation'] = null;
  if (query.personId) {
    const user = await tx.user.findFirst({ where: { tenantId, id: query.personId }, select: { id: true, displayName: true, email: true, erasedAt: true } });
    if (!user) throw notFound('person');
    person = { id: user.id, displayName: user.displayName, email: user.email, erased: user.erasedAt !== null };
  }
  if (query.conversationId) {
    conversation = await tx.conversation.findFirst({ where: { tenantId, id: query.conversationId }, select: { id: true, title: true } });
    if (!conversation) throw notFound('conversation');
  }
  return { person, conversation };
}
