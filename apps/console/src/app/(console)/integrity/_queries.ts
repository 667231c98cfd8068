import 'server-only';
import { AuditListSchema, CheckpointViewSchema, PublicKeysSchema } from '@retract/contracts';
import { apiFetch } from '../../../lib/api';
import { requireSection } from '../../../lib/sections';

/** The latest checkpoint, the published keys and the log's size, for a compliance officer. */
export async function loadIntegrity() {
  await requireSection('integrity');
  const [checkpoint, keys, newest] = await Promise.all([
    apiFetch('/api/v1/audit/checkpoints/latest', CheckpointViewSchema.nullable()),
    apiFetch('/api/v1/audit/public-keys', PublicKeysSchema),
    apiFetch('/api/v1/audit?limit=1', AuditListSchema),
  ]);
  return {
    checkpoint,
    keys,
    /** seq is 0-based and gap-free, so the newest entry's seq + 1 is the log's size. */
    logSize: newest.ok ? (newest.data.items[0]?.seq ?? -1) + 1 : null,
  };
}
