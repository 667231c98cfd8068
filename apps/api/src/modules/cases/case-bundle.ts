import { Injectable } from '@nestjs/common';
import {
  buildInclusionProof,
  formatExportCheckpoint,
  formatExportTrailer,
  formatProofBundleEntry,
  formatProofBundleHeader,
  inclusionProofPlan,
  type NodeRef,
  type NodeSource,
} from '@retract/audit-log';
import { MAX_CASE_ENTRIES, type CaseExportQuery } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException } from '../../common/problem/problem';
import { AuditLog } from '../audit/audit-log';
import { AuditExport, CSV_HEADER } from '../audit/audit-export';
import { AuditProofs } from '../audit/audit-proofs';
import { SigningKeys, logOrigin } from '../audit/signing-keys';
import { missingTreeNode, readTreeNodes } from '../audit/tree-node-source';
import { caseSubject, caseWhere } from './case-scope';
import { caseSummary } from './case-summary';
import { tarArchive } from './tar-archive';

/** Entries whose proof nodes are read in one query: a case's proofs share most of their upper nodes. */
const PROOFS_PER_READ = 500;

const refKey = (ref: NodeRef) => `${ref.level}/${ref.index}`;

/** Inclusion proofs of the entries in the tree of `size`, with one read of the stored nodes per PROOFS_PER_READ entries. */
async function inclusionProofs(tx: SqlTx, tenantId: string, seqs: readonly number[], size: number): Promise<Uint8Array[][]> {
  const proofs: Uint8Array[][] = [];
  for (let start = 0; start < seqs.length; start += PROOFS_PER_READ) {
    const chunk = seqs.slice(start, start + PROOFS_PER_READ);
    const refs = [...new Map(chunk.flatMap((seq) => inclusionProofPlan(seq, size).flat()).map((ref) => [refKey(ref), ref])).values()];
    const hashes = await readTreeNodes(tx, tenantId, refs);
    const known = new Map(refs.map((ref, i) => [refKey(ref), hashes[i]]));
    const source: NodeSource = {
      getNodes: (wanted) => wanted.map((ref) => known.get(refKey(ref)) ?? missingTreeNode(ref)),
    };
    for (const seq of chunk) proofs.push(await buildInclusionProof(source, seq, size));
  }
  return proofs;
}

export interface CaseBundleFile {
  fileName: string;
  archive: Buffer;
  entries: number;
}

const tooLong = (entries: number) =>
  new ProblemException({
    status: 400,
    code: 'VALIDATION_FAILED',
    detail: `The case holds ${entries} entries; a bundle holds at most ${MAX_CASE_ENTRIES}. Export shorter periods.`,
    errors: [{ field: 'from', message: `the period holds more than ${MAX_CASE_ENTRIES} entries`, code: 'too_big' }],
  });

/**
 * A case bundle (docs/audit-log.md, "Cases"): a tar of case.jsonl (a proof bundle: each entry of
 * the case with its inclusion proof against a checkpoint signed for it), case.csv and summary.txt.
 * The export is recorded first (EXPORT_CREATED about the case's person or conversation), so the
 * checkpoint covers it and the bundle carries its own record.
 */
@Injectable()
export class CaseBundle {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly proofs: AuditProofs,
    private readonly keys: SigningKeys,
    private readonly exporter: AuditExport,
  ) {}

  async build(principal: AuthenticatedPrincipal, query: CaseExportQuery): Promise<CaseBundleFile> {
    const { tenantId } = principal;
    const where = caseWhere(tenantId, query);
    const { subject, organisation, officer, count } = await this.tenantDb.run(principal, async (tx) => {
      const subject = await caseSubject(tx, tenantId, query);
      const [organisation, officer, count] = await Promise.all([
        tx.tenant.findFirstOrThrow({ where: { id: tenantId }, select: { name: true, slug: true } }),
        tx.user.findFirstOrThrow({ where: { tenantId, id: principal.userId }, select: { displayName: true, email: true } }),
        tx.auditEntry.count({ where }),
      ]);
      return { subject, organisation, officer, count };
    });
    // The export's own entry joins the case: one more than the count.
    if (count + 1 > MAX_CASE_ENTRIES) throw tooLong(count + 1);

    const exportedAt = new Date();
    const record = await this.tenantDb.run(principal, (tx) =>
      this.log.append(tx, tenantId, {
        action: 'EXPORT_CREATED',
        actorId: principal.userId,
        subjectUserId: query.personId ?? null,
        conversationId: query.conversationId ?? null,
        details: { format: 'case', entries: count + 1, from: query.from ?? null, to: query.to ?? null },
      }),
    );
    const checkpoint = await this.proofs.issueCheckpoint(principal);

    const size = checkpoint.treeSize;
    const { rows, proofs, publicKeys } = await this.tenantDb.run(principal, async (tx) => {
      const rows = await tx.auditEntry.findMany({ where: { AND: [where, { seq: { lt: BigInt(size) } }] }, orderBy: { seq: 'asc' } });
      const proofs = await inclusionProofs(
        tx,
        tenantId,
        rows.map((row) => Number(row.seq)),
        size,
      );
      const publicKeys = (await this.keys.published(tx, tenantId)).map((key) => ({ name: key.name, vkey: key.vkey }));
      return { rows, proofs, publicKeys };
    });

    const jsonl = [
      formatProofBundleHeader({ tenantId, origin: logOrigin(tenantId), treeSize: size, exportedAt: exportedAt.toISOString(), publicKeys }),
      formatExportCheckpoint(checkpoint.note),
      ...rows.map((row, i) => formatProofBundleEntry(Number(row.seq), new Uint8Array(row.leaf), new Uint8Array(row.leafHash), proofs[i])),
      formatExportTrailer(rows.length),
    ];
    const csv = [CSV_HEADER, ...(await this.exporter.csvRows(tenantId, rows))];
    const summary = caseSummary({
      organisation,
      subject,
      from: query.from,
      to: query.to,
      exportedAt: exportedAt.toISOString(),
      exportedBy: officer,
      exportSeq: record.seq,
      entries: rows.map((row) => ({ seq: Number(row.seq), action: row.action })),
      checkpoint,
      trustedKey: publicKeys.find((key) => key.name === checkpoint.keyName)?.vkey ?? publicKeys[0].vkey,
    });
    const archive = tarArchive(
      [
        { name: 'case.jsonl', content: Buffer.from(`${jsonl.join('\n')}\n`, 'utf8') },
        { name: 'case.csv', content: Buffer.from(`${csv.join('\r\n')}\r\n`, 'utf8') },
        { name: 'summary.txt', content: Buffer.from(summary, 'utf8') },
      ],
      exportedAt,
    );
    const stamp = exportedAt.toISOString().replace(/[:.]/g, '-');
    const who = [query.personId ? `person-${query.personId.slice(0, 8)}` : '', query.conversationId ? `conversation-${query.conversationId.slice(0, 8)}` : '']
      .filter(Boolean)
      .join('-');
    return { fileName: `case-${who || 'log'}-${stamp}.tar`, archive, entries: rows.length };
  }
}
