import { Body, Controller, Get, Post, Put, Query } from '@nestjs/common';
import {
  PolicyVersionListSchema,
  PolicyVersionViewSchema,
  SimulatePolicyRequestSchema,
  SimulationResultSchema,
  UpdatePolicyRequestSchema,
  type SimulatePolicyRequest,
  type UpdatePolicyRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { PolicyVersionListQuerySchema, type PolicyVersionListQuery } from './policy.schemas';
import { PolicyService } from './policy.service';

@Controller('policy')
export class PolicyController {
  constructor(private readonly policy: PolicyService) {}

  @Get()
  @Endpoint({ summary: 'The recall policy in force (its newest version)', tags: ['policy'], access: can('read', 'Policy'), response: PolicyVersionViewSchema })
  current(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.policy.current(principal);
  }

  @Put()
  @Endpoint({
    summary: 'Change the recall policy: a new immutable version (expectedVersion must be the current one; stale → 409)',
    tags: ['policy'],
    access: can('update', 'Policy'),
    body: UpdatePolicyRequestSchema,
    response: PolicyVersionViewSchema,
    errors: [409],
  })
  update(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: UpdatePolicyRequest) {
    return this.policy.update(principal, body);
  }

  @Get('versions')
  @Endpoint({
    summary: 'Policy history, newest first, each version with its author and its diff from the previous one',
    tags: ['policy'],
    access: can('read', 'Policy'),
    query: PolicyVersionListQuerySchema,
    response: PolicyVersionListSchema,
  })
  versions(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: PolicyVersionListQuery) {
    return this.policy.versions(principal, query);
  }

  @Post('simulate')
  @Endpoint({
    summary: 'What a proposed policy would have done to the recall attempts of the last N days: newly refused and newly allowed, by code',
    tags: ['policy'],
    access: can('simulate', 'Policy'),
    body: SimulatePolicyRequestSchema,
    response: SimulationResultSchema,
    status: 200,
  })
  simulate(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: SimulatePolicyRequest) {
    return this.policy.simulate(principal, body);
  }
}
