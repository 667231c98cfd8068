import { Injectable } from '@nestjs/common';
import type { AuditEntryView, CaseQuery } from '@retract/contracts';
import type { AuditEntry, Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { leafSummary, toEntryView } from '../audit/audit-entry-view';
import { ContentVault } from '../audit/content-vault';
import { openPersonalData, peopleById } from '../audit/personal-data';
import { integrationNames } from '../service-accounts/service-account-names';
import { caseSubject, caseWhere } from './case-scope';

/** Entry views of some rows, as the audit list shows them: people by id, personal data opened, the chat system named. */
export async function caseEntryViews(vault: ContentVault, tx: Tx, tenantId: string, rows: readonly AuditEntry[]): Promise<AuditEntryView[]> {
  const summaries = rows.map(leafSummary);
  const people = await peopleById(
    tx,
    tenantId,
    rows.flatMap((row) => [row.actorId, row.subjectUserId]),
  );
  const personal = await openPersonalData(vault, tx, tenantId, summaries);
  const integration = await integrationNames(
    tx,
    tenantId,
    rows.map((row, i) => ({ serviceAccountId: summaries[i].serviceAccountId, messageId: row.messageId })),
  );
  return rows.map((row, i) => toEntryView(row, summaries[i], people, personal[i], integration));
}

/**
 * A case's timeline, newest first, keyset-paginated by seq. Only callers who read recalled content
 * (compliance officers) reach it, and they read legal holds too: nothing is redacted.
 */
@Injectable()
export class CaseTimeline {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly vault: ContentVault,
  ) {}

  page(principal: AuthenticatedPrincipal, query: CaseQuery) {
    const { tenantId } = principal;
    return this.tenantDb.run(principal, async (tx) => {
      await caseSubject(tx, tenantId, query);
      const rows = await tx.auditEntry.findMany({
        where: { AND: [caseWhere(tenantId, query), query.cursor !== undefined ? { seq: { lt: BigInt(query.cursor) } } : {}] },
        orderBy: { seq: 'desc' },
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      return {
        items: await caseEntryViews(this.vault, tx, tenantId, page),
        nextCursor: rows.length > query.limit ? Number(page[page.length - 1].seq) : null,
      };
    });
  }
}
