import type { LeafTemplate } from '@retract/audit-log';
import type { AppendedEntry } from './audit-draft';

/**
 * An entry queued in `audit_pending` by the transaction of the change it records. Once that
 * transaction has committed and the sequencer has integrated the entry, its place in the log is
 * known: the transaction runners wait for that before they return (libs/db after-commit), so a
 * caller reads `seq` after its transaction, never inside it.
 */
export class AuditTicket {
  private placed?: AppendedEntry;

  constructor(
    readonly tenantId: string,
    readonly pendingId: bigint,
    readonly template: LeafTemplate,
  ) {}

  place(entry: AppendedEntry): void {
    this.placed = entry;
  }

  get entry(): AppendedEntry {
    if (!this.placed) throw new Error('audit entry read before its transaction committed and the log integrated it');
    return this.placed;
  }

  get seq(): number {
    return this.entry.seq;
  }

  get occurredAt(): string {
    return this.entry.occurredAt;
  }

  get leafHash(): Uint8Array {
    return this.entry.leafHash;
  }
}
