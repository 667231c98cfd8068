import { Controller, Get, Query, Res } from '@nestjs/common';
import { CaseExportQuerySchema, CaseQuerySchema, CaseTimelineSchema, type CaseExportQuery, type CaseQuery } from '@retract/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { CaseBundle } from './case-bundle';
import { CaseTimeline } from './case-timeline';

@Controller('cases')
export class CasesController {
  constructor(
    private readonly timeline: CaseTimeline,
    private readonly bundles: CaseBundle,
  ) {}

  @Get()
  @Endpoint({
    summary:
      'A case: every audit entry whose actor or subject is the person and/or whose conversation is the conversation, in the period (newest first, keyset pagination by seq)',
    tags: ['audit'],
    access: can('readContent', 'AuditEntry'),
    query: CaseQuerySchema,
    response: CaseTimelineSchema,
    errors: [404],
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: CaseQuery) {
    return this.timeline.page(principal, query);
  }

  @Get('export')
  @Endpoint({
    summary:
      'A case bundle (tar): case.jsonl with every entry of the case and its inclusion proof against a checkpoint signed for the export (npm run verify checks it offline), case.csv and summary.txt; records EXPORT_CREATED',
    tags: ['audit'],
    access: can('export', 'AuditEntry'),
    query: CaseExportQuerySchema,
    produces: 'application/x-tar',
    errors: [404],
    auditedRead: true,
  })
  async export(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: CaseExportQuery, @Res() reply: FastifyReply) {
    const bundle = await this.bundles.build(principal, query);
    void reply
      .header('content-type', 'application/x-tar')
      .header('content-disposition', `attachment; filename="${bundle.fileName}"`)
      .header('content-length', bundle.archive.length)
      .header('x-case-entries', String(bundle.entries))
      .send(bundle.archive);
  }
}
