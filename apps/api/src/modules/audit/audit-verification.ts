import { Inject, Injectable } from '@nestjs/common';
import { decodeLeaf, hashLeaf, bytesEqual, verifyExport } from '@retract/audit-log';
import type { VerifyResult } from '@retract/contracts';
import type { AuditEntry as AuditRow, TenantScope } from '@retract/db';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG, type Config } from '../../config/config';
import { TenantDb } from '../../common/database/database.module';
import { AuditExport } from './audit-export';
import { Checkpoints } from './checkpoints';
import { SigningKeys } from './signing-keys';

type Problem = VerifyResult['problems'][number];

/** The searchable columns must be exact copies of the leaf's fields. */
function columnProblems(row: AuditRow, expectedSeq: number): Problem[] {
  const seq = Number(row.seq);
  let leaf: ReturnType<typeof decodeLeaf>;
  try {
    leaf = decodeLeaf(new Uint8Array(row.leaf));
  } catch (error) {
    return [{ seq, code: 'LEAF_INVALID', message: (error as Error).message }];
  }
  const problems: Problem[] = [];
  if (!bytesEqual(hashLeaf(new Uint8Array(row.leaf)), new Uint8Array(row.leafHash)))
    problems.push({ seq, code: 'LEAF_HASH_MISMATCH', message: 'the stored leaf hash does not match the leaf bytes' });
  if (leaf.seq !== seq || seq !== expectedSeq)
    problems.push({
      seq: Math.min(seq, expectedSeq),
      code: 'SEQ_MISMATCH',
      message: `row at position ${expectedSeq} holds seq ${seq}, its leaf says ${leaf.seq}`,
    });
  if (leaf.tenantId !== row.tenantId) problems.push({ seq, code: 'TENANT_MISMATCH', message: 'the leaf belongs to another tenant' });
  const copies: [string, unknown, unknown][] = [
    ['occurredAt', row.occurredAt.toISOString(), leaf.occurredAt],
    ['action', row.action, leaf.action],
    ['actorId', row.actorId, leaf.actorId ?? null],
    ['subjectUserId', row.subjectUserId, leaf.subjectUserId ?? null],
    ['conversationId', row.conversationId, leaf.conversationId ?? null],
    ['messageId', row.messageId, leaf.messageId ?? null],
    ['policyVersion', row.policyVersion, leaf.policyVersion ?? null],
    ['decidedBy', row.decidedBy, leaf.decidedBy ?? null],
    ['denialCode', row.denialCode, leaf.denialCode ?? null],
    ['forced', row.forced, leaf.forced ?? false],
    // The key that seals the entry's content, else its personal data (they share one key when both are there).
    ['dataKeyId', row.dataKeyId, (leaf.content as { kid?: string } | null)?.kid ?? (leaf.personal as { kid?: string } | null | undefined)?.kid ?? null],
  ];
  for (const [field, column, inLeaf] of copies) {
    if (column !== inLeaf)
      problems.push({ seq, code: 'COLUMN_MISMATCH', message: `column ${field} (${JSON.stringify(column)}) differs from the leaf (${JSON.stringify(inLeaf)})` });
  }
  return problems;
}

/**
 * Verifies a range the way an outside auditor would (the same verifier as the offline command,
 * over the same export stream), trusting only keys whose private half is sealed by our KEK and
 * checkpoints kept by the witness, plus checks only the server can make: the searchable columns.
 */
@Injectable()
export class AuditVerification {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly exporter: AuditExport,
    private readonly keys: SigningKeys,
    private readonly checkpoints: Checkpoints,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async verify(scope: TenantScope, request: { fromSeq?: number; toSeq?: number }): Promise<VerifyResult> {
    const { tenantId } = scope;
    const range = await this.exporter.resolveRange(scope, request);
    // Every entry must be covered by a signature: sign the range's end first (a no-op when one exists).
    const covering = await this.tenantDb.run(scope, (tx) => this.checkpoints.coverRangeEnd(tx, tenantId, range)).catch((error: Error) => error);
    const problems: Problem[] =
      covering instanceof Error ? [{ code: 'INCONSISTENT_HEAD', message: `the signer refused to sign the range's end: ${covering.message}` }] : [];
    let expected = range.fromSeq;
    for await (const rows of this.exporter.batches(tenantId, range)) {
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq > expected) problems.push({ seq: expected, code: 'MISSING_ENTRY', message: `entries ${expected}..${seq - 1} are missing` });
        problems.push(...columnProblems(row, seq > expected ? seq : expected));
        expected = seq + 1;
      }
    }
    if (expected <= range.toSeq) problems.push({ seq: expected, code: 'MISSING_ENTRY', message: `entries from ${expected} are missing` });

    const { trustedKeys, latest } = await this.tenantDb.run(scope, async (tx) => {
      const published = await this.keys.published(tx, tenantId);
      for (const key of published.filter((k) => !k.sealIntact)) {
        problems.push({ code: 'KEY_NOT_SEALED', message: `public key ${key.name} is not the one sealed by the key-encryption key: it was replaced` });
      }
      return { trustedKeys: published.filter((k) => k.sealIntact).map((k) => k.vkey), latest: await this.checkpoints.latest(tx, tenantId) };
    });
    const result = await verifyExport(this.exporter.jsonLines(tenantId, range), {
      trustedKeys: trustedKeys.length > 0 ? trustedKeys : undefined,
      previousCheckpoints: await this.witnessedCheckpoints(tenantId),
    });
    // Direct evidence from the column checks, and the verifier's own verdict (direct evidence first,
    // else the lowest seq no checkpoint vouches for); the seqs on its other problems are context.
    const seqs = problems.map((p) => p.seq).filter((seq): seq is number => seq !== undefined);
    if (result.firstBadSeq !== undefined) seqs.push(result.firstBadSeq);
    for (const problem of result.problems) problems.push({ seq: problem.seq, code: problem.code, message: problem.message });
    const firstBadSeq = seqs.length ? Math.min(...seqs) : undefined;
    return {
      ok: problems.length === 0 && result.ok,
      checked: result.checked,
      treeSize: result.treeSize,
      ...(firstBadSeq !== undefined ? { firstBadSeq } : {}),
      problems: problems.slice(0, 200),
      latestCheckpoint: latest,
    };
  }

  private async witnessedCheckpoints(tenantId: string): Promise<string[]> {
    if (!this.config.AUDIT_WITNESS_DIR) return [];
    const dir = join(this.config.AUDIT_WITNESS_DIR, tenantId);
    const files = await readdir(dir).catch(() => [] as string[]);
    return Promise.all(
      files
        .filter((f) => f.endsWith('.checkpoint'))
        .sort()
        .map((f) => readFile(join(dir, f), 'utf8')),
    );
  }
}
