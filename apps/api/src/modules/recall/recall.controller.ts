import { Body, Controller, Param, Post } from '@nestjs/common';
import {
  BatchRecallRequestSchema,
  BatchRecallResponseSchema,
  MessageIdParamsSchema,
  MessageViewSchema,
  ReEditRequestSchema,
  RecallRequestSchema,
  RecallResponseSchema,
  type BatchRecallRequest,
  type ReEditRequest,
  type RecallRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { ReEditMessage } from './use-cases/re-edit-message';
import { RecallMessages } from './use-cases/recall-messages';

@Controller('messages')
export class RecallController {
  constructor(
    private readonly recall: RecallMessages,
    private readonly reEdit: ReEditMessage,
  ) {}

  @Post('recall')
  @Endpoint({
    summary:
      'Batch recall: several messages of one sender in one conversation; each judged on its own (per-message results). ' +
      'force: true for a forced recall (COMPLIANCE/ADMIN, reason required)',
    tags: ['recall'],
    access: can('recall', 'Message'),
    body: BatchRecallRequestSchema,
    response: BatchRecallResponseSchema,
    status: 200,
    errors: [404, 422],
  })
  recallBatch(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: BatchRecallRequest) {
    return this.recall.recallBatch(principal, body);
  }

  @Post(':id/recall')
  @Endpoint({
    summary:
      'Recall a message: its content leaves the live store and is kept only in the encrypted audit record. ' +
      'Denials: 403 NOT_SENDER, 409 ALREADY_RECALLED, 422 WINDOW_EXPIRED / TYPE_NOT_RECALLABLE / REASON_REQUIRED / RECALL_OFF, 429 RATE_LIMITED. ' +
      'force: true for a forced recall (COMPLIANCE/ADMIN, any message, reason required)',
    tags: ['recall'],
    access: can('recall', 'Message'),
    params: MessageIdParamsSchema,
    body: RecallRequestSchema,
    response: RecallResponseSchema,
    status: 200,
    errors: [404, 409, 422, 429],
  })
  recallOne(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: RecallRequest) {
    return this.recall.recallOne(principal, params.id, body);
  }

  @Post(':id/re-edit')
  @Endpoint({
    summary:
      'Send the edited draft of a message you recalled: a new message with replacesMessageId (once, within reEditWindowSeconds; else 422 REEDIT_EXPIRED)',
    tags: ['recall'],
    access: can('update', 'Message'),
    params: MessageIdParamsSchema,
    body: ReEditRequestSchema,
    response: MessageViewSchema,
    status: 201,
    errors: [404, 409, 422],
  })
  reEditMessage(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: ReEditRequest) {
    return this.reEdit.execute(principal, params.id, body);
  }
}
