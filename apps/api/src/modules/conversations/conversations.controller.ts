import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ConversationListQuerySchema,
  ConversationListSchema,
  ConversationViewSchema,
  CreateConversationRequestSchema,
  type ConversationListQuery,
  type CreateConversationRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { ConversationsService } from './conversations.service';

@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get()
  @Endpoint({
    summary: 'Your conversations, newest first, with members and the recall window in force in each',
    tags: ['conversations'],
    access: can('read', 'Conversation'),
    query: ConversationListQuerySchema,
    response: ConversationListSchema,
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Query() query: ConversationListQuery) {
    return this.conversations.list(principal, query);
  }

  @Post()
  @Endpoint({
    summary: 'Start a DIRECT conversation (returns the existing one for the same two people) or a GROUP',
    tags: ['conversations'],
    access: can('create', 'Conversation'),
    body: CreateConversationRequestSchema,
    response: ConversationViewSchema,
    status: 201,
  })
  create(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: CreateConversationRequest) {
    return this.conversations.create(principal, body);
  }
}
