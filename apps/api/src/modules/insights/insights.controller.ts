import { Controller, Get, Query } from '@nestjs/common';
import { RecallInsightsQuerySchema, RecallInsightsSchema, type RecallInsightsQuery } from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { InsightsService } from './insights.service';

@Controller('insights')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  @Get('recalls')
  @Endpoint({
    summary: 'Recalls over time (hour, day or week buckets, UTC), denials by code, top recallers — from the audit trail',
    tags: ['insights'],
    access: can('read', 'Insights'),
    query: RecallInsightsQuerySchema,
    response: RecallInsightsSchema,
  })
  recalls(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: RecallInsightsQuery) {
    return this.insights.recalls(principal, query);
  }
}
