import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ChangePasswordRequestSchema,
  CreateUserRequestSchema,
  UpdateUserRequestSchema,
  UserIdParamsSchema,
  UserListQuerySchema,
  UserListSchema,
  ManagedUserViewSchema,
  type ChangePasswordRequest,
  type CreateUserRequest,
  type UpdateUserRequest,
  type UserListQuery,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { AUTHENTICATED, Endpoint, can } from '../../common/endpoint/endpoint';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('users')
  @Endpoint({ summary: 'List users of the organisation', tags: ['users'], access: can('read', 'User'), query: UserListQuerySchema, response: UserListSchema })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: UserListQuery) {
    return this.users.list(principal, query);
  }

  @Post('users')
  @Endpoint({
    summary:
      'Create a user: the password given is the administrator’s, so the user must choose their own at the first sign-in; COMPLIANCE waits for a compliance officer’s approval (answered in pendingRoles); audited',
    tags: ['users'],
    access: can('create', 'User'),
    body: CreateUserRequestSchema,
    response: ManagedUserViewSchema,
    status: 201,
    errors: [409],
  })
  create(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: CreateUserRequest) {
    return this.users.create(principal, body);
  }

  @Patch('users/:id')
  @Endpoint({
    summary:
      'Change a user: name, locale, roles, password reset, or deactivate (their sessions end at once); never your own roles; COMPLIANCE waits for a compliance officer’s approval (answered in pendingRoles); a reset password must be replaced at the next sign-in; a compliance officer’s password is theirs alone; every change is audited',
    tags: ['users'],
    access: can('update', 'User'),
    params: UserIdParamsSchema,
    body: UpdateUserRequestSchema,
    response: ManagedUserViewSchema,
    errors: [404, 409],
  })
  update(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: UpdateUserRequest) {
    return this.users.update(principal, params.id, body);
  }

  @Put('me/password')
  @Endpoint({
    summary: 'Change your own password (your other sessions end); the only change allowed after an administrator reset it',
    tags: ['auth'],
    access: AUTHENTICATED,
    beforePasswordChange: true,
    body: ChangePasswordRequestSchema,
    status: 204,
  })
  changePassword(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: ChangePasswordRequest) {
    return this.users.changeOwnPassword(principal, body);
  }
}
