import { ConversationKindSchema, DenialCodeSchema, MessageTypeSchema } from '@retract/contracts';
import type { Tx } from '@retract/db';
import type { RecordedAttempt } from '@retract/recall-policy';
import { z } from 'zod';

/*
 * Every recall attempt (MESSAGE_RECALLED and RECALL_DENIED) keeps, in its audit details under
 * `attempt`, what the decision saw (libs/recall-policy README, "RecordedAttempt"): the policy
 * simulation replays exactly these through the same decision function. Timestamps are ISO strings.
 */

export type AttemptJson = {
  messageId: string;
  messageType: string;
  senderId: string;
  actorId: string;
  forced: boolean;
  conversation: { id: string; kind: string };
  sentAt: string;
  attemptedAt: string;
  reasonPresent: boolean;
  recentRecallCount: number;
  recentRecallOldestAt: string | null;
  batchSize: number | null;
  outcome: { allowed: true } | { allowed: false; code: string };
};

const iso = (value: Date | number) => new Date(value).toISOString();

export function attemptToJson(attempt: RecordedAttempt): AttemptJson {
  return {
    messageId: attempt.messageId ?? '',
    messageType: attempt.messageType,
    senderId: attempt.senderId,
    actorId: attempt.actorId,
    forced: attempt.forced,
    conversation: { id: attempt.conversation.id, kind: attempt.conversation.kind },
    sentAt: iso(attempt.sentAt),
    attemptedAt: iso(attempt.attemptedAt),
    reasonPresent: attempt.reasonPresent,
    recentRecallCount: attempt.recentRecallCount,
    recentRecallOldestAt: attempt.recentRecallOldestAt == null ? null : iso(attempt.recentRecallOldestAt),
    batchSize: attempt.batchSize ?? null,
    outcome: attempt.outcome.allowed ? { allowed: true } : { allowed: false, code: attempt.outcome.code },
  };
}

const AttemptJsonSchema = z.object({
  messageId: z.string(),
  messageType: MessageTypeSchema,
  senderId: z.string(),
  actorId: z.string(),
  forced: z.boolean(),
  conversation: z.object({ id: z.string(), kind: ConversationKindSchema }),
  sentAt: z.iso.datetime(),
  attemptedAt: z.iso.datetime(),
  reasonPresent: z.boolean(),
  recentRecallCount: z.number().int().min(0),
  recentRecallOldestAt: z.iso.datetime().nullable(),
  batchSize: z.number().int().min(1).nullable(),
  outcome: z.union([z.object({ allowed: z.literal(true) }), z.object({ allowed: z.literal(false), code: DenialCodeSchema })]),
});

export function attemptFromJson(value: unknown): RecordedAttempt | null {
  const parsed = AttemptJsonSchema.safeParse(value);
  if (!parsed.success) return null;
  const a = parsed.data;
  return {
    messageId: a.messageId || undefined,
    messageType: a.messageType,
    senderId: a.senderId,
    actorId: a.actorId,
    forced: a.forced,
    conversation: a.conversation,
    sentAt: Date.parse(a.sentAt),
    attemptedAt: Date.parse(a.attemptedAt),
    reasonPresent: a.reasonPresent,
    recentRecallCount: a.recentRecallCount,
    recentRecallOldestAt: a.recentRecallOldestAt === null ? null : Date.parse(a.recentRecallOldestAt),
    ...(a.batchSize !== null ? { batchSize: a.batchSize } : {}),
    outcome: a.outcome,
  };
}

const PAGE = 2000;

/** The recall attempts recorded since `since`, read back from the audit leaves (the bytes of record), in log order. */
export async function readRecordedAttempts(tx: Tx, tenantId: string, since: Date): Promise<RecordedAttempt[]> {
  const attempts: RecordedAttempt[] = [];
  let after: bigint | undefined;
  for (;;) {
    const rows = await tx.auditEntry.findMany({
      where: {
        tenantId,
        action: { in: ['MESSAGE_RECALLED', 'RECALL_DENIED'] },
        occurredAt: { gte: since },
        ...(after !== undefined ? { seq: { gt: after } } : {}),
      },
      orderBy: { seq: 'asc' },
      select: { seq: true, leaf: true },
      take: PAGE,
    });
    for (const row of rows) {
      try {
        const leaf = JSON.parse(Buffer.from(row.leaf).toString('utf8')) as { details?: { attempt?: unknown } };
        const attempt = attemptFromJson(leaf.details?.attempt);
        if (attempt) attempts.push(attempt);
      } catch {
        // A leaf that does not parse is the verifier's business; the simulation skips it.
      }
    }
    if (rows.length < PAGE) return attempts;
    after = rows[rows.length - 1].seq;
  }
}
