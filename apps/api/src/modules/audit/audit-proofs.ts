import { Injectable, Logger } from '@nestjs/common';
import { buildConsistencyProof, buildInclusionProof } from '@retract/audit-log';
import type { ExportQuery } from '@retract/contracts';
import { Prisma, type TenantScope } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { ProblemException, notFound } from '../../common/problem/problem';
import { AuditExport, type ExportRange } from './audit-export';
import { AuditLog } from './audit-log';
import { Checkpoints, toCheckpointView } from './checkpoints';
import { SigningKeys, logOrigin } from './signing-keys';
import { missingTreeNode, readTreeNodes, treeNodeSource } from './tree-node-source';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface HeadAndCheckpoint {
  logSize: bigint | null;
  size: bigint | null;
  rootHash: Uint8Array;
  note: string;
  keyName: string;
  createdAt: Date;
}

const badSize = (field: string, message: string) =>
  new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail: message, errors: [{ field, message, code: 'too_big' }] });

/** Checkpoints, proofs, public keys and the start of an export: everything an outside verifier asks for. */
@Injectable()
export class AuditProofs {
  private readonly logger = new Logger('AuditProofs');

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly log: AuditLog,
    private readonly checkpoints: Checkpoints,
    private readonly keys: SigningKeys,
    private readonly exporter: AuditExport,
  ) {}

  latestCheckpoint(scope: TenantScope) {
    const { tenantId } = scope;
    return this.tenantDb.run(scope, (tx) => this.checkpoints.latest(tx, tenantId));
  }

  async issueCheckpoint(scope: TenantScope) {
    const { tenantId } = scope;
    const checkpoint = await this.tenantDb.run(scope, (tx) => this.checkpoints.issue(tx, tenantId));
    await this.checkpoints.witness(tenantId, checkpoint);
    return checkpoint;
  }

  /**
   * Two statements on a plain `pg` transaction, whatever the size of the log: the head with the
   * checkpoint of the tree asked for (the latest by default), then the leaf hash and every proof
   * node together (readTreeNodes).
   */
  inclusion(scope: TenantScope, seq: number, treeSize?: number) {
    const { tenantId } = scope;
    return this.tenantDb.sql(scope, async (tx) => {
      const [state] = await tx.$queryRaw<HeadAndCheckpoint[]>(Prisma.sql`
        SELECT h.size AS "logSize", c.size, c.root_hash AS "rootHash", c.note, c.key_name AS "keyName", c.created_at AS "createdAt"
          FROM (SELECT ${tenantId}::uuid AS tenant_id) t
          LEFT JOIN audit_log_heads h ON h.tenant_id = t.tenant_id
          LEFT JOIN LATERAL (
            SELECT size, root_hash, note, key_name, created_at FROM audit_checkpoints
             WHERE tenant_id = t.tenant_id ${treeSize === undefined ? Prisma.empty : Prisma.sql`AND size = ${treeSize}::bigint`}
             ORDER BY size DESC LIMIT 1) c ON true`);
      const logSize = Number(state.logSize ?? 0);
      const checkpoint = state.size === null ? null : toCheckpointView({ ...state, size: state.size });
      const size = treeSize ?? checkpoint?.treeSize ?? logSize;
      if (size > logSize) throw badSize('treeSize', `must be at most the log size ${logSize}`);
      if (seq >= size) {
        if (seq < logSize) throw badSize('seq', `entry ${seq} is not yet covered by a checkpoint (size ${size}); issue one first`);
        throw notFound('audit entry');
      }
      // The entry's own leaf hash travels in the same statement as the proof's nodes.
      let leafHash: Uint8Array | undefined;
      const proof = await buildInclusionProof(
        {
          async getNodes(refs) {
            const [leaf, ...nodes] = await readTreeNodes(tx, tenantId, [{ level: 0, index: seq }, ...refs]);
            if (!leaf) throw notFound('audit entry');
            leafHash = leaf;
            return nodes.map((hash, i) => hash ?? missingTreeNode(refs[i]));
          },
        },
        seq,
        size,
      );
      if (size === 1) [leafHash] = await readTreeNodes(tx, tenantId, [{ level: 0, index: seq }]); // a one-entry tree has an empty proof
      if (!leafHash) throw notFound('audit entry');
      return { seq, treeSize: size, leafHash: b64(leafHash), proof: proof.map(b64), checkpoint };
    });
  }

  consistency(scope: TenantScope, from: number, to: number) {
    const { tenantId } = scope;
    return this.tenantDb.sql(scope, async (tx) => {
      const size = await this.log.size(tx, tenantId);
      if (to > size) throw badSize('to', `must be at most the log size ${size}`);
      if (from > to) throw badSize('from', 'must not exceed to');
      const proof = await buildConsistencyProof(treeNodeSource(tx, tenantId), from, to);
      return { from, to, proof: proof.map(b64) };
    });
  }

  publicKeys(scope: TenantScope) {
    const { tenantId } = scope;
    return this.tenantDb.run(scope, async (tx) => {
      const keys = await this.keys.published(tx, tenantId);
      return { origin: logOrigin(tenantId), keys: keys.map(({ sealIntact: _sealIntact, ...key }) => key) };
    });
  }

  /** Records the export (EXPORT_CREATED) and signs a checkpoint covering it before the first byte is sent. */
  async startExport(principal: AuthenticatedPrincipal, query: ExportQuery): Promise<{ range: ExportRange; lines: AsyncIterable<string> }> {
    const { tenantId } = principal;
    const requested = await this.exporter.resolveRange(principal, query);
    await this.tenantDb.run(principal, (tx) =>
      this.log.append(tx, tenantId, {
        action: 'EXPORT_CREATED',
        actorId: principal.userId,
        details: { format: query.format, fromSeq: requested.fromSeq, toSeq: requested.toSeq, from: query.from ?? null, to: query.to ?? null },
      }),
    );
    // A range that runs to the head now includes its own EXPORT_CREATED entry.
    const range = requested.toHead ? await this.exporter.resolveRange(principal, { ...query, fromSeq: requested.fromSeq }) : requested;
    // If the signer refuses (the stored log no longer extends its last checkpoint), the export still
    // goes out: it is the evidence, and the verifier will say what is wrong with it.
    const checkpoint = await this.tenantDb
      .run(principal, (tx) => this.checkpoints.coverRangeEnd(tx, tenantId, range))
      .catch((error: Error) => this.logger.warn({ tenantId, err: error.message }, 'export left unsigned: the signer refused'));
    if (checkpoint) await this.checkpoints.witness(tenantId, checkpoint);
    return { range, lines: query.format === 'csv' ? this.exporter.csvLines(tenantId, range) : this.exporter.jsonLines(tenantId, range) };
  }
}
