import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { EventPageSchema, EventStreamQuerySchema, type EventEnvelope, type EventStreamQuery } from '@retract/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, type AuthenticatedPrincipal } from '../../common/auth/principal';
import { SessionsRepository } from '../../common/auth/sessions.repository';
import { AUTHENTICATED, Endpoint } from '../../common/endpoint/endpoint';
import { ProblemException } from '../../common/problem/problem';
import { toEnvelope, sseFrame } from './event-view';
import { EventsHub } from './events-hub';
import { StreamQuota } from './stream-quota';

const HEARTBEAT_MS = 15_000;
/** Suggested wait for a stream refused because its user has too many open. */
const STREAM_QUOTA_RETRY_SECONDS = 30;
/** How often an open stream re-checks that its session is still live (logout, deactivation). */
const SESSION_CHECK_MS = 30_000;

function lastEventId(request: FastifyRequest, query: EventStreamQuery): bigint | undefined {
  const header = request.headers['last-event-id'];
  const value = typeof header === 'string' && header.trim() !== '' ? header.trim() : query.lastEventId;
  if (value === undefined) return undefined;
  if (!/^\d{1,18}$/.test(value)) {
    throw new ProblemException({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'Last-Event-ID must be an event id.',
      errors: [{ field: 'Last-Event-ID', message: 'must be an event id (digits)', code: 'invalid_format' }],
    });
  }
  return BigInt(value);
}

const wantsStream = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/event-stream');

@Controller('events')
export class EventsController {
  constructor(
    private readonly hub: EventsHub,
    private readonly sessions: SessionsRepository,
    private readonly quota: StreamQuota,
  ) {}

  @Get()
  @Endpoint({
    summary:
      'Events of your conversations (message.created, message.recalled, message.reedited, message.recall_applied) and policy.changed. ' +
      'With Accept: text/event-stream, a Server-Sent Events stream resumable with Last-Event-ID (at most EVENT_STREAMS_PER_USER open per user: 429 past it); ' +
      'otherwise one JSON page after lastEventId.',
    tags: ['events'],
    access: AUTHENTICATED,
    query: EventStreamQuerySchema,
    response: EventPageSchema,
    produces: 'text/event-stream',
    errors: [429],
  })
  async events(
    @CurrentPrincipal() principal: AuthenticatedPrincipal,
    @Query() query: EventStreamQuery,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = lastEventId(request, query);
    const viewer = { tenantId: principal.tenantId, userId: principal.userId, locale: principal.locale };
    if (!wantsStream(request)) {
      const rows = await this.hub.readVisible({ ...viewer, session: principal.session }, after ?? 0n, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.length ? page[page.length - 1].id : (after ?? 0n);
      const body = EventPageSchema.parse({
        items: page.map((row) => toEnvelope(row, viewer)),
        lastEventId: last.toString(),
        hasMore: rows.length > query.limit,
      });
      await reply.type('application/json; charset=utf-8').send(body);
      return;
    }
    this.stream(principal, { ...viewer, sessionId: principal.sessionId }, after, request, reply);
  }

  private stream(
    principal: AuthenticatedPrincipal,
    viewer: { tenantId: string; userId: string; locale: AuthenticatedPrincipal['locale']; sessionId?: string },
    after: bigint | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const release = this.quota.take(principal.tenantId, principal.userId);
    if (!release) {
      throw new ProblemException({
        status: 429,
        code: 'TOO_MANY_REQUESTS',
        detail: `You already have ${this.quota.limit} live event streams open; close a console tab or window and try again.`,
        retryAfter: STREAM_QUOTA_RETRY_SECONDS,
      });
    }
    // Headers that hooks already set on the reply (CORS, security headers, request id) go out with the stream.
    const headers = { ...(reply.getHeaders() as Record<string, string>), 'x-request-id': String(request.id) };
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps proxies (the console's rewrite among them) from compressing and buffering the stream.
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let open = true;
    let subscription: { close(): void } | undefined;
    const close = () => {
      if (!open) return;
      open = false;
      release();
      clearInterval(heartbeat);
      clearInterval(sessionCheck);
      subscription?.close();
      raw.end();
    };
    const send = (envelope: EventEnvelope) => {
      if (open) raw.write(sseFrame(envelope));
    };
    const heartbeat = setInterval(() => open && raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const sessionCheck = setInterval(() => {
      void this.sessions
        .findLive({ tenantId: principal.tenantId }, principal.sessionId, principal.userId)
        .then((live) => !live && close())
        .catch(() => undefined);
    }, SESSION_CHECK_MS);
    request.raw.on('close', close);
    raw.on('close', close);
    // A client gone before the listeners were attached must still give its stream back.
    if (raw.destroyed) close();
    this.hub.subscribe(viewer, after, send, close).then(
      (created) => {
        if (open) subscription = created;
        else created.close();
      },
      () => close(),
    );
  }
}
