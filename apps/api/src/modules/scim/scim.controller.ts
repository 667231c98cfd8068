import { Body, Controller, Delete, Get, Headers, Param, Patch, Post, Put, Query, Req, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ScimError,
  ScimGroupRequestSchema,
  ScimIdParamsSchema,
  ScimListQuerySchema,
  ScimPatchRequestSchema,
  ScimResourceQuerySchema,
  ScimUserRequestSchema,
  excludesMembers,
  listResponse,
  resourceTypes,
  schemas,
  serviceProviderConfig,
  type ScimGroupRequest,
  type ScimListQuery,
  type ScimPatchRequest,
  type ScimResourceQuery,
  type ScimUserRequest,
} from '@retract/scim';
import type { FastifyRequest } from 'fastify';
import { CurrentServiceAccount, type ServicePrincipal } from '../../common/auth/service-accounts';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { SCIM_ROOT } from '../openapi/route-catalog';
import { ScimErrorFilter } from './scim-error.filter';
import { ScimGroupsService } from './scim-groups.service';
import { ScimResponseInterceptor } from './scim-response.interceptor';
import { ScimUsersService } from './scim-users.service';

const SCIM_ACCESS = can('manage', 'ScimDirectory');

/** Where this API answers SCIM, as the client reached it: the base of meta.location. */
const baseUrlOf = (request: FastifyRequest) => `${request.protocol}://${request.host}/${SCIM_ROOT}`;

/**
 * SCIM 2.0 provisioning (RFC 7643, RFC 7644; docs/identity.md, "SCIM provisioning"): the organisation's
 * identity provider creates, changes and deactivates its people and groups with a service token
 * with the `scim` scope. Answers and errors are application/scim+json in SCIM's own shapes.
 */
@Controller(SCIM_ROOT)
@UseFilters(ScimErrorFilter)
@UseInterceptors(ScimResponseInterceptor)
export class ScimController {
  constructor(
    private readonly users: ScimUsersService,
    private readonly groups: ScimGroupsService,
  ) {}

  @Get('ServiceProviderConfig')
  @Endpoint({ summary: 'SCIM: what this service supports (RFC 7644 §5)', tags: ['scim'], access: SCIM_ACCESS })
  config(@Req() request: FastifyRequest) {
    return serviceProviderConfig(baseUrlOf(request));
  }

  @Get('ResourceTypes')
  @Endpoint({ summary: 'SCIM: resource types (User, Group)', tags: ['scim'], access: SCIM_ACCESS })
  resourceTypes(@Req() request: FastifyRequest) {
    const types = resourceTypes(baseUrlOf(request));
    return listResponse(types, types.length, 1);
  }

  @Get('ResourceTypes/:id')
  @Endpoint({ summary: 'SCIM: one resource type', tags: ['scim'], access: SCIM_ACCESS, params: ScimIdParamsSchema })
  resourceType(@Req() request: FastifyRequest, @Param('id') id: string) {
    const found = resourceTypes(baseUrlOf(request)).find((type) => type.id === id);
    if (!found) throw new ScimError(404, undefined, `No resource type ${JSON.stringify(id)}.`);
    return found;
  }

  @Get('Schemas')
  @Endpoint({ summary: 'SCIM: the attributes Retract keeps of Users and Groups', tags: ['scim'], access: SCIM_ACCESS })
  schemas(@Req() request: FastifyRequest) {
    const all = schemas(baseUrlOf(request));
    return listResponse(all, all.length, 1);
  }

  @Get('Schemas/:id')
  @Endpoint({ summary: 'SCIM: one schema', tags: ['scim'], access: SCIM_ACCESS, params: ScimIdParamsSchema })
  schema(@Req() request: FastifyRequest, @Param('id') id: string) {
    const found = schemas(baseUrlOf(request)).find((schema) => schema.id === id);
    if (!found) throw new ScimError(404, undefined, `No schema ${JSON.stringify(id)}.`);
    return found;
  }

  @Get('Users')
  @Endpoint({
    summary: 'SCIM: provisioned users, filtered by userName eq or externalId eq, paged by startIndex and count',
    tags: ['scim'],
    access: SCIM_ACCESS,
    query: ScimListQuerySchema,
  })
  listUsers(@CurrentServiceAccount() service: ServicePrincipal, @Query() query: ScimListQuery, @Req() request: FastifyRequest) {
    return this.users.list(service, query, baseUrlOf(request));
  }

  @Post('Users')
  @Endpoint({
    summary: 'SCIM: provision a user (an existing account with the email is linked); EMPLOYEE',
    tags: ['scim'],
    access: SCIM_ACCESS,
    body: ScimUserRequestSchema,
    status: 201,
    errors: [409],
  })
  createUser(@CurrentServiceAccount() service: ServicePrincipal, @Body() body: ScimUserRequest, @Req() request: FastifyRequest) {
    return this.users.create(service, body, baseUrlOf(request));
  }

  @Get('Users/:id')
  @Endpoint({
    summary: 'SCIM: one provisioned user',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    query: ScimResourceQuerySchema,
    errors: [404],
  })
  getUser(@CurrentServiceAccount() service: ServicePrincipal, @Param('id') id: string, @Req() request: FastifyRequest) {
    return this.users.get(service, id, baseUrlOf(request));
  }

  @Put('Users/:id')
  @Endpoint({
    summary: 'SCIM: replace a user (If-Match honoured)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    body: ScimUserRequestSchema,
    errors: [404, 409, 412],
  })
  replaceUser(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ScimUserRequest,
    @Req() request: FastifyRequest,
  ) {
    return this.users.replace(service, id, ifMatch, body, baseUrlOf(request));
  }

  @Patch('Users/:id')
  @Endpoint({
    summary: 'SCIM: change a user (active=false ends their sessions and event streams at once; If-Match honoured)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    body: ScimPatchRequestSchema,
    errors: [404, 409, 412],
  })
  patchUser(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ScimPatchRequest,
    @Req() request: FastifyRequest,
  ) {
    return this.users.patch(service, id, ifMatch, body, baseUrlOf(request));
  }

  @Delete('Users/:id')
  @Endpoint({
    summary: 'SCIM: deprovision a user: deactivated, out of every group, no longer a SCIM resource',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    status: 204,
    errors: [404, 409, 412],
  })
  async deleteUser(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    await this.users.remove(service, id, ifMatch, baseUrlOf(request));
  }

  @Get('Groups')
  @Endpoint({
    summary: 'SCIM: groups, filtered by displayName eq or externalId eq, paged; excludedAttributes=members honoured',
    tags: ['scim'],
    access: SCIM_ACCESS,
    query: ScimListQuerySchema,
  })
  listGroups(@CurrentServiceAccount() service: ServicePrincipal, @Query() query: ScimListQuery, @Req() request: FastifyRequest) {
    return this.groups.list(service, query, baseUrlOf(request), !excludesMembers(query));
  }

  @Post('Groups')
  @Endpoint({
    summary: 'SCIM: create a group (its members get the roles the organisation maps it to)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    body: ScimGroupRequestSchema,
    status: 201,
    errors: [409],
  })
  createGroup(@CurrentServiceAccount() service: ServicePrincipal, @Body() body: ScimGroupRequest, @Req() request: FastifyRequest) {
    return this.groups.create(service, body, baseUrlOf(request));
  }

  @Get('Groups/:id')
  @Endpoint({ summary: 'SCIM: one group', tags: ['scim'], access: SCIM_ACCESS, params: ScimIdParamsSchema, query: ScimResourceQuerySchema, errors: [404] })
  getGroup(@CurrentServiceAccount() service: ServicePrincipal, @Param('id') id: string, @Query() query: ScimResourceQuery, @Req() request: FastifyRequest) {
    return this.groups.get(service, id, baseUrlOf(request), !excludesMembers(query));
  }

  @Put('Groups/:id')
  @Endpoint({
    summary: 'SCIM: replace a group and its members (If-Match honoured)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    body: ScimGroupRequestSchema,
    errors: [404, 409, 412],
  })
  replaceGroup(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ScimGroupRequest,
    @Req() request: FastifyRequest,
  ) {
    return this.groups.replace(service, id, ifMatch, body, baseUrlOf(request));
  }

  @Patch('Groups/:id')
  @Endpoint({
    summary: 'SCIM: rename a group or add and remove members (If-Match honoured)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    body: ScimPatchRequestSchema,
    errors: [404, 409, 412],
  })
  patchGroup(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() body: ScimPatchRequest,
    @Req() request: FastifyRequest,
  ) {
    return this.groups.patch(service, id, ifMatch, body, baseUrlOf(request));
  }

  @Delete('Groups/:id')
  @Endpoint({
    summary: 'SCIM: delete a group (its members lose the roles it gave)',
    tags: ['scim'],
    access: SCIM_ACCESS,
    params: ScimIdParamsSchema,
    status: 204,
    errors: [404, 409, 412],
  })
  async deleteGroup(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Req() request: FastifyRequest,
  ) {
    await this.groups.remove(service, id, ifMatch, baseUrlOf(request));
  }
}
