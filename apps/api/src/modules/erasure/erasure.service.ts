import { Injectable } from '@nestjs/common';
import type { ErasureRequest } from '@retract/contracts';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { ContentVault } from '../audit/content-vault';
import { holdsCoveringSubject } from '../legal-holds/legal-holds.service';

/**
 * GDPR Art. 17 by crypto-shredding: the subject's data keys are destroyed and CONTENT_ERASED is
 * appended; the entries stay and the log still verifies. A legal hold refuses it (409), and the
 * refusal itself is recorded.
 */
@Injectable()
export class Erasure {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly vault: ContentVault,
  ) {}

  async erase(principal: AuthenticatedPrincipal, request: ErasureRequest) {
    const { tenantId } = principal;
    const outcome = await this.tenantDb.run(principal, async (tx) => {
      const subject = await tx.user.findFirst({ where: { tenantId, id: request.subjectUserId }, select: { id: true } });
      if (!subject) throw notFound('user');
      // Serializes erasure against holds placed or released at the same moment.
      await this.log.lockEvidence(tx, tenantId);
      const holds = await holdsCoveringSubject(tx, tenantId, request.subjectUserId);
      if (holds.length > 0) {
        const refused = await this.log.append(tx, tenantId, {
          action: 'ERASURE_REFUSED',
          actorId: principal.userId,
          subjectUserId: request.subjectUserId,
          reason: request.reason,
          details: { holdIds: holds.map((hold) => hold.id), matters: holds.map((hold) => hold.matter) },
        });
        return { refused: true as const, holds, entry: refused };
      }
      const destroyed = await this.vault.shred(tx, tenantId, { subjectUserId: request.subjectUserId }, 'ERASURE');
      const erased = await this.log.append(tx, tenantId, {
        action: 'CONTENT_ERASED',
        actorId: principal.userId,
        subjectUserId: request.subjectUserId,
        reason: request.reason,
        details: { keysDestroyed: destroyed.length, dataKeyIds: destroyed },
      });
      return { refused: false as const, keysDestroyed: destroyed.length, entry: erased };
    });
    if (outcome.refused) {
      throw new ProblemException({
        status: 409,
        code: 'LEGAL_HOLD_ACTIVE',
        detail: `A legal hold covers this person's content (${outcome.holds.map((hold) => hold.matter).join('; ')}); erasure was refused and the refusal recorded.`,
        extensions: { holdIds: outcome.holds.map((hold) => hold.id), auditSeq: outcome.entry.seq },
      });
    }
    return { subjectUserId: request.subjectUserId, keysDestroyed: outcome.keysDestroyed, auditSeq: outcome.entry.seq };
  }
}
