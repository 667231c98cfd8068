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
    summary: "Erase a person's recalled content by destroying their data keys (refused under a legal hold)",
    tags: ['legal holds'],
    access: can('create', 'ErasureRequest'),
    body: ErasureRequestSchema,
    response: ErasureResultSchema,
    status: 200,
    errors: [404, 409],
  })
  erase(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: ErasureRequest) {
    return this.erasure.erase(principal, body);
  }
}
