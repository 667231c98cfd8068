import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  IdParamsSchema,
  LegalHoldCoverageQuerySchema,
  LegalHoldCoverageSchema,
  LegalHoldListQuerySchema,
  LegalHoldListSchema,
  LegalHoldViewSchema,
  PlaceLegalHoldRequestSchema,
  type PlaceLegalHoldRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { LegalHolds } from './legal-holds.service';

@Controller('legal-holds')
export class LegalHoldsController {
  constructor(private readonly holds: LegalHolds) {}

  @Get()
  @Endpoint({
    summary: 'Legal holds, newest first',
    tags: ['legal holds'],
    access: can('read', 'LegalHold'),
    query: LegalHoldListQuerySchema,
    response: LegalHoldListSchema,
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: { active?: 'true' | 'false' }) {
    return this.holds.list(principal, query.active === undefined ? undefined : query.active === 'true');
  }

  @Get('coverage')
  @Endpoint({
    summary:
      'Which active legal holds cover a person, and why: a hold on them, on the organisation, on a conversation holding their recalled content, or on someone they sent recalled content to (erasure of the person is refused while any does)',
    tags: ['legal holds'],
    access: can('read', 'LegalHold'),
    query: LegalHoldCoverageQuerySchema,
    response: LegalHoldCoverageSchema,
    errors: [404],
  })
  coverage(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: { subjectUserId: string }) {
    return this.holds.coverage(principal, query.subjectUserId);
  }

  @Post()
  @Endpoint({
    summary: 'Place a legal hold on a user, a conversation or the whole organisation (blocks erasure and retention)',
    tags: ['legal holds'],
    access: can('place', 'LegalHold'),
    body: PlaceLegalHoldRequestSchema,
    response: LegalHoldViewSchema,
    status: 201,
    errors: [404],
  })
  place(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: PlaceLegalHoldRequest) {
    return this.holds.place(principal, body);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Release a legal hold',
    tags: ['legal holds'],
    access: can('release', 'LegalHold'),
    params: IdParamsSchema,
    response: LegalHoldViewSchema,
    errors: [404, 409],
  })
  release(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }) {
    return this.holds.release(principal, params.id);
  }
}
