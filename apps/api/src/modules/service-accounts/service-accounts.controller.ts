import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  CreateServiceAccountRequestSchema,
  CreatedServiceAccountSchema,
  ServiceAccountIdParamsSchema,
  ServiceAccountListSchema,
  type CreateServiceAccountRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { ServiceAccountsService } from './service-accounts.service';

@Controller('service-accounts')
export class ServiceAccountsController {
  constructor(private readonly accounts: ServiceAccountsService) {}

  @Get()
  @Endpoint({
    summary: 'Service accounts of the organisation, revoked ones included (never their tokens)',
    tags: ['service-accounts'],
    access: can('read', 'ServiceAccount'),
    response: ServiceAccountListSchema,
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.accounts.list(principal);
  }

  @Post()
  @Endpoint({
    summary: 'Create a service account for a chat system; answers its token (rtk_…) once',
    tags: ['service-accounts'],
    access: can('create', 'ServiceAccount'),
    body: CreateServiceAccountRequestSchema,
    response: CreatedServiceAccountSchema,
    status: 201,
    errors: [409],
  })
  create(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: CreateServiceAccountRequest) {
    return this.accounts.create(principal, body);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Revoke a service account: its token is refused from the next request on',
    tags: ['service-accounts'],
    access: can('delete', 'ServiceAccount'),
    params: ServiceAccountIdParamsSchema,
    status: 204,
    errors: [404],
  })
  async revoke(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }): Promise<void> {
    await this.accounts.revoke(principal, params.id);
  }
}
