import { PROBLEM_CODES, ProblemSchema } from '@retract/contracts';
import { z, type ZodType } from 'zod';
import { SESSION_COOKIE } from '../../common/auth/session-cookie';
import { describeAccess, type Access } from '../../common/endpoint/endpoint';
import { inOpenApiDocument, type CatalogRoute } from './route-catalog';

type JsonSchema = Record<string, unknown>;

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const UUID_LENGTH = 36;

/**
 * What JSON Schema leaves implicit and OpenAPI readers want said (docs/architecture.md, "API
 * bounds"): an integer's format follows from its range (int32 when it fits, int64 otherwise: zod
 * bounds every integer to the safe range), and a UUID, whose pattern admits 36 characters only,
 * says so as maxLength.
 */
function stateImplicitBounds({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.type === 'integer' && jsonSchema.format === undefined) {
    const { minimum, maximum } = jsonSchema as { minimum?: number; maximum?: number };
    const fits = minimum !== undefined && maximum !== undefined && minimum >= INT32.min && maximum <= INT32.max;
    jsonSchema.format = fits ? 'int32' : 'int64';
  }
  if (jsonSchema.type === 'string' && jsonSchema.format === 'uuid' && jsonSchema.maxLength === undefined) jsonSchema.maxLength = UUID_LENGTH;
}

const toSchema = (schema: ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    override: stateImplicitBounds,
  }) as JsonSchema;
  return rest;
};

/** A JSON body, described by its schema's description (the body schema says what the request is). */
function requestBody(schema: ZodType): JsonSchema {
  const json = toSchema(schema, 'input');
  return {
    required: true,
    ...(typeof json.description === 'string' ? { description: json.description } : {}),
    content: { 'application/json': { schema: json } },
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request (problem details with errors[])',
  401: 'Not authenticated',
  403: 'Not allowed for your roles',
  404: "Not found (also for other organisations' resources)",
  409: 'Conflict',
  413: 'Body too large',
  422: 'Refused by policy',
  429: 'Too many requests (Retry-After)',
  500: 'Unexpected fault (logged; nothing internal is disclosed)',
  503: 'Unavailable',
};

function parameters(schema: ZodType | undefined, location: 'query' | 'path' | 'header'): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** Routes a chat system calls with its service token (docs/integration.md); no user session reaches them. */
const SERVICE_SUBJECTS: ReadonlySet<string> = new Set(['RecallDecision', 'ExternalRecall', 'DirectoryPerson']);

function securityOf(access: Access): Record<string, string[]>[] {
  if (access.kind === 'ability' && SERVICE_SUBJECTS.has(access.subject)) return [{ serviceToken: [] }];
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

const RATE_LIMIT_HEADERS = ['RateLimit-Policy', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Access-Control-Allow-Origin'];
const rateLimitHeaders = Object.fromEntries(RATE_LIMIT_HEADERS.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
const withRetryAfter = { ...rateLimitHeaders, 'Retry-After': { $ref: '#/components/headers/Retry-After' } };

/** Every request counts against its address's budget and every answer says so (common/rate-limit/request-rate-limit.ts); CORS admits the console only. */
const HEADERS = {
  'RateLimit-Policy': {
    description: 'The request budget: `<requests>;w=<seconds>` per client address and API process (RATE_LIMIT_REQUESTS_PER_MINUTE).',
    schema: { type: 'string', maxLength: 32, pattern: '^\\d+;w=\\d+$' },
  },
  'RateLimit-Limit': { description: 'Requests allowed in the current window.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 1_000_000 } },
  'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 1_000_000 } },
  'RateLimit-Reset': { description: 'Seconds until the window ends.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 60 } },
  'Access-Control-Allow-Origin': {
    description: 'CONSOLE_ORIGIN, to a request from the console in a browser (with credentials); absent for every other origin.',
    schema: { type: 'string', maxLength: 2048, format: 'uri' },
  },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 86_400 } },
};

/** OpenAPI 3.1 generated from the same zod schemas that validate requests and shape responses. */
export function buildOpenApiDocument(routes: CatalogRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = route.spec;
    if (!spec || !inOpenApiDocument(route)) continue;
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
    // 429 and 500 can answer any request: the request rate limit runs before every route, and an unexpected fault is a problem too.
    const errorStatuses = new Set<number>([
      ...(spec.body || spec.query || spec.params ? [400] : []),
      ...(spec.access.kind === 'public' ? [] : [401, 403]),
      ...(spec.errors ?? []),
      429,
      500,
    ]);
    const success = spec.status === 204 ? '204' : String(spec.status ?? 200);
    const successContent = spec.response
      ? { 'application/json': { schema: toSchema(spec.response, 'output') } }
      : spec.produces
        ? // Streams and documents that are not JSON values have no JSON Schema to state; the media type says what they are.
          { [spec.produces]: spec.produces === 'application/json' ? { schema: { type: 'object' } } : {} }
        : undefined;
    const errorResponse = (status: number) => ({
      description: STATUS_TEXT[status] ?? 'Error',
      ...(status < 500 ? { headers: status === 429 ? withRetryAfter : rateLimitHeaders } : {}),
      content: problem,
    });
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.handler.replace('.', '_'),
      summary: spec.summary,
      tags: spec.tags ?? [],
      'x-required-access': describeAccess(spec.access),
      security: securityOf(spec.access),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query'), ...parameters(spec.requestHeaders, 'header')],
      ...(spec.body ? { requestBody: requestBody(spec.body) } : {}),
      responses: {
        [success]: { description: 'Success', headers: rateLimitHeaders, ...(successContent && spec.status !== 204 ? { content: successContent } : {}) },
        ...Object.fromEntries([...errorStatuses].sort().map((status) => [String(status), errorResponse(status)])),
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
    // Each deployment serves its own document: the server is the one that answered.
    servers: [{ url: '/', description: 'This deployment (production, staging or local): the server that served this document', 'x-internal': false }],
    paths,
    components: {
      // Extension members (RFC 9457) come with some problems, e.g. currentVersion with VERSION_CONFLICT.
      schemas: { Problem: toSchema(ProblemSchema.loose(), 'output') },
      headers: HEADERS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'The access token from POST /api/v1/auth/login (session "token"). Issued and verified following RFC8725: the algorithm is pinned to HS256 (none and others are refused), issuer, audience and expiry are checked, and the session it names must still be open.',
        },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'The console\'s httpOnly session cookie (POST /api/v1/auth/login with session "cookie").',
        },
        platformToken: { type: 'http', scheme: 'bearer', description: 'PLATFORM_TOKEN' },
        serviceToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A service account's token (rtk_…, POST /api/v1/service-accounts): tenant-bound, limited to its scopes and to SERVICE_ACCOUNT_REQUESTS_PER_MINUTE.",
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (when set; otherwise no credentials)' },
      },
    },
  };
}
