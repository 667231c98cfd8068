import { Injectable } from '@nestjs/common';
import type { EventType } from '@retract/contracts';
import type { Prisma, SqlTx } from '@retract/db';

export interface EventDraft {
  type: EventType;
  conversationId?: string | null;
  messageId?: string | null;
  /** Ids and codes only: never message content, nor a person's name (read with the event; see sender-names.ts). */
  payload: Record<string, Prisma.InputJsonValue | null>;
  at: Date;
}

/**
 * The only writer of the per-tenant event log, called inside the transaction of the change it
 * announces. Ids come from the tenant's head row, incremented under its row lock, so a tenant's
 * events commit in id order: a client resuming after id N never misses a smaller id that commits
 * later. Call it last in the transaction to keep that lock short. It also enqueues the webhook
 * deliveries for the event (an outbox in the same transaction); the insert trigger NOTIFYs the
 * replicas at commit.
 */
@Injectable()
export class EventLog {
  async record(tx: SqlTx, tenantId: string, draft: EventDraft): Promise<bigint> {
    // One round trip: take the next id under the head's row lock, insert the event, enqueue its deliveries
    // (event_log_append keeps the statement's plan for the session).
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      SELECT event_log_append(${tenantId}::uuid, ${draft.type}, ${draft.conversationId ?? null}::uuid, ${draft.messageId ?? null}::uuid,
                              ${JSON.stringify(draft.payload)}::jsonb, ${draft.at}::timestamptz) AS id`;
    return BigInt(row.id);
  }
}
