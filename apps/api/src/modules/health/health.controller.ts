import { Controller, Get, Header, Res } from '@nestjs/common';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { DatabaseHealth } from '../../common/database/database-health';
import { Endpoint, METRICS_SCRAPER, PUBLIC } from '../../common/endpoint/endpoint';
import { databaseUnavailable } from '../../common/problem/problem';
import { registry } from './metrics';

const StatusSchema = z.object({ status: z.literal('ok') });

@Controller()
export class HealthController {
  constructor(private readonly database: DatabaseHealth) {}

  @Get('healthz')
  @Endpoint({ summary: 'Liveness: the process is serving', tags: ['operations'], access: PUBLIC, response: StatusSchema })
  health() {
    return { status: 'ok' as const };
  }

  @Get('readyz')
  @Endpoint({
    summary: 'Readiness: the database answers and its notifications are heard (503 DATABASE_UNAVAILABLE with Retry-After otherwise)',
    tags: ['operations'],
    access: PUBLIC,
    response: StatusSchema,
    errors: [503],
  })
  async ready() {
    const reason = await this.database.unavailableBecause();
    if (reason) throw databaseUnavailable(reason);
    return { status: 'ok' as const };
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  @Endpoint({
    summary: 'Prometheus metrics (bearer METRICS_TOKEN when the API has one)',
    tags: ['operations'],
    access: METRICS_SCRAPER,
    produces: 'text/plain',
  })
  async metrics(@Res() reply: FastifyReply) {
    void reply.type(registry.contentType).send(await registry.metrics());
  }
}
