import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  assertConsistentHead,
  buildConsistencyProof,
  frontierFromNodeSource,
  frontierRoot,
  parseCheckpoint,
  signCheckpoint,
  type Checkpoint,
} from '@retract/audit-log';
import type { Tx } from '@retract/db';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG, type Config } from '../../config/config';
import { AuditLog } from './audit-log';
import { SigningKeys, logOrigin } from './signing-keys';
import { treeNodeSource } from './tree-node-source';

export interface CheckpointView {
  origin: string;
  treeSize: number;
  rootHash: string;
  note: string;
  keyName: string;
  createdAt: string;
}

/**
 * Signed tree heads (C2SP tlog-checkpoint). The signer reads the integrated head (a tree of that
 * size never changes, so no lock is needed), proves it consistent with the previous checkpoint and
 * refuses to sign otherwise; each checkpoint is also handed to the configured witnesses so history
 * cannot be rewritten from the database alone. Signing runs in the background (CheckpointSigner)
 * or before an export or verification, never inside an append.
 */
@Injectable()
export class Checkpoints {
  private readonly logger = new Logger('Checkpoints');

  constructor(
    private readonly log: AuditLog,
    private readonly keys: SigningKeys,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async latest(tx: Tx, tenantId: string): Promise<CheckpointView | null> {
    const row = await tx.auditCheckpoint.findFirst({ where: { tenantId }, orderBy: { size: 'desc' } });
    return row ? toCheckpointView(row) : null;
  }

  /** Signs the current head unless the latest checkpoint already covers it. */
  async issue(tx: Tx, tenantId: string): Promise<CheckpointView> {
    await lockSigner(tx, tenantId);
    const head = await this.log.head(tx, tenantId);
    const previousRow = await tx.auditCheckpoint.findFirst({ where: { tenantId }, orderBy: { size: 'desc' } });
    // Another signer may have covered this head (or a later one) already.
    if (previousRow && Number(previousRow.size) >= head.size) return toCheckpointView(previousRow);
    const next: Checkpoint = {
      origin: logOrigin(tenantId),
      size: head.size,
      rootHash: frontierRoot({ size: head.size, hashes: head.frontierHashes }),
      extensions: [],
    };
    if (previousRow) {
      const previous = parseCheckpoint(previousRow.note).checkpoint;
      const proof = await buildConsistencyProof(treeNodeSource(tx, tenantId), previous.size, next.size);
      assertConsistentHead(previous, next, proof);
    }
    return this.save(tx, tenantId, next);
  }

  /**
   * Signs the tree at an earlier size (so a range that ends mid-log is still covered by a
   * signature), after proving it consistent with the checkpoints on either side of it.
   */
  async issueAt(tx: Tx, tenantId: string, size: number): Promise<CheckpointView> {
    await lockSigner(tx, tenantId);
    const head = await this.log.head(tx, tenantId);
    if (size >= head.size) return this.issue(tx, tenantId);
    const existing = await tx.auditCheckpoint.findFirst({ where: { tenantId, size: BigInt(size) } });
    if (existing) return toCheckpointView(existing);
    const source = treeNodeSource(tx, tenantId);
    const next: Checkpoint = { origin: logOrigin(tenantId), size, rootHash: frontierRoot(await frontierFromNodeSource(source, size)), extensions: [] };
    const below = await tx.auditCheckpoint.findFirst({ where: { tenantId, size: { lt: BigInt(size) } }, orderBy: { size: 'desc' } });
    const above = await tx.auditCheckpoint.findFirst({ where: { tenantId, size: { gt: BigInt(size) } }, orderBy: { size: 'asc' } });
    if (below) {
      const previous = parseCheckpoint(below.note).checkpoint;
      assertConsistentHead(previous, next, await buildConsistencyProof(source, previous.size, size));
    }
    if (above) {
      const later = parseCheckpoint(above.note).checkpoint;
      assertConsistentHead(next, later, await buildConsistencyProof(source, size, later.size));
    }
    return this.save(tx, tenantId, next);
  }

  /** Signs and stores; a concurrent signer that stored the same size first wins (same tree, same root). */
  private async save(tx: Tx, tenantId: string, next: Checkpoint): Promise<CheckpointView> {
    const signer = await this.keys.signer(tx, tenantId);
    const note = signCheckpoint(next, signer);
    await tx.$executeRaw`
      INSERT INTO audit_checkpoints (tenant_id, size, root_hash, key_name, note)
      VALUES (${tenantId}::uuid, ${BigInt(next.size)}, ${Buffer.from(next.rootHash)}, ${signer.name}, ${note})
      ON CONFLICT (tenant_id, size) DO NOTHING`;
    return toCheckpointView(await tx.auditCheckpoint.findFirstOrThrow({ where: { tenantId, size: BigInt(next.size) } }));
  }

  /**
   * Signs whatever covers a range's end: the head, or the exact earlier size. An empty range has no
   * end; the head is signed then, so that even a log never signed before has a key the export names.
   */
  coverRangeEnd(tx: Tx, tenantId: string, range: { fromSeq: number; toSeq: number; toHead: boolean }): Promise<CheckpointView> {
    return range.toHead || range.toSeq < range.fromSeq ? this.issue(tx, tenantId) : this.issueAt(tx, tenantId, range.toSeq + 1);
  }

  /** Called after commit: a witness failure never loses the checkpoint, it is logged and retried next time. */
  async witness(tenantId: string, checkpoint: CheckpointView): Promise<void> {
    const tasks: Promise<unknown>[] = [];
    if (this.config.AUDIT_WITNESS_DIR) {
      const dir = join(this.config.AUDIT_WITNESS_DIR, tenantId);
      tasks.push(
        mkdir(dir, { recursive: true }).then(() =>
          writeFile(join(dir, `${String(checkpoint.treeSize).padStart(12, '0')}.checkpoint`), checkpoint.note, { flag: 'wx' }).catch(ignoreExisting),
        ),
      );
    }
    if (this.config.AUDIT_WITNESS_URL) {
      tasks.push(
        fetch(this.config.AUDIT_WITNESS_URL, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-retract-tenant': tenantId },
          body: checkpoint.note,
          signal: AbortSignal.timeout(5000),
        }),
      );
    }
    const results = await Promise.allSettled(tasks);
    for (const result of results)
      if (result.status === 'rejected') this.logger.warn({ tenantId, err: String(result.reason) }, 'witness did not take the checkpoint');
  }
}

/** One signer per tenant at a time (they would race to create the signing key); appends are not blocked. */
async function lockSigner(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`checkpoint:${tenantId}`}, 0))`;
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

export function toCheckpointView(row: { size: bigint; rootHash: Uint8Array; note: string; keyName: string; createdAt: Date }): CheckpointView {
  const { checkpoint } = parseCheckpoint(row.note);
  return {
    origin: checkpoint.origin,
    treeSize: Number(row.size),
    rootHash: Buffer.from(row.rootHash).toString('base64'),
    note: row.note,
    keyName: row.keyName,
    createdAt: row.createdAt.toISOString(),
  };
}
