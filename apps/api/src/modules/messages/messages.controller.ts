import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  ConversationIdParamsSchema,
  MessageIdParamsSchema,
  MessageListQuerySchema,
  MessageListSchema,
  MessageViewSchema,
  ReceiptRequestSchema,
  ReceiptViewSchema,
  SendMessageRequestSchema,
  type MessageListQuery,
  type ReceiptRequest,
  type SendMessageRequest,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { MessagesService } from './messages.service';

@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('conversations/:id/messages')
  @Endpoint({
    summary: 'Messages of a conversation you belong to, newest first; recalled ones as notices in your language, without content',
    tags: ['messages'],
    access: can('read', 'Message'),
    params: ConversationIdParamsSchema,
    query: MessageListQuerySchema,
    response: MessageListSchema,
    errors: [404],
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Query() query: MessageListQuery) {
    return this.messages.list(principal, params.id, query);
  }

  @Post('conversations/:id/messages')
  @Endpoint({
    summary: 'Send a message (TEXT, IMAGE, VIDEO, FILE, VOICE, LOCATION, RED_PACKET, TRANSFER; attachments as metadata)',
    tags: ['messages'],
    access: can('create', 'Message'),
    params: ConversationIdParamsSchema,
    body: SendMessageRequestSchema,
    response: MessageViewSchema,
    status: 201,
    errors: [404],
  })
  send(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: SendMessageRequest) {
    return this.messages.send(principal, params.id, body);
  }

  @Get('messages/:id')
  @Endpoint({
    summary: 'One message of a conversation you belong to',
    tags: ['messages'],
    access: can('read', 'Message'),
    params: MessageIdParamsSchema,
    response: MessageViewSchema,
    errors: [404],
  })
  get(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }) {
    return this.messages.get(principal, params.id);
  }

  @Post('messages/:id/receipts')
  @Endpoint({
    summary: "A recipient's device reports DELIVERED, DOWNLOADED (attachments) or RECALL_APPLIED (it removed a recalled message); idempotent",
    tags: ['messages'],
    access: can('read', 'Message'),
    params: MessageIdParamsSchema,
    body: ReceiptRequestSchema,
    response: ReceiptViewSchema,
    status: 200,
    errors: [404, 409],
  })
  receipt(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Body() body: ReceiptRequest) {
    return this.messages.receipt(principal, params.id, body.kind);
  }

  @Delete('messages/:id')
  @Endpoint({
    summary: 'Delete for me: hide a message from your own view only (not a recall; nobody else is affected)',
    tags: ['messages'],
    access: can('delete', 'Message'),
    params: MessageIdParamsSchema,
    status: 204,
    errors: [404],
  })
  async hide(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }): Promise<void> {
    await this.messages.hide(principal, params.id);
  }
}
