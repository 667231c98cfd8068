import 'reflect-metadata';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { ConsoleLogger, Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { AppModule } from './app.module';
import type { Config } from './config/config';
import { useStrictJsonBodies } from './common/endpoint/json-body';
import { useRequestRateLimit } from './common/rate-limit/request-rate-limit';
import { sendProblem } from './common/problem/problem.filter';
import { httpRequestDuration } from './modules/health/metrics';
import { useScimErrors } from './modules/scim/scim-error.filter';
import { API_PREFIX, UNPREFIXED_ROUTES } from './modules/openapi/route-catalog';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

function loggerOptions(config: Config) {
  return {
    level: config.LOG_LEVEL,
    // Never log credentials or message content: only method, url and status are logged for requests.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'password', 'body', 'content'], censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url.split('?')[0], id: req.id }),
    },
  };
}

function nestLogLevels(level: Config['LOG_LEVEL']): LogLevel[] {
  // Nest's own 'log' lines (every mapped route at start) only from debug on; requests are logged by pino.
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const cut = { fatal: 1, error: 2, warn: 3, info: 3, debug: 5, trace: 6, silent: 0 }[level];
  return order.slice(0, cut);
}

export async function createApp(config: Config): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: config.LOG_LEVEL === 'silent' ? false : loggerOptions(config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY_HOPS,
    // What the router refuses before any route runs (a malformed URL, an over-long path parameter) is a problem document too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, request, error, new Logger('Router')),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : new ConsoleLogger({ json: true, logLevels: nestLogLevels(config.LOG_LEVEL) }),
    bufferLogs: false,
    // JSON only: no urlencoded or multipart parsers (a form post could otherwise log someone in cross-site).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  useStrictJsonBodies(fastify);
  useRequestRateLimit(fastify, config.RATE_LIMIT_REQUESTS_PER_MINUTE, new Logger('RateLimit'));

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyStatic, { root: dirname(require.resolve('swagger-ui-dist/package.json')), prefix: '/api/docs/assets/', decorateReply: false });
  app.enableCors({
    origin: [config.CONSOLE_ORIGIN],
    credentials: true,
    exposedHeaders: ['retry-after', 'x-request-id', 'ratelimit-policy', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
  app.enableShutdownHooks();

  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });
  useScimErrors(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  await app.init();
  return app;
}
