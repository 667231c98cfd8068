import type { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { RocketChatAssociationModel, RocketChatAssociationRecord } from '@rocket.chat/apps-engine/definition/metadata';
import type { RecordRecallRequest } from './retract-api';

/*
 * Recalls not yet recorded because Retract could not be reached: kept in the app's persistence and
 * sent again by the `retract-outbox` job with the same idempotency key, so a deletion is recorded
 * once however many times it is sent.
 */

export interface PendingRecall {
  idempotencyKey: string;
  request: RecordRecallRequest;
  attempts: number;
  firstFailedAt: string;
  lastError: string;
}

const OUTBOX = new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, 'retract-outbox');
const keyOf = (idempotencyKey: string) => new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `retract-outbox:${idempotencyKey}`);

export async function keep(persistence: IPersistence, pending: PendingRecall): Promise<void> {
  await persistence.updateByAssociations([OUTBOX, keyOf(pending.idempotencyKey)], pending, true);
}

export async function release(persistence: IPersistence, idempotencyKey: string): Promise<void> {
  await persistence.removeByAssociations([OUTBOX, keyOf(idempotencyKey)]);
}

export async function pendingRecalls(reader: IPersistenceRead): Promise<PendingRecall[]> {
  return (await reader.readByAssociation(OUTBOX)) as PendingRecall[];
}
