import { Inject, Injectable } from '@nestjs/common';
import type { JsonValue } from '@retract/audit-log';
import type { RecordRecallRequest } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import { externalSentAt, type RecordedAttempt } from '@retract/recall-policy';
import { randomUUID } from 'node:crypto';
import type { ServicePrincipal } from '../../../common/auth/service-accounts';
import { TenantDb } from '../../../common/database/database.module';
import { ProblemException } from '../../../common/problem/problem';
import { CONFIG, type Config } from '../../../config/config';
import { AuditLog } from '../../audit/audit-log';
import type { AuditTicket } from '../../audit/audit-ticket';
import { Clock } from '../../clock/clock';
import { EventLog } from '../../events/event-log';
import { PolicyCache } from '../../policy/policy-cache';
import { attemptToJson } from '../../policy/recorded-attempts';
import { denialProblem } from '../../recall/recall-steps';
import { decideExternal, decisionView, rateLimited } from '../external-decision';
import { compareRefs, ensureConversation, ensurePerson, sameRef, type ExternalPerson } from '../external-directory';
import { lockExternalMessage, markExternalRecalled, recentExternalRecalls } from '../external-messages';
import {
  claimKey,
  completeAnswer,
  readKey,
  recordedEntry,
  requestFingerprint,
  saveAnswer,
  withEntry,
  type KeyScope,
  type StoredAnswer,
} from '../idempotency-keys';
import { recordPersonCreated } from '../directory-audit';

/** How long a request with a key whose first request is still being answered waits for that answer before 409. */
const IN_USE_WAIT_MS = 10_000;
const IN_USE_POLL_MS = 20;

export interface RecordOutcome {
  answer: StoredAnswer;
  /** True when this is the first answer to the key again (Idempotent-Replayed). */
  replayed: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POST /recalls: a chat system records a recall it applied (docs/integration.md). The same
 * transaction as a built-in recall: the message's row lock, the policy in force, the actor's recent
 * recalls, the pure decision, then either the MESSAGE_RECALLED entry with the content sealed under
 * the sender's data key and the `message.recalled` event, or the recorded refusal. The
 * Idempotency-Key is claimed by its first statement and the answer stored with it.
 */
@Injectable()
export class RecordExternalRecall {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly clock: Clock,
    private readonly policies: PolicyCache,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async record(service: ServicePrincipal, key: string, request: RecordRecallRequest): Promise<RecordOutcome> {
    const { tenantId } = service;
    const scope: KeyScope = { tenantId, serviceAccountId: service.serviceAccountId, key };
    const fingerprint = requestFingerprint(this.config.JWT_SECRET, request);
    const ttl = this.config.IDEMPOTENCY_KEY_TTL_HOURS;
    for (let round = 0; ; round++) {
      const requestId = randomUUID();
      const first = await this.tenantDb.sql({ tenantId }, async (tx) => {
        if (!(await claimKey(tx, scope, requestId, fingerprint, ttl))) return null;
        return this.attempt(tx, service, scope, requestId, request);
      });
      if (first) {
        if (!first.entry) return { answer: first.answer, replayed: false };
        // The runner returned once the log integrated the entry: its seq and leaf hash complete the stored answer.
        const answer = withEntry(first.answer, { seq: first.entry.seq, leafHash: Buffer.from(first.entry.leafHash).toString('base64') });
        await this.tenantDb.sql({ tenantId }, (tx) => completeAnswer(tx, scope, answer));
        return { answer, replayed: false };
      }
      const replayed = await this.replay(scope, fingerprint);
      // The key expired between the claim and the read: claim it afresh.
      if (replayed || round > 0) return replayed ?? this.inUse();
    }
  }

  /** The first answer to the key, once it is complete; 422 for another body; 409 when it stays unfinished. */
  private async replay(scope: KeyScope, fingerprint: Buffer): Promise<RecordOutcome | null> {
    const deadline = Date.now() + IN_USE_WAIT_MS;
    for (;;) {
      const state = await this.tenantDb.sql({ tenantId: scope.tenantId }, async (tx) => {
        const record = await readKey(tx, scope, this.config.IDEMPOTENCY_KEY_TTL_HOURS);
        if (!record) return { kind: 'gone' as const };
        if (!record.fingerprint.equals(fingerprint)) return { kind: 'mismatch' as const };
        if (record.complete && record.answer) return { kind: 'answer' as const, answer: record.answer };
        if (record.answer && record.messageId) {
          const entry = await recordedEntry(tx, scope.tenantId, record.messageId, record.requestId);
          if (entry) {
            const answer = withEntry(record.answer, entry);
            await completeAnswer(tx, scope, answer);
            return { kind: 'answer' as const, answer };
          }
        }
        return { kind: 'wait' as const };
      });
      if (state.kind === 'gone') return null;
      if (state.kind === 'mismatch') {
        throw new ProblemException({
          status: 422,
          code: 'IDEMPOTENCY_KEY_REUSED',
          detail: 'This Idempotency-Key was used for a request with another body; use a new key for a new request.',
        });
      }
      if (state.kind === 'answer') return { answer: state.answer, replayed: true };
      if (Date.now() >= deadline) return this.inUse();
      await sleep(IN_USE_POLL_MS);
    }
  }

  private inUse(): never {
    throw new ProblemException({
      status: 409,
      code: 'IDEMPOTENCY_KEY_IN_USE',
      detail: 'The first request with this Idempotency-Key is still being processed; retry shortly.',
      retryAfter: 1,
    });
  }

  private async attempt(
    tx: SqlTx,
    service: ServicePrincipal,
    scope: KeyScope,
    requestId: string,
    request: RecordRecallRequest,
  ): Promise<{ answer: StoredAnswer; entry: AuditTicket | null }> {
    const now = this.clock.now();
    const { tenantId } = service;
    const { message, actor } = request;
    // Lock order: people (sorted by reference), the conversation, the message (external-directory.ts).
    const people = new Map<string, ExternalPerson>();
    for (const ref of [message.sender, actor].sort(compareRefs)) {
      const key = `${ref.source}\u0000${ref.externalId}`;
      if (people.has(key)) continue;
      const person = await ensurePerson(tx, tenantId, ref);
      if (person.created) await recordPersonCreated(this.audit, tx, tenantId, service, ref, person.userId);
      people.set(key, person);
    }
    const sender = people.get(`${message.sender.source}\u0000${message.sender.externalId}`)!;
    const actorPerson = sameRef(actor, message.sender) ? sender : people.get(`${actor.source}\u0000${actor.externalId}`)!;
    const conversation = await ensureConversation(tx, tenantId, message.conversation, [sender.userId, actorPerson.userId]);
    const row = await lockExternalMessage(tx, tenantId, message.source, message.externalId, now);
    const time = externalSentAt({
      claimed: new Date(message.sentAt),
      firstSeenAt: row.firstSeenAt,
      now,
      skewMs: this.config.INTEGRATION_SENT_AT_SKEW_SECONDS * 1000,
    });
    const policy = await this.policies.current(tx, tenantId);
    const recent = await recentExternalRecalls(tx, tenantId, actorPerson.userId, now, rateLimited(policy.document));
    const decision = decideExternal({
      policy,
      message,
      messageId: row.id,
      senderId: sender.userId,
      actorId: actorPerson.userId,
      conversationId: conversation.id,
      sentAt: time.sentAt,
      recalledAt: row.recalledAt,
      forced: request.forced,
      reason: request.reason,
      now,
      recent,
    });
    const attempt: RecordedAttempt = {
      messageId: row.id,
      messageType: message.type,
      senderId: sender.userId,
      actorId: actorPerson.userId,
      forced: request.forced,
      conversation: { id: conversation.id, kind: conversation.kind },
      sentAt: time.sentAt,
      attemptedAt: now,
      reasonPresent: request.reason !== undefined,
      recentRecallCount: recent.count,
      recentRecallOldestAt: recent.oldestAt ?? null,
      outcome: decision.allowed ? { allowed: true } : { allowed: false, code: decision.code },
    };
    const details = {
      messageType: message.type,
      sentAt: time.sentAt.toISOString(),
      conversationKind: conversation.kind,
      policyInForce: decision.effective.rule,
      attempt: attemptToJson(attempt) as unknown as JsonValue,
      source: message.source,
      serviceAccountId: service.serviceAccountId,
      requestId,
      // The chat system's own ids and its clock's sentAt, as sent (the decision used `sentAt` above).
      external: { messageId: message.externalId, conversationId: message.conversation.externalId, sentAt: message.sentAt },
    };
    const entryBase = {
      actorId: actorPerson.userId,
      subjectUserId: sender.userId,
      conversationId: conversation.id,
      messageId: row.id,
      policyVersion: decision.policyVersion,
      decidedBy: decision.rule,
      forced: decision.forced,
      reason: request.reason ?? null,
    };
    if (decision.allowed) {
      const reEditUntil = decision.reEditUntil?.toISOString() ?? null;
      const entry = await this.audit.append(tx, tenantId, {
        action: 'MESSAGE_RECALLED',
        ...entryBase,
        details: { ...details, recipients: [], alreadyDeliveredTo: [], reEditUntil },
        content: {
          subjectUserId: sender.userId,
          value: { type: message.type, body: request.content.text ?? null, attachments: request.content.attachments ?? [] } as unknown as JsonValue,
        },
      });
      await markExternalRecalled(tx, tenantId, row.id, now, actorPerson.userId);
      await this.events.record(tx, tenantId, {
        type: 'message.recalled',
        conversationId: conversation.id,
        messageId: row.id,
        payload: {
          messageId: row.id,
          conversationId: conversation.id,
          senderId: sender.userId,
          recalledAt: now.toISOString(),
          recallKind: decision.forced ? 'FORCED' : 'SENDER',
          source: message.source,
          externalMessageId: message.externalId,
          externalConversationId: message.conversation.externalId,
        },
        at: now,
      });
      const answer: StoredAnswer = {
        kind: 'body',
        status: 201,
        body: { decision: decisionView(decision, time.sentAt, sender.displayName), messageId: row.id },
      };
      await saveAnswer(tx, scope, row.id, answer, false);
      return { answer, entry };
    }
    // A refusal is evidence, as for built-in recalls; ALREADY_RECALLED repeats what the log holds and is not recorded again.
    const entry =
      decision.code === 'ALREADY_RECALLED'
        ? null
        : await this.audit.append(tx, tenantId, {
            action: 'RECALL_DENIED',
            ...entryBase,
            denialCode: decision.code,
            details: { ...details, retryAfterSeconds: decision.retryAfterSeconds ?? null },
          });
    const problem = denialProblem(decision, null).init;
    const answer: StoredAnswer = { kind: 'problem', status: problem.status, problem };
    await saveAnswer(tx, scope, row.id, answer, entry === null);
    return { answer, entry };
  }
}
