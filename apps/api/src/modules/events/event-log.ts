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
    // One round trip: take the next id under the head's row lock, insert the event, enqueue its deliveries.
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      WITH head AS (
        INSERT INTO event_log_heads (tenant_id, last_id) VALUES (${tenantId}::uuid, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET last_id = event_log_heads.last_id + 1
        RETURNING last_id
      ), event AS (
        INSERT INTO events (tenant_id, id, type, conversation_id, message_id, payload, created_at)
        SELECT ${tenantId}::uuid, head.last_id, ${draft.type}, ${draft.conversationId ?? null}::uuid, ${draft.messageId ?? null}::uuid,
               ${JSON.stringify(draft.payload)}::jsonb, ${draft.at}
          FROM head
        RETURNING id
      ), deliveries AS (
        INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, next_attempt_at)
        SELECT w.tenant_id, w.id, event.id, ${draft.type}, ${draft.at}
          FROM webhooks w, event
         WHERE w.tenant_id = ${tenantId}::uuid AND w.deleted_at IS NULL AND ${draft.type} = ANY (w.event_types)
      )
      SELECT id FROM event`;
    return BigInt(row.id);
  }
}
