import { Injectable } from '@nestjs/common';
import { asSubject } from '@retract/authz';
import { decodeLeaf } from '@retract/audit-log';
import type { AuditEntryDetail, AuditListQuery } from '@retract/contracts';
import type { Prisma, Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { notFound } from '../../common/problem/problem';
import { AuditLog } from './audit-log';
import type { AuditTicket } from './audit-ticket';
import { ContentVault, type ContentEnvelope } from './content-vault';
import { toEntryView, type Person } from './audit-entry-view';

async function peopleById(tx: Tx, tenantId: string, ids: (string | null)[]): Promise<Map<string, NonNullable<Person>>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const users = await tx.user.findMany({ where: { tenantId, id: { in: unique } }, select: { id: true, displayName: true, email: true } });
  return new Map(users.map((user) => [user.id, user]));
}

/** Browsing the audit trail. Opening recalled content is itself recorded (AUDIT_CONTENT_VIEWED). */
@Injectable()
export class AuditEntries {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly vault: ContentVault,
  ) {}

  list(principal: AuthenticatedPrincipal, query: AuditListQuery) {
    const { tenantId } = principal;
    const where: Prisma.AuditEntryWhereInput = {
      tenantId,
      ...(query.action ? { action: query.action } : {}),
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.conversationId ? { conversationId: query.conversationId } : {}),
      ...(query.messageId ? { messageId: query.messageId } : {}),
      ...(query.subjectUserId ? { subjectUserId: query.subjectUserId } : {}),
      ...(query.from || query.to ? { occurredAt: { ...(query.from ? { gte: new Date(query.from) } : {}), ...(query.to ? { lte: new Date(query.to) } : {}) } } : {}),
      ...(query.q ? { searchText: { contains: query.q.toLowerCase() } } : {}),
      ...(query.cursor !== undefined ? { seq: { lt: BigInt(query.cursor) } } : {}),
    };
    return this.tenantDb.run(principal, async (tx) => {
      const rows = await tx.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, take: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const people = await peopleById(tx, tenantId, page.map((row) => row.actorId));
      return {
        items: page.map((row) => toEntryView(row, people)),
        nextCursor: rows.length > query.limit ? Number(page[page.length - 1].seq) : null,
      };
    });
  }

  async detail(principal: AuthenticatedPrincipal, seq: number): Promise<AuditEntryDetail> {
    const { tenantId } = principal;
    let view: AuditTicket | undefined;
    const detail = await this.tenantDb.run(principal, async (tx) => {
      const row = await tx.auditEntry.findFirst({ where: { tenantId, seq: BigInt(seq) } });
      if (!row) throw notFound('audit entry');
      const leaf = decodeLeaf(new Uint8Array(row.leaf));
      const people = await peopleById(tx, tenantId, [row.actorId, row.subjectUserId]);
      const envelope = (leaf.content ?? null) as ContentEnvelope | null;
      let content: AuditEntryDetail['content'] = null;
      if (envelope) {
        if (!principal.ability.can('readContent', asSubject('AuditEntry', { tenantId }))) {
          content = { state: 'WITHHELD', detail: 'Recalled content is visible to compliance officers only.' };
        } else {
          const opened = await this.vault.open(tx, tenantId, envelope);
          if (opened.state === 'READABLE') {
            view = await this.log.append(tx, tenantId, {
              action: 'AUDIT_CONTENT_VIEWED',
              actorId: principal.userId,
              subjectUserId: row.subjectUserId,
              conversationId: row.conversationId,
              messageId: row.messageId,
              details: { viewedSeq: seq },
            });
            // The view's own seq is known once the transaction has committed (below).
            content = { state: 'READABLE', value: opened.content, viewAuditSeq: -1 };
          } else {
            content = opened;
          }
        }
      }
      return {
        ...toEntryView(row, people),
        subject: row.subjectUserId ? (people.get(row.subjectUserId) ?? null) : null,
        details: (leaf.details ?? {}) as Record<string, unknown>,
        leaf: Buffer.from(row.leaf).toString('base64'),
        content,
        recallReach: row.action === 'MESSAGE_RECALLED' && row.messageId ? await recallReach(tx, tenantId, row.messageId, leaf.details) : null,
      };
    });
    if (view && detail.content?.state === 'READABLE') detail.content.viewAuditSeq = view.seq;
    return detail;
  }
}

/** How many recipients acknowledged the recall (RECALL_APPLIED receipts) and who may still hold the content. */
async function recallReach(tx: Tx, tenantId: string, messageId: string, details: unknown) {
  const recipients = Array.isArray((details as { recipients?: unknown })?.recipients) ? ((details as { recipients: string[] }).recipients) : [];
  const applied = await tx.messageReceipt.findMany({ where: { tenantId, messageId, kind: 'RECALL_APPLIED' }, select: { userId: true } });
  const appliedIds = new Set(applied.map((receipt) => receipt.userId));
  return { recipients: recipients.length, applied: recipients.filter((id) => appliedIds.has(id)).length, pending: recipients.filter((id) => !appliedIds.has(id)) };
}
