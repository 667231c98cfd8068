import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { IdParamsSchema, RetentionChangeRequestSchema, RetentionViewSchema, type RetentionChangeRequest } from '@retract/contracts';
import type { z } from 'zod';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { RetentionService } from './retention.service';

@Controller('policy/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Endpoint({
    summary: 'How long recalled content is kept in the audit log: the days in force, the floor, the shortening delay and a shortening waiting out its delay',
    tags: ['policy'],
    access: can('read', 'Policy'),
    response: RetentionViewSchema,
  })
  view(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.retention.view(principal);
  }

  @Put()
  @Endpoint({
    summary: 'Change audit retention (compliance only): longer applies at once; shorter waits out the delay, cancellable meanwhile; below the floor → 400',
    tags: ['policy'],
    access: can('update', 'AuditRetention'),
    body: RetentionChangeRequestSchema,
    response: RetentionViewSchema,
  })
  change(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: RetentionChangeRequest) {
    return this.retention.change(principal, body);
  }

  @Delete('changes/:id')
  @Endpoint({
    summary: 'Cancel a shortening of audit retention while it waits out its delay (any compliance officer); one already applied or cancelled → 409',
    tags: ['policy'],
    access: can('update', 'AuditRetention'),
    params: IdParamsSchema,
    response: RetentionViewSchema,
    errors: [404, 409],
  })
  cancel(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: z.infer<typeof IdParamsSchema>) {
    return this.retention.cancel(principal, params.id);
  }
}
