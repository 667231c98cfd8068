import { Body, Controller, Inject, Post } from '@nestjs/common';
import { CreateTenantRequestSchema, CreateTenantResponseSchema, type CreateTenantRequest } from '@retract/contracts';
import type { Db } from '@retract/db';
import { DB } from '../../common/database/database.module';
import { Endpoint, PLATFORM_OPERATOR } from '../../common/endpoint/endpoint';
import { provisionTenant } from './provision-tenant';
import { TENANT_INITIALIZERS } from './tenant-initializers';

@Controller('platform/tenants')
export class TenantsController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Post()
  @Endpoint({
    summary: 'Provision an organisation and its first administrator (platform operator token)',
    tags: ['platform'],
    access: PLATFORM_OPERATOR,
    body: CreateTenantRequestSchema,
    response: CreateTenantResponseSchema,
    status: 201,
    errors: [409],
  })
  create(@Body() body: CreateTenantRequest) {
    return provisionTenant(this.db, body, TENANT_INITIALIZERS);
  }
}
