import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import {
  CreateWebhookRequestSchema,
  CreatedWebhookSchema,
  WebhookDeliveryListQuerySchema,
  WebhookDeliveryListSchema,
  WebhookIdParamsSchema,
  WebhookListSchema,
  type CreateWebhookRequest,
  type WebhookDeliveryListQuery,
} from '@retract/contracts';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { Endpoint, can } from '../../common/endpoint/endpoint';
import { WebhooksService } from './webhooks.service';

@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @Endpoint({
    summary: 'Registered webhooks (the signing secrets are never shown again)',
    tags: ['webhooks'],
    access: can('read', 'Webhook'),
    response: WebhookListSchema,
  })
  list(@CurrentPrincipal() principal: AuthenticatedPrincipal) {
    return this.webhooks.list(principal);
  }

  @Post()
  @Endpoint({
    summary: 'Register a webhook for some event types; answers the HMAC-SHA256 signing secret once',
    tags: ['webhooks'],
    access: can('create', 'Webhook'),
    body: CreateWebhookRequestSchema,
    response: CreatedWebhookSchema,
    status: 201,
  })
  create(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Body() body: CreateWebhookRequest) {
    return this.webhooks.create(principal, body);
  }

  @Delete(':id')
  @Endpoint({
    summary: 'Stop a webhook (its delivery log stays readable)',
    tags: ['webhooks'],
    access: can('delete', 'Webhook'),
    params: WebhookIdParamsSchema,
    status: 204,
    errors: [404],
  })
  async remove(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }): Promise<void> {
    await this.webhooks.remove(principal, params.id);
  }

  @Get(':id/deliveries')
  @Endpoint({
    summary: 'Delivery log of a webhook, newest first: status, attempts, last HTTP status or error, next retry',
    tags: ['webhooks'],
    access: can('read', 'Webhook'),
    params: WebhookIdParamsSchema,
    query: WebhookDeliveryListQuerySchema,
    response: WebhookDeliveryListSchema,
    errors: [404],
  })
  deliveries(@CurrentPrincipal() principal: AuthenticatedPrincipal, @Param() params: { id: string }, @Query() query: WebhookDeliveryListQuery) {
    return this.webhooks.deliveries(principal, params.id, query);
  }
}
