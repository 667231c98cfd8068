import { Controller, Get, Param, Post } from '@nestjs/common';
import { RoleGrantIdParamsSchema, RoleGrantListSchema } from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { RoleGrants } from './role-grants.service';

@Controller('role-grants')
export class RoleGrantsController {
  constructor(private readonly grants: RoleGrants) {}

  @Get()
  @Endpoint({
    summary: 'Role grants awaiting a compliance officer’s approval',
    tags: ['users'],
    access: can('read', 'RoleGrant'),
    response: RoleGrantListSchema,
  })
  pending(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.grants.pending(principal);
  }

  @Post(':id/approve')
  @Endpoint({
    summary:
      'Approve a pending role grant (a compliance officer other than the grantee and the requester; no request body); 409 when already decided or while the grantee still signs in with an administrator’s password; audited',
    tags: ['users'],
    access: can('update', 'RoleGrant'),
    params: RoleGrantIdParamsSchema,
    status: 204,
    errors: [404, 409],
  })
  approve(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }) {
    return this.grants.approve(principal, params.id);
  }

  @Post(':id/refuse')
  @Endpoint({
    summary: 'Refuse a pending role grant (a compliance officer other than the grantee and the requester; no request body); 409 when already decided; audited',
    tags: ['users'],
    access: can('update', 'RoleGrant'),
    params: RoleGrantIdParamsSchema,
    status: 204,
    errors: [404, 409],
  })
  refuse(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }) {
    return this.grants.refuse(principal, params.id);
  }
}
