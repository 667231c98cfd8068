import { Body, Controller, Post } from '@nestjs/common';
import { ErasureRequestSchema, ErasureResultSchema, type ErasureRequest } from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { Erasure } from './erasure.service';

@Controller('erasure-requests')
export class ErasureController {
  constructor(private readonly erasure: Erasure) {}

  @Post()
  @Endpoint({
    summary:
      'Erase a person: destroy their data keys (their recalled content and the personal data audit entries seal under them) and empty their account of email and name (refused under a legal hold; not oneself, nor the last active administrator or compliance officer)',
    tags: ['legal holds'],
    access: can('create', 'ErasureRequest'),
    body: ErasureRequestSchema,
    response: ErasureResultSchema,
    status: 200,
    errors: [403, 404, 409],
  })
  erase(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: ErasureRequest) {
    return this.erasure.erase(principal, body);
  }
}
