import type { JsonValue } from '@retract/audit-log';
import type { ExternalRef } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import type { ServicePrincipal } from '../../common/auth/service-accounts';
import type { AuditLog } from '../audit/audit-log';
import type { AuditTicket } from '../audit/audit-ticket';

/**
 * DIRECTORY_PERSON_CHANGED: a service account created or changed a chat system's person. The
 * service account is the actor; the person is the subject. The chat system's id and what the
 * directory set (name, email) identify the person, so they are sealed under the person's key
 * (docs/audit-log.md, "Personal data"); the changed field names and the locale stay clear.
 */
export function recordDirectoryChange(
  audit: AuditLog,
  tx: SqlTx,
  tenantId: string,
  service: ServicePrincipal,
  ref: ExternalRef,
  userId: string,
  change: { kind: 'CREATED' | 'UPDATED'; fields: string[]; locale?: string; personal?: Record<string, JsonValue> },
): Promise<AuditTicket> {
  return audit.append(tx, tenantId, {
    action: 'DIRECTORY_PERSON_CHANGED',
    actorId: service.serviceAccountId,
    subjectUserId: userId,
    details: {
      change: change.kind,
      source: ref.source,
      serviceAccountId: service.serviceAccountId,
      fields: change.fields,
      ...(change.locale ? { locale: change.locale } : {}),
    },
    personal: { externalId: ref.externalId, ...change.personal },
  });
}

export const recordPersonCreated = (audit: AuditLog, tx: SqlTx, tenantId: string, service: ServicePrincipal, ref: ExternalRef, userId: string) =>
  recordDirectoryChange(audit, tx, tenantId, service, ref, userId, { kind: 'CREATED', fields: [] });
