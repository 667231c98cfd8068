import { Injectable } from '@nestjs/common';
import type { EventType } from '@retract/contracts';
import { Prisma, type Tx } from '@retract/db';

export interface EventDraft {
  type: EventType;
  conversationId?: string | null;
  messageId?: string | null;
  /** Ids, names and notices only: never message content. */
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
  async record(tx: Tx, tenantId: string, draft: EventDraft): Promise<bigint> {
    const [head] = await tx.$queryRaw<{ last_id: bigint }[]>`
      INSERT INTO event_log_heads (tenant_id, last_id) VALUES (${tenantId}::uuid, 1)
      ON CONFLICT (tenant_id) DO UPDATE SET last_id = event_log_heads.last_id + 1
      RETURNING last_id`;
    const id = head.last_id;
    await tx.$executeRaw`
      INSERT INTO events (tenant_id, id, type, conversation_id, message_id, payload, created_at)
      VALUES (${tenantId}::uuid, ${id}, ${draft.type}, ${draft.conversationId ?? null}::uuid, ${draft.messageId ?? null}::uuid,
              ${JSON.stringify(draft.payload)}::jsonb, ${draft.at})`;
    await tx.$executeRaw`
      INSERT INTO webhook_deliveries (tenant_id, webhook_id, event_id, event_type, next_attempt_at)
      SELECT tenant_id, id, ${id}, ${draft.type}, ${draft.at}
        FROM webhooks
       WHERE tenant_id = ${tenantId}::uuid AND deleted_at IS NULL AND ${draft.type} = ANY (event_types)`;
    return id;
  }
}
