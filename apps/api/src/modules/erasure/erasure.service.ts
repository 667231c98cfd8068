import { Injectable } from '@nestjs/common';
import type { ErasureRequest } from '@retract/contracts';
import type { Tx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, forbidden, notFound } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { ContentVault } from '../audit/content-vault';
import { forgetChatIdentity } from '../integration/forget-chat-identity';
import { holdsCoveringSubject } from '../legal-holds/legal-holds.service';
import { assertNotLastHolder } from '../users/last-holders';

/** What an erased person's email and name become (docs/audit-log.md, "Personal data"). */
export const erasedEmail = (userId: string) => `erased-${userId}@erased.invalid`;
export const ERASED_DISPLAY_NAME = 'Erased user';

/**
 * The person's account keeps its id (entries and messages refer to it) and loses everything that
 * identifies them: email and name become placeholders, the password goes, the account and its
 * sessions end. An erased person stays erased (a trigger refuses to give them a name again).
 */
async function forgetPerson(tx: Tx, tenantId: string, userId: string, now: Date): Promise<void> {
  await tx.user.update({
    where: { tenantId_id: { tenantId, id: userId } },
    data: { email: erasedEmail(userId), displayName: ERASED_DISPLAY_NAME, passwordHash: null, active: false, erasedAt: now, updatedAt: now },
  });
  await tx.session.updateMany({ where: { tenantId, userId, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * GDPR Art. 17 by crypto-shredding: the subject's data keys are destroyed — their recalled content
 * and the personal data entries carry about them (reasons, email, quoted matters) with them — their
 * account is emptied of their email and name, a chat system's id for them and the stored answers
 * naming them go (forget-chat-identity.ts), and CONTENT_ERASED is appended; the entries stay and
 * the log still verifies. A legal hold refuses it (409), and the refusal itself is recorded.
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
      const subject = await tx.user.findFirst({
        where: { tenantId, id: request.subjectUserId },
        select: { id: true, roles: true, active: true, erasedAt: true },
      });
      if (!subject) throw notFound('user');
      if (subject.id === principal.userId) throw forbidden('Nobody erases themselves; another compliance officer does.');
      // Serializes erasure against holds placed or released at the same moment.
      await this.log.lockEvidence(tx, tenantId);
      const holds = await holdsCoveringSubject(tx, tenantId, request.subjectUserId);
      if (holds.length > 0) {
        const refused = await this.log.append(tx, tenantId, {
          action: 'ERASURE_REFUSED',
          actorId: principal.userId,
          subjectUserId: request.subjectUserId,
          reason: request.reason,
          details: { holdIds: holds.map((hold) => hold.id) },
          personal: { matters: holds.map((hold) => hold.matter) },
        });
        return { refused: true as const, holds, entry: refused };
      }
      await assertNotLastHolder(tx, tenantId, subject);
      const destroyed = await this.vault.shred(tx, tenantId, { subjectUserId: request.subjectUserId }, 'ERASURE');
      if (!subject.erasedAt) await forgetPerson(tx, tenantId, subject.id, new Date());
      const chat = await forgetChatIdentity(tx, tenantId, subject.id);
      // Its reason is sealed under a fresh key of the person: the record of why they were erased stays readable.
      const erased = await this.log.append(tx, tenantId, {
        action: 'CONTENT_ERASED',
        actorId: principal.userId,
        subjectUserId: request.subjectUserId,
        reason: request.reason,
        details: {
          keysDestroyed: destroyed.length,
          dataKeyIds: destroyed,
          accountErased: true,
          chatIdentitiesErased: chat.mappings,
          storedAnswersRemoved: chat.storedAnswers,
        },
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
