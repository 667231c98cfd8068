import { Injectable } from '@nestjs/common';
import { asSubject } from '@retract/authz';
import { decodeLeaf } from '@retract/audit-log';
import type { AuditEntryDetail, AuditListQuery } from '@retract/contracts';
import { Prisma, type SqlTx, type Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { notFound } from '../../common/problem/problem';
import { AuditLog } from './audit-log';
import type { AuditTicket } from './audit-ticket';
import { ContentVault, type ContentEnvelope } from './content-vault';
import { isHoldConfidential, leafSummary, personOf, toEntryView, withoutHoldSecrets, type AuditEntryColumns } from './audit-entry-view';
import { openPersonalData, peopleById } from './personal-data';
import { integrationNames } from '../service-accounts/service-account-names';
import { auditConversation } from './audit-conversation';

type ListedRow = AuditEntryColumns & { actorName: string | null; actorEmail: string | null };

/** Whether the caller sees legal holds' matters and subjects in the trail (those who may read the holds themselves). */
const seesHoldSecrets = (principal: AuthenticatedPrincipal) => principal.ability.can('read', asSubject('LegalHold', { tenantId: principal.tenantId }));

/** Browsing the audit trail. Opening recalled content is itself recorded (AUDIT_CONTENT_VIEWED). */
@Injectable()
export class AuditEntries {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly vault: ContentVault,
  ) {}

  /**
   * One page, newest first, below `cursor`, in one statement on a plain `pg` transaction:
   * `audit_browse_seqs` picks the page's seqs through an index for the filters given
   * (prisma/migrations/20261202190000_audit_browse_indexes.sql says why it runs outside RLS), and
   * the rows and their actors are read under RLS. No OFFSET and no count: a page costs the same at
   * the head and deep in the log.
   */
  list(principal: AuthenticatedPrincipal, query: AuditListQuery) {
    const { tenantId } = principal;
    // `q` has always been matched as a LIKE pattern (so `_` and `%` are wildcards in it).
    const pattern = query.q ? `%${query.q.toLowerCase()}%` : null;
    return this.tenantDb.sql(principal, async (tx) => {
      const rows = await tx.$queryRaw<ListedRow[]>(Prisma.sql`
        SELECT e.seq, e.occurred_at AS "occurredAt", e.action::text AS action, e.actor_id AS "actorId", e.subject_user_id AS "subjectUserId",
               e.conversation_id AS "conversationId", e.message_id AS "messageId", e.policy_version AS "policyVersion", e.decided_by AS "decidedBy",
               e.denial_code AS "denialCode", e.forced, e.data_key_id AS "dataKeyId", e.leaf, e.leaf_hash AS "leafHash",
               u.display_name AS "actorName", u.email AS "actorEmail"
          FROM audit_entries e
          -- One primary-key probe per entry (LIMIT 1 keeps the planner from hashing every user of the tenant).
          LEFT JOIN LATERAL (SELECT display_name, email FROM users
                              WHERE users.tenant_id = e.tenant_id AND users.id = e.actor_id AND users.erased_at IS NULL LIMIT 1) u ON true
         WHERE e.tenant_id = ${tenantId}::uuid
           AND e.seq = ANY (ARRAY(SELECT audit_browse_seqs(
                 ${query.cursor ?? null}::bigint, ${query.limit + 1}::int, ${query.action ?? null}::audit_action, ${query.actorId ?? null}::uuid,
                 ${query.subjectUserId ?? null}::uuid, ${query.conversationId ?? null}::uuid, ${query.messageId ?? null}::uuid,
                 ${query.from ? new Date(query.from) : null}::timestamptz, ${query.to ? new Date(query.to) : null}::timestamptz, ${pattern}::text,
                 ${query.source ?? null}::text)))
         ORDER BY e.seq DESC`);
      const page = rows.slice(0, query.limit);
      const people = new Map(
        page
          .filter((row) => row.actorId && row.actorName !== null)
          .map((row) => [row.actorId!, personOf({ id: row.actorId!, displayName: row.actorName!, email: row.actorEmail! })]),
      );
      for (const subject of await subjectsOf(tx, tenantId, page)) people.set(subject.id, personOf(subject));
      const seesHolds = seesHoldSecrets(principal);
      // A filter on a person, a conversation or the text would tell, by a hold entry matching it, whom or what the hold names.
      const filtersOnHoldSecrets = Boolean(query.subjectUserId || query.conversationId || query.q);
      const shown = seesHolds || !filtersOnHoldSecrets ? page : page.filter((row) => !isHoldConfidential(row.action));
      const summaries = shown.map(leafSummary);
      const personal = await openPersonalData(this.vault, tx, tenantId, summaries);
      const integration = await integrationNames(
        tx,
        tenantId,
        shown.map((row, i) => ({ serviceAccountId: summaries[i].serviceAccountId, messageId: row.messageId })),
      );
      const views = shown.map((row, i) => toEntryView(row, summaries[i], people, personal[i], integration));
      return {
        items: seesHolds ? views : views.map(withoutHoldSecrets),
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
          const opened = await this.vault.open(tx, tenantId, envelope, { action: row.action, messageId: row.messageId });
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
      const summary = leafSummary(row);
      const [personal] = await openPersonalData(this.vault, tx, tenantId, [summary]);
      const integration = await integrationNames(tx, tenantId, [{ serviceAccountId: summary.serviceAccountId, messageId: row.messageId }]);
      const full: AuditEntryDetail = {
        ...toEntryView(row, summary, people, personal, integration),
        details: { ...(leaf.details as Record<string, unknown> | undefined), ...personal.details },
        abridged: {},
        conversation: await auditConversation(tx, tenantId, row.conversationId),
        leaf: Buffer.from(row.leaf).toString('base64'),
        content,
        recallReach: row.action === 'MESSAGE_RECALLED' && row.messageId ? await recallReach(tx, tenantId, row.messageId, leaf.details) : null,
      };
      return seesHoldSecrets(principal) ? full : withoutHoldSecrets(full);
    });
    if (view && detail.content?.state === 'READABLE') detail.content.viewAuditSeq = view.seq;
    return detail;
  }
}

/** The people a page's entries concern, by name (erased people resolve to none). */
function subjectsOf(tx: SqlTx, tenantId: string, rows: readonly AuditEntryColumns[]) {
  const ids = [...new Set(rows.map((row) => row.subjectUserId).filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return Promise.resolve([]);
  return tx.$queryRaw<{ id: string; displayName: string; email: string }[]>(Prisma.sql`
    SELECT id, display_name AS "displayName", email FROM users
     WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${ids}::uuid[]) AND erased_at IS NULL`);
}

/** How many recipients acknowledged the recall (RECALL_APPLIED receipts) and who may still hold the content. */
async function recallReach(tx: Tx, tenantId: string, messageId: string, details: unknown) {
  const recipients = Array.isArray((details as { recipients?: unknown })?.recipients) ? (details as { recipients: string[] }).recipients : [];
  const applied = await tx.messageReceipt.findMany({ where: { tenantId, messageId, kind: 'RECALL_APPLIED' }, select: { userId: true } });
  const appliedIds = new Set(applied.map((receipt) => receipt.userId));
  return {
    recipients: recipients.length,
    applied: recipients.filter((id) => appliedIds.has(id)).length,
    pending: recipients.filter((id) => !appliedIds.has(id)),
  };
}
