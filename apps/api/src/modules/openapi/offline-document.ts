// Declares the request and reply cookie members the auth module uses; this entry point never registers the plugin.
import type {} from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { ConfigSchema } from '../../config/config';
import { buildOpenApiDocument } from './openapi-document';
import { RouteCatalog } from './route-catalog';

/** Never dialled: the application is built but not initialised, so no module connects or starts a job. */
const UNREACHABLE_DATABASE = 'postgres://openapi@127.0.0.1:9/openapi';

/**
 * The OpenAPI document the API serves at /api/openapi.json, built without a database or a listening
 * server: Nest constructs every controller (their route metadata is what the catalog reads) but no
 * lifecycle hook runs. Used by `npm run openapi:lint` and its test.
 */
export async function generateOpenApiDocument(version = process.env.npm_package_version ?? '0.1.0'): Promise<Record<string, unknown>> {
  const config = ConfigSchema.parse({
    APP_DATABASE_URL: UNREACHABLE_DATABASE,
    LISTEN_DATABASE_URL: UNREACHABLE_DATABASE,
    JWT_SECRET: 'o'.repeat(32),
    AUDIT_KEK: Buffer.alloc(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(AppModule.forConfig(config), new FastifyAdapter(), { logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app.get(RouteCatalog).routes(), version);
  } finally {
    await app.close();
  }
}
