import { Injectable } from '@nestjs/common';
import { isPlaceholderEmail, type DirectoryPerson, type ExternalRef, type PutDirectoryPersonRequest } from '@retract/contracts';
import type { ServicePrincipal } from '../../../common/auth/service-accounts';
import { TenantDb } from '../../../common/database/database.module';
import { ProblemException } from '../../../common/problem/problem';
import { AuditLog } from '../../audit/audit-log';
import { isUniqueViolation } from '../../messages/db-errors';
import { recordDirectoryChange } from '../directory-audit';
import { ensurePerson } from '../external-directory';

/**
 * PUT /directory/people/{source}/{externalId}: the chat system's directory names a person (name,
 * email, locale), creating them on first use. An email another person of the organisation has
 * is refused (409): it is never taken as a reason to merge two people, since a service account
 * could otherwise make itself an administrator's chat identity. An erased person stays erased (409).
 */
@Injectable()
export class PutDirectoryPerson {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly audit: AuditLog,
  ) {}

  async put(service: ServicePrincipal, ref: ExternalRef, request: PutDirectoryPersonRequest): Promise<DirectoryPerson> {
    const { tenantId } = service;
    try {
      return await this.tenantDb.sql({ tenantId }, async (tx) => {
        const person = await ensurePerson(tx, tenantId, ref);
        if (person.erased)
          throw new ProblemException({
            status: 409,
            code: 'CONFLICT',
            detail: 'This person was erased; the directory cannot name them again.',
            message: { key: 'CONFLICT.directoryErased' },
          });
        const changes = {
          displayName: request.displayName !== undefined && request.displayName !== person.displayName ? request.displayName : undefined,
          email: request.email !== undefined && request.email !== person.email ? request.email : undefined,
          locale: request.locale !== undefined && request.locale !== person.locale ? request.locale : undefined,
        };
        const fields = Object.entries(changes)
          .filter(([, value]) => value !== undefined)
          .map(([field]) => field);
        if (fields.length > 0) {
          await tx.$executeRaw`
            UPDATE users SET display_name = coalesce(${changes.displayName ?? null}, display_name), email = coalesce(${changes.email ?? null}, email),
                             locale = coalesce(${changes.locale ?? null}, locale), updated_at = now()
             WHERE tenant_id = ${tenantId}::uuid AND id = ${person.userId}::uuid`;
        }
        if (person.created || fields.length > 0) {
          await recordDirectoryChange(this.audit, tx, tenantId, service, ref, person.userId, {
            kind: person.created ? 'CREATED' : 'UPDATED',
            fields,
            ...(changes.locale ? { locale: changes.locale } : {}),
            personal: {
              ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
              ...(changes.email !== undefined ? { email: changes.email } : {}),
            },
          });
        }
        const email = changes.email ?? person.email;
        return {
          source: ref.source,
          externalId: ref.externalId,
          userId: person.userId,
          displayName: changes.displayName ?? person.displayName,
          email: isPlaceholderEmail(email) ? null : email,
          locale: changes.locale ?? person.locale,
          created: person.created,
        };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ProblemException({
          status: 409,
          code: 'CONFLICT',
          detail: 'Another person of the organisation has this email address.',
          message: { key: 'CONFLICT.directoryEmail' },
          errors: [{ field: 'email', message: 'is the email address of another person of the organisation', code: 'taken' }],
        });
      throw error;
    }
  }
}
