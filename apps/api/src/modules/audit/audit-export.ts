import { Injectable } from '@nestjs/common';
import {
  formatExportCheckpoint,
  formatExportEntry,
  formatExportHeader,
  formatExportTrailer,
  frontierFromNodeSource,
  serializeFrontier,
} from '@retract/audit-log';
import type { ExportQuery } from '@retract/contracts';
import type { AuditEntry, TenantScope, Tx } from '@retract/db';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException } from '../../common/problem/problem';
import { leafSummary, toEntryView } from './audit-entry-view';
import { AuditLog } from './audit-log';
import { ContentVault } from './content-vault';
import { openPersonalData, peopleById } from './personal-data';
import { SigningKeys, logOrigin } from './signing-keys';
import { treeNodeSource } from './tree-node-source';

const BATCH = 2000;

export const CSV_HEADER =
  'seq,occurred_at,action,actor_id,actor_email,subject_user_id,conversation_id,message_id,policy_version,decided_by,denial_code,forced,reason,has_content,leaf_hash';

export interface ExportRange {
  fromSeq: number;
  /** Inclusive; fromSeq - 1 when the range is empty. */
  toSeq: number;
  /** True when the range runs to the head: every later checkpoint then belongs in the export too. */
  toHead: boolean;
}

/** Streams entries, checkpoints and keys in the JSON Lines format the offline verifier reads (libs/audit-log README). */
@Injectable()
export class AuditExport {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly keys: SigningKeys,
    private readonly log: AuditLog,
    private readonly vault: ContentVault,
  ) {}

  async resolveRange(scope: TenantScope, query: Pick<ExportQuery, 'from' | 'to' | 'fromSeq' | 'toSeq'>): Promise<ExportRange> {
    const { tenantId } = scope;
    return this.tenantDb.run(scope, async (tx) => {
      const size = await this.log.size(tx, tenantId);
      let fromSeq = query.fromSeq ?? 0;
      let toSeq = query.toSeq ?? size - 1;
      if (query.from) {
        const first = await tx.auditEntry.findFirst({
          where: { tenantId, occurredAt: { gte: new Date(query.from) } },
          orderBy: { seq: 'asc' },
          select: { seq: true },
        });
        fromSeq = Math.max(fromSeq, first ? Number(first.seq) : size);
      }
      if (query.to) {
        const last = await tx.auditEntry.findFirst({
          where: { tenantId, occurredAt: { lte: new Date(query.to) } },
          orderBy: { seq: 'desc' },
          select: { seq: true },
        });
        toSeq = Math.min(toSeq, last ? Number(last.seq) : -1);
      }
      if (query.fromSeq !== undefined && query.fromSeq > size)
        throw new ProblemException({
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: `The log has ${size} entries.`,
          errors: [{ field: 'fromSeq', message: `must be at most ${size}`, code: 'too_big' }],
        });
      toSeq = Math.min(toSeq, size - 1);
      if (toSeq < fromSeq - 1) toSeq = fromSeq - 1;
      return { fromSeq, toSeq, toHead: toSeq === size - 1 };
    });
  }

  async *jsonLines(tenantId: string, range: ExportRange): AsyncGenerator<string> {
    const scope = { tenantId };
    const header = await this.tenantDb.run(scope, async (tx) => {
      const frontier = await frontierFromNodeSource(treeNodeSource(tx, tenantId), range.fromSeq);
      const publicKeys = (await this.keys.published(tx, tenantId)).map((key) => ({ name: key.name, vkey: key.vkey }));
      return formatExportHeader({
        tenantId,
        origin: logOrigin(tenantId),
        fromSeq: range.fromSeq,
        toSeq: range.toSeq,
        exportedAt: new Date().toISOString(),
        publicKeys,
        frontier: serializeFrontier(frontier),
      });
    });
    yield header;
    const checkpoints = await this.tenantDb.run(scope, (tx) =>
      tx.auditCheckpoint.findMany({
        where: { tenantId, size: { gte: BigInt(Math.max(range.fromSeq, 1)), ...(range.toHead ? {} : { lte: BigInt(range.toSeq + 1) }) } },
        orderBy: { size: 'asc' },
        select: { note: true },
      }),
    );
    // Checkpoints come before the entries so that a single streaming pass can check each one as the tree reaches its size.
    for (const checkpoint of checkpoints) yield formatExportCheckpoint(checkpoint.note);
    let count = 0;
    for await (const rows of this.batches(tenantId, range)) {
      for (const row of rows) {
        count++;
        yield formatExportEntry(Number(row.seq), new Uint8Array(row.leaf), new Uint8Array(row.leafHash));
      }
    }
    yield formatExportTrailer(count);
  }

  async *csvLines(tenantId: string, range: ExportRange): AsyncGenerator<string> {
    yield CSV_HEADER;
    for await (const rows of this.batches(tenantId, range)) yield* await this.csvRows(tenantId, rows);
  }

  /** CSV lines of some entries (a range's batch, a case's entries), with their people and personal data opened. */
  async csvRows(tenantId: string, rows: readonly AuditEntry[]): Promise<string[]> {
    const summaries = rows.map(leafSummary);
    const { people, personal } = await this.tenantDb.run({ tenantId }, async (tx) => ({
      people: await peopleById(
        tx,
        tenantId,
        rows.map((row) => row.actorId),
      ),
      personal: await openPersonalData(this.vault, tx, tenantId, summaries),
    }));
    return rows.map((row, i) => {
      const view = toEntryView(row, summaries[i], people, personal[i]);
      return [
        view.seq,
        view.occurredAt,
        view.action,
        view.actorId,
        view.actor?.email,
        view.subjectUserId,
        view.conversationId,
        view.messageId,
        view.policyVersion,
        view.decidedBy,
        view.denialCode,
        view.forced,
        view.reason,
        view.hasContent,
        view.leafHash,
      ]
        .map(csvCell)
        .join(',');
    });
  }

  /** Entries in seq order, in batches read in separate short transactions (entries never change). */
  async *batches(tenantId: string, range: ExportRange) {
    let next = range.fromSeq;
    while (next <= range.toSeq) {
      const upper = Math.min(range.toSeq, next + BATCH - 1);
      const rows = await this.tenantDb.run({ tenantId }, (tx: Tx) =>
        tx.auditEntry.findMany({ where: { tenantId, seq: { gte: BigInt(next), lte: BigInt(upper) } }, orderBy: { seq: 'asc' } }),
      );
      if (rows.length > 0) yield rows;
      next = upper + 1;
    }
  }
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? value.toString()
        : (JSON.stringify(value) ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
