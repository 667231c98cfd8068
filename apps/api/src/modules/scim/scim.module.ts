import { Module } from '@nestjs/common';
import { RoleGrants } from '../role-grants/role-grants.service';
import { ScimController } from './scim.controller';
import { ScimGroupsService } from './scim-groups.service';
import { ScimUsersService } from './scim-users.service';

/** SCIM 2.0 provisioning of people and groups at /scim/v2 (docs/identity.md, "SCIM provisioning"). */
@Module({
  controllers: [ScimController],
  providers: [ScimUsersService, ScimGroupsService, RoleGrants],
})
export class ScimModule {}
