import type { JsonValue } from '@retract/audit-log';
import { TenantDb } from '../src/common/database/database.module';
import { AuditLog } from '../src/modules/audit/audit-log';
import type { AuditDraft } from '../src/modules/audit/audit-draft';
import type { TestApp, TestTenant } from './test-app';

/** Appends entries through the real write path (the recall flows use the same function). */
export async function appendEntries(test: TestApp, tenant: TestTenant, drafts: AuditDraft[]): Promise<number[]> {
  const log = test.app.get(AuditLog);
  const tenantDb = test.app.get(TenantDb);
  const seqs: number[] = [];
  for (const draft of drafts) seqs.push((await tenantDb.run({ tenantId: tenant.id }, (tx) => log.append(tx, tenant.id, draft))).seq);
  return seqs;
}

export function recalledDraft(tenant: TestTenant, sender: string, body: string, extra: Partial<AuditDraft> = {}): AuditDraft {
  const senderId = tenant.users[sender].id;
  return {
    action: 'MESSAGE_RECALLED',
    actorId: senderId,
    subjectUserId: senderId,
    conversationId: extra.conversationId ?? '7a1b2c3d-0000-4000-8000-000000000001',
    messageId: crypto.randomUUID(),
    policyVersion: 1,
    decidedBy: 'TENANT_DEFAULT',
    reason: null,
    details: { recipients: [tenant.users.bob?.id ?? senderId], alreadyDeliveredTo: [] },
    content: { subjectUserId: senderId, value: { type: 'TEXT', body } as JsonValue },
    ...extra,
  };
}

export const policyDraft = (actorId: string, n: number): AuditDraft => ({ action: 'POLICY_CHANGED', actorId, policyVersion: n, details: { diff: [{ path: 'windowSeconds', from: 120, to: 120 + n }] } });
