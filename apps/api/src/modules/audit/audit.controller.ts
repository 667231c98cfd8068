import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  AuditEntryDetailSchema,
  AuditListQuerySchema,
  AuditListSchema,
  CheckpointViewSchema,
  ConsistencyProofQuerySchema,
  ConsistencyProofSchema,
  ExportQuerySchema,
  InclusionProofQuerySchema,
  InclusionProofSchema,
  PublicKeysSchema,
  SeqParamsSchema,
  VerifyRequestSchema,
  VerifyResultSchema,
  MAX_VERIFY_PROBLEMS,
  type AuditListQuery,
  type ExportQuery,
} from '@retract/contracts';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { AUTHENTICATED, Endpoint, can } from '../../common/endpoint/endpoint';
import { AuditEntries } from './audit-entries.service';
import { AuditExport } from './audit-export';
import { AuditProofs } from './audit-proofs';
import { AuditVerification } from './audit-verification';

@Controller('audit')
export class AuditController {
  constructor(
    private readonly entries: AuditEntries,
    private readonly proofs: AuditProofs,
    private readonly verification: AuditVerification,
    private readonly exporter: AuditExport,
  ) {}

  @Get()
  @Endpoint({
    summary: 'Browse the audit trail (newest first, keyset pagination by seq); admins see metadata, never content',
    tags: ['audit'],
    access: can('read', 'AuditEntry'),
    query: AuditListQuerySchema,
    response: AuditListSchema,
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: AuditListQuery) {
    return this.entries.list(principal, query);
  }

  @Get('checkpoints/latest')
  @Endpoint({
    summary: 'The latest signed checkpoint (C2SP tlog-checkpoint)',
    tags: ['audit'],
    access: can('read', 'Checkpoint'),
    response: CheckpointViewSchema.nullable(),
  })
  latestCheckpoint(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.proofs.latestCheckpoint(principal);
  }

  @Post('checkpoints')
  @Endpoint({
    summary: 'Sign a checkpoint of the current log head now',
    tags: ['audit'],
    access: can('create', 'Checkpoint'),
    response: CheckpointViewSchema,
    status: 201,
  })
  issueCheckpoint(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.proofs.issueCheckpoint(principal);
  }

  @Get('proofs/inclusion')
  @Endpoint({
    summary: 'RFC 9162 inclusion proof of an entry in the tree of a given size (default: the latest checkpoint)',
    tags: ['audit'],
    access: can('read', 'AuditEntry'),
    query: InclusionProofQuerySchema,
    response: InclusionProofSchema,
    errors: [404],
  })
  inclusion(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: { seq: number; treeSize?: number }) {
    return this.proofs.inclusion(principal, query.seq, query.treeSize);
  }

  @Get('proofs/consistency')
  @Endpoint({
    summary: 'RFC 9162 consistency proof between two tree sizes',
    tags: ['audit'],
    access: can('read', 'AuditEntry'),
    query: ConsistencyProofQuerySchema,
    response: ConsistencyProofSchema,
  })
  consistency(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: { from: number; to: number }) {
    return this.proofs.consistency(principal, query.from, query.to);
  }

  @Post('verify')
  @Endpoint({
    summary: 'Verify leaves, columns, tree and checkpoint signatures over a range; names the first bad seq',
    tags: ['audit'],
    access: can('verify', 'AuditEntry'),
    body: VerifyRequestSchema,
    response: VerifyResultSchema,
    status: 200,
  })
  async verify(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: { fromSeq?: number; toSeq?: number }) {
    const result = await this.verification.verify(principal, body);
    // A log damaged throughout would otherwise answer a problem per entry; the first ones and firstBadSeq locate the damage.
    return { ...result, problems: result.problems.slice(0, MAX_VERIFY_PROBLEMS) };
  }

  @Get('export')
  @Endpoint({
    summary: 'Streamed export: JSON Lines for the offline verifier (entries with leaf bytes, checkpoints, keys) or CSV for people',
    tags: ['audit'],
    access: can('export', 'AuditEntry'),
    query: ExportQuerySchema,
    produces: 'application/x-ndjson',
    auditedRead: true,
  })
  async export(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: ExportQuery, @Res() reply: FastifyReply) {
    const { range, lines } = await this.proofs.startExport(principal, query);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    void reply
      .header('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${stamp}-${range.fromSeq}-${range.toSeq}.${query.format}"`)
      .header('x-audit-range', `${range.fromSeq}-${range.toSeq}`)
      .send(Readable.from(withNewlines(lines)));
  }

  @Get('public-keys')
  @Endpoint({ summary: "The organisation's checkpoint verifier keys", tags: ['audit'], access: AUTHENTICATED, response: PublicKeysSchema })
  publicKeys(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.proofs.publicKeys(principal);
  }

  @Get(':seq')
  @Endpoint({
    summary: 'One entry with its leaf; compliance officers also get the decrypted content, which records AUDIT_CONTENT_VIEWED',
    tags: ['audit'],
    access: can('read', 'AuditEntry'),
    params: SeqParamsSchema,
    response: AuditEntryDetailSchema,
    errors: [404],
    auditedRead: true,
  })
  detail(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: z.infer<typeof SeqParamsSchema>) {
    return this.entries.detail(principal, params.seq);
  }
}

async function* withNewlines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield `${line}\n`;
}
