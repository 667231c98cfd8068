import { Body, Controller, Headers, Param, Post, Put, Res } from '@nestjs/common';
import {
  DirectoryPersonParamsSchema,
  DirectoryPersonSchema,
  PutDirectoryPersonRequestSchema,
  RecallDecisionRequestSchema,
  RecallDecisionSchema,
  RecordRecallRequestSchema,
  RecordedRecallSchema,
  type ExternalRef,
  type PutDirectoryPersonRequest,
  type RecallDecisionRequest,
  type RecordRecallRequest,
} from '@retract/contracts';
import type { FastifyReply } from 'fastify';
import { CurrentServiceAccount, type ServicePrincipal } from '../../common/auth/service-accounts';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { ProblemException } from '../../common/problem/problem';
import { IdempotencyKeyHeaderSchema, parseIdempotencyKey } from './idempotency-keys';
import { DecideExternalRecall } from './use-cases/decide-external-recall';
import { PutDirectoryPerson } from './use-cases/put-directory-person';
import { RecordExternalRecall } from './use-cases/record-external-recall';

/** Integration mode (docs/integration.md): the routes a chat system calls with its service token. */
@Controller()
export class IntegrationController {
  constructor(
    private readonly decisions: DecideExternalRecall,
    private readonly recalls: RecordExternalRecall,
    private readonly directory: PutDirectoryPerson,
  ) {}

  @Post('recall-decisions')
  @Endpoint({
    summary: 'May this person recall this message now? The decision and the notices to show; a query that records nothing',
    tags: ['integration'],
    access: can('create', 'RecallDecision'),
    body: RecallDecisionRequestSchema,
    response: RecallDecisionSchema,
    status: 200,
  })
  decide(@CurrentServiceAccount() service: ServicePrincipal, @Body() body: RecallDecisionRequest) {
    return this.decisions.decide(service, body);
  }

  @Post('recalls')
  @Endpoint({
    summary: 'Record a recall the chat system applied: decided as built-in recalls are, its content sealed in the audit log (Idempotency-Key required)',
    tags: ['integration'],
    access: can('create', 'ExternalRecall'),
    requestHeaders: IdempotencyKeyHeaderSchema,
    body: RecordRecallRequestSchema,
    response: RecordedRecallSchema,
    status: 201,
    errors: [403, 409, 422],
  })
  async record(
    @CurrentServiceAccount() service: ServicePrincipal,
    @Body() body: RecordRecallRequest,
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const key = parseIdempotencyKey(keyHeader);
    const outcome = await this.recalls.record(service, key, body);
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    if (outcome.answer.kind === 'problem') throw new ProblemException(outcome.answer.problem);
    return outcome.answer.body;
  }

  @Put('directory/people/:source/:externalId')
  @Endpoint({
    summary: "Name a chat system's person (display name, email, locale); creates them on first use",
    tags: ['integration'],
    access: can('update', 'DirectoryPerson'),
    params: DirectoryPersonParamsSchema,
    body: PutDirectoryPersonRequestSchema,
    response: DirectoryPersonSchema,
    errors: [409],
  })
  putPerson(@CurrentServiceAccount() service: ServicePrincipal, @Param() params: ExternalRef, @Body() body: PutDirectoryPersonRequest) {
    return this.directory.put(service, params, body);
  }
}
