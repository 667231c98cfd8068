import type { SqlPool } from '@retract/db';
import type { ChangeFeed } from '../../common/database/change-feed';
import { AuditLog } from './audit-log';
import { AuditSequencer } from './audit-sequencer';
import { ContentVault } from './content-vault';
import type { KeyEncryptionKey } from './key-encryption';

/**
 * The audit write path outside the Nest application (demo seed, benchmarks, test workers): the
 * same AuditLog, vault and sequencer; without a listener (`feed`) nothing is cached.
 */
export function standaloneAuditLog(pool: SqlPool, kek: KeyEncryptionKey, batch: { max?: number; waitMs?: number } = {}, feed?: ChangeFeed) {
  const sequencer = new AuditSequencer(pool, { AUDIT_BATCH_MAX: batch.max ?? 256, AUDIT_BATCH_WAIT_MS: batch.waitMs ?? 0 });
  const vault = new ContentVault(kek, feed);
  return { log: new AuditLog(vault, sequencer), vault, sequencer };
}
