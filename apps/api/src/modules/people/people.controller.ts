import { Controller, Get, Query } from '@nestjs/common';
import { PeopleListSchema, PeopleQuerySchema, type PeopleQuery } from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { PeopleDirectory } from './people-directory';

@Controller()
export class PeopleController {
  constructor(private readonly directory: PeopleDirectory) {}

  @Get('people')
  @Endpoint({
    summary:
      'The people directory: search the organisation by name or email (keyset pagination in name order) for roles, active, erased and, for compliance officers, active legal holds',
    tags: ['people'],
    access: can('read', 'Person'),
    query: PeopleQuerySchema,
    response: PeopleListSchema,
  })
  search(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: PeopleQuery) {
    return this.directory.search(principal, query);
  }
}
