import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { z } from 'zod';
import type { Db } from '@retract/db';
import type { FastifyReply } from 'fastify';
import { DB } from '../../common/database/database.module';
import { Endpoint, PUBLIC } from '../../common/endpoint/endpoint';
import { ProblemException } from '../../common/problem/problem';
import { registry } from './metrics';

const StatusSchema = z.object({ status: z.literal('ok') });

@Controller()
export class HealthController {
  constructor(@Inject(DB) private readonly db: Db) {}

  @Get('healthz')
  @Endpoint({ summary: 'Liveness: the process is serving', tags: ['operations'], access: PUBLIC, response: StatusSchema })
  health() {
    return { status: 'ok' as const };
  }

  @Get('readyz')
  @Endpoint({ summary: 'Readiness: the database answers', tags: ['operations'], access: PUBLIC, response: StatusSchema, errors: [503] })
  async ready() {
    try {
      await this.db.$queryRaw`SELECT 1`;
      return { status: 'ok' as const };
    } catch {
      throw new ProblemException({ status: 503, code: 'SERVICE_UNAVAILABLE', detail: 'The database is not reachable.' });
    }
  }

  @Get('metrics')
  @Header('cache-control', 'no-store')
  @Endpoint({ summary: 'Prometheus metrics', tags: ['operations'], access: PUBLIC, produces: 'text/plain' })
  async metrics(@Res() reply: FastifyReply) {
    void reply.type(registry.contentType).send(await registry.metrics());
  }
}
