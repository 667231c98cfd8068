import { PROBLEM_CODES, ProblemSchema } from '@retract/contracts';
import { z, type ZodType } from 'zod';
import { SESSION_COOKIE } from '../../common/auth/session-cookie';
import { describeAccess, type Access } from '../../common/endpoint/endpoint';
import type { CatalogRoute } from './route-catalog';

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (problem details with errors[])',
  401: 'Not authenticated',
  403: 'Not allowed for your roles',
  404: "Not found (also for other organisations' resources)",
  409: 'Conflict',
  413: 'Body too large',
  422: 'Refused by policy',
  429: 'Too many requests (Retry-After)',
  503: 'Unavailable',
};

function parameters(schema: ZodType | undefined, location: 'query' | 'path'): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function securityOf(access: Access): Record<string, string[]>[] {
  switch (access.kind) {
    case 'public':
      return [];
    case 'platform':
      return [{ platformToken: [] }];
    case 'metrics':
      return [{ metricsToken: [] }, {}];
    default:
      return [{ bearer: [] }, { cookie: [] }];
  }
}

/** OpenAPI 3.1 generated from the same zod schemas that validate requests and shape responses. */
export function buildOpenApiDocument(routes: CatalogRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = route.spec;
    if (!spec) continue;
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
    const errorStatuses = new Set<number>([
      ...(spec.body || spec.query || spec.params ? [400] : []),
      ...(spec.access.kind === 'public' ? [] : [401, 403]),
      ...(spec.errors ?? []),
    ]);
    const success = String(spec.status ?? (route.method === 'POST' ? 200 : 200));
    const successContent = spec.response
      ? { 'application/json': { schema: toSchema(spec.response, 'output') } }
      : spec.produces
        ? { [spec.produces]: { schema: { type: 'string' } } }
        : undefined;
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.handler.replace('.', '_'),
      summary: spec.summary,
      tags: spec.tags ?? [],
      'x-required-access': describeAccess(spec.access),
      security: securityOf(spec.access),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(spec.body, 'input') } } } } : {}),
      responses: {
        [spec.status === 204 ? '204' : success]: { description: 'Success', ...(successContent && spec.status !== 204 ? { content: successContent } : {}) },
        ...Object.fromEntries([...errorStatuses].sort().map((status) => [String(status), { description: STATUS_TEXT[status] ?? 'Error', content: problem }])),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Retract API',
      version,
      description:
        'Message recall policies and a tamper-evident audit log. Errors are RFC 9457 problem details; `code` is one of: ' + PROBLEM_CODES.join(', ') + '.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Problem: toSchema(ProblemSchema, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        platformToken: { type: 'http', scheme: 'bearer', description: 'PLATFORM_TOKEN' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (when set; otherwise no credentials)' },
      },
    },
  };
}
