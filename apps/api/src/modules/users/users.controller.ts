import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  CreateUserRequestSchema,
  UpdateUserRequestSchema,
  UserIdParamsSchema,
  UserListQuerySchema,
  UserListSchema,
  UserViewSchema,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserListQuery,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { UsersService } from './users.service';

@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Endpoint({ summary: 'List users of the organisation', tags: ['users'], access: can('read', 'User'), query: UserListQuerySchema, response: UserListSchema })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: UserListQuery) {
    return this.users.list(principal, query);
  }

  @Post()
  @Endpoint({ summary: 'Create a user', tags: ['users'], access: can('create', 'User'), body: CreateUserRequestSchema, response: UserViewSchema, status: 201, errors: [409] })
  create(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: CreateUserRequest) {
    return this.users.create(principal, body);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change a user: name, locale, roles, or deactivate (their sessions end at once)',
    tags: ['users'],
    access: can('update', 'User'),
    params: UserIdParamsSchema,
    body: UpdateUserRequestSchema,
    response: UserViewSchema,
    errors: [404, 409],
  })
  update(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: UpdateUserRequest) {
    return this.users.update(principal, params.id, body);
  }
}
