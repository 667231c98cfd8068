import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  assertConsistentHead,
  buildConsistencyProof,
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
 * Signed tree heads (C2SP tlog-checkpoint). The signer takes the log head lock, proves the new
 * head consistent with the previous checkpoint and refuses to sign otherwise; each checkpoint is
 * also handed to the configured witnesses so history cannot be rewritten from the database alone.
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
    return row ? toView(row) : null;
  }

  /** Signs the current head unless the latest checkpoint already covers it. */
  async issue(tx: Tx, tenantId: string): Promise<CheckpointView> {
    const head = await this.log.lockHead(tx, tenantId);
    const previousRow = await tx.auditCheckpoint.findFirst({ where: { tenantId }, orderBy: { size: 'desc' } });
    if (previousRow && Number(previousRow.size) === head.size) return toView(previousRow);
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
    const signer = await this.keys.signer(tx, tenantId);
    const note = signCheckpoint(next, signer);
    const row = await tx.auditCheckpoint.create({
      data: { tenantId, size: BigInt(next.size), rootHash: Buffer.from(next.rootHash), keyName: signer.name, note },
    });
    return toView(row);
  }

  /** Called after commit: a witness failure never loses the checkpoint, it is logged and retried next time. */
  async witness(tenantId: string, checkpoint: CheckpointView): Promise<void> {
    const tasks: Promise<unknown>[] = [];
    if (this.config.AUDIT_WITNESS_DIR) {
      const dir = join(this.config.AUDIT_WITNESS_DIR, tenantId);
      tasks.push(mkdir(dir, { recursive: true }).then(() => writeFile(join(dir, `${String(checkpoint.treeSize).padStart(12, '0')}.checkpoint`), checkpoint.note, { flag: 'wx' }).catch(ignoreExisting)));
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
    for (const result of results) if (result.status === 'rejected') this.logger.warn({ tenantId, err: String(result.reason) }, 'witness did not take the checkpoint');
  }
}

function ignoreExisting(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EEXIST') throw error;
}

function toView(row: { size: bigint; rootHash: Uint8Array; note: string; keyName: string; createdAt: Date }): CheckpointView {
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
