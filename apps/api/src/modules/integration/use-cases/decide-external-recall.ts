import { Inject, Injectable } from '@nestjs/common';
import type { RecallDecision, RecallDecisionRequest } from '@retract/contracts';
import { externalSentAt } from '@retract/recall-policy';
import { randomUUID } from 'node:crypto';
import type { ServicePrincipal } from '../../../common/auth/service-accounts';
import { TenantDb } from '../../../common/database/database.module';
import { CONFIG, type Config } from '../../../config/config';
import { Clock } from '../../clock/clock';
import { PolicyCache } from '../../policy/policy-cache';
import { readDecisionFacts } from '../decision-facts';
import { decideExternal, decisionView } from '../external-decision';
import { placeholderName, sameRef } from '../external-directory';
import { noteSighting } from '../external-messages';

/**
 * POST /recall-decisions: "may this person recall this message now?" A query: it creates no
 * person, conversation or audit entry. People and conversations Retract does not know yet are
 * judged as new ones (no recent recalls, no conversation override). The one thing it may write is
 * the first sight of a message whose sentAt is ahead of Retract's clock (docs/integration.md, "Time").
 */
@Injectable()
export class DecideExternalRecall {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly clock: Clock,
    private readonly policies: PolicyCache,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  decide(service: ServicePrincipal, request: RecallDecisionRequest): Promise<RecallDecision> {
    const now = this.clock.now();
    const { tenantId } = service;
    const { message, actor } = request;
    return this.tenantDb.sql({ tenantId }, async (tx) => {
      // One statement for every lookup; the recent-recall count takes no lock, as a decision records nothing.
      const { sender, actor: actorPerson, conversation, message: known, recent } = await readDecisionFacts(tx, tenantId, message, actor, now);
      const time = externalSentAt({
        claimed: new Date(message.sentAt),
        firstSeenAt: known?.firstSeenAt,
        now,
        skewMs: this.config.INTEGRATION_SENT_AT_SKEW_SECONDS * 1000,
      });
      if (time.replaced && !known) await noteSighting(tx, tenantId, message.source, message.externalId, now);
      const policy = await this.policies.current(tx, tenantId);
      // Stand-ins for people not known yet: the sender's and the actor's are equal exactly when the references are.
      const senderId = sender?.userId ?? randomUUID();
      const actorId = sameRef(actor, message.sender) ? senderId : (actorPerson?.userId ?? randomUUID());
      const decision = decideExternal({
        policy,
        message,
        messageId: known?.id ?? randomUUID(),
        senderId,
        actorId,
        conversationId: conversation?.id ?? randomUUID(),
        sentAt: time.sentAt,
        recalledAt: known?.recalledAt ?? null,
        forced: request.forced,
        reason: request.reason,
        now,
        recent,
      });
      return decisionView(decision, time.sentAt, sender?.displayName ?? placeholderName(message.sender));
    });
  }
}
