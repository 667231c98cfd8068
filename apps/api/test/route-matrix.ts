import { abilityFor, type Action, type SubjectName } from '@retract/authz';
import type { Role } from '@retract/contracts';
import { randomBytes } from 'node:crypto';
import type { TestApp, TestUser } from './test-app';

/*
 * Requests for every operation of the API's OpenAPI document, built from its schemas: path, query
 * and body values that satisfy them, with every reference to a tenant's data (an id, an audit seq or
 * tree size, a page cursor, an event id) marked so a test can fill it with its own tenant's value or
 * with another tenant's. An operation the builder cannot make a request for (a reference it has no
 * kind for, a pattern it cannot satisfy) throws Unbuildable: a new route never goes unchecked.
 * Used by endpoint-permissions.e2e-spec.ts and isolation-matrix.e2e-spec.ts.
 */

export const ROLES: readonly Role[] = ['ADMIN', 'COMPLIANCE', 'EMPLOYEE'];

export type ReferenceKind =
  | 'user'
  | 'conversation'
  | 'message'
  | 'legalHold'
  | 'roleGrant'
  | 'retentionChange'
  | 'webhook'
  | 'serviceAccount'
  | 'auditSeq'
  | 'treeSize'
  | 'cursor'
  | 'eventId';

export class Unbuildable extends Error {}

// ---------------------------------------------------------------------------
// The OpenAPI document

export interface Schema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  items?: Schema;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** `METHOD /path/{param}` as in the document. */
  key: string;
  method: string;
  path: string;
  /** `x-required-access`: public, authenticated, platform or `<action> <Subject>`. */
  access: string;
  parameters: Parameter[];
  body?: Schema;
  /** Response statuses the document names. */
  statuses: number[];
}

interface DocumentOperation {
  'x-required-access': string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
}

export async function operationsOf(test: TestApp): Promise<Operation[]> {
  const response = await test.request({ method: 'GET', url: '/api/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`the OpenAPI document answered ${response.statusCode}`);
  const document = response.json<{ paths: Record<string, Record<string, DocumentOperation>> }>();
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      access: operation['x-required-access'],
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema,
      statuses: Object.keys(operation.responses).map(Number),
    })),
  );
}

/** Routes anyone may call: public ones, and the metrics scraper's while the API has no METRICS_TOKEN (as in these tests). */
export const isOpen = (operation: Operation) => operation.access === 'public' || operation.access === 'metrics';

/** What the permission snapshot says a role gets: the route, or a refusal (403; 401 on platform routes). */
export function mayCall(operation: Operation, role: Role, principal: { userId: string; tenantId: string }): boolean {
  if (isOpen(operation) || operation.access === 'authenticated') return true;
  if (operation.access === 'platform') return false;
  const ability = /^(\w+) (\w+)$/.exec(operation.access);
  if (!ability) throw new Unbuildable(`${operation.key}: unknown access "${operation.access}"`);
  return abilityFor({ ...principal, roles: [role] }).can(ability[1] as Action, ability[2] as SubjectName);
}

// ---------------------------------------------------------------------------
// Templates: request values with marked references

/** One place in a request that refers to a tenant's data. */
export class Reference {
  constructor(
    readonly kind: ReferenceKind,
    /** Where it sits: `path id`, `query cursor`, `body memberIds[]`… */
    readonly where: string,
  ) {}
}

/** A value made afresh for every request (emails that must be unique). */
class Fresh {
  constructor(readonly make: () => string) {}
}

type Template = null | boolean | number | string | Reference | Fresh | Template[] | { [key: string]: Template };
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Shape {
  operation: Operation;
  /** Which oneOf branch, when the body has several. */
  variant: string;
  params: Record<string, Template>;
  query: Record<string, Template>;
  body?: Template;
  references: Reference[];
}

const PATH_RESOURCES: Record<string, ReferenceKind> = {
  conversations: 'conversation',
  messages: 'message',
  users: 'user',
  webhooks: 'webhook',
  'service-accounts': 'serviceAccount',
  'legal-holds': 'legalHold',
  'role-grants': 'roleGrant',
  changes: 'retentionChange',
};

/**
 * Path parameters that name something of the caller's own organisation by a chat system's id
 * (integration mode): any value names the caller's own namespace, so they are plain values here.
 */
const PATH_VALUES: Record<string, string> = { source: 'matrix', externalId: 'matrix-person', tenant: 'an-organisation' };

/** Fields that look like references but hold another system's own ids (a chat system's, scoped by the service token; the OpenID provider's client id). */
const NOT_REFERENCES = new Set(['externalId', 'clientId']);

const FIELD_REFERENCES: Record<string, ReferenceKind> = {
  actorId: 'user',
  subjectUserId: 'user',
  personId: 'user',
  memberIds: 'user',
  conversationId: 'conversation',
  messageId: 'message',
  messageIds: 'message',
  seq: 'auditSeq',
  fromSeq: 'auditSeq',
  toSeq: 'auditSeq',
  treeSize: 'treeSize',
  cursor: 'cursor',
  lastEventId: 'eventId',
};

/** The reference kind a field holds; throws for a field that looks like a reference of no known kind. */
function referenceKind(name: string, schema: Schema, where: string): ReferenceKind | undefined {
  const known = FIELD_REFERENCES[name];
  if (known) return known;
  if (NOT_REFERENCES.has(name)) return undefined;
  // Tree sizes of a consistency proof; `from`/`to` elsewhere are timestamps.
  if ((name === 'from' || name === 'to') && schema.type === 'integer') return 'treeSize';
  if (schema.format === 'uuid' || schema.items?.format === 'uuid' || /(Id|Ids|Seq|Cursor)$/.test(name))
    throw new Unbuildable(`${where}: no reference kind for "${name}" (add it to FIELD_REFERENCES)`);
  return undefined;
}

function mentionsReference(schema: Schema, name: string | undefined, where: string): boolean {
  if (name !== undefined && referenceKind(name, schema, where)) return true;
  return (
    (schema.oneOf ?? schema.anyOf ?? []).some((branch) => mentionsReference(branch, name, where)) ||
    (schema.items ? mentionsReference(schema.items, undefined, where) : false) ||
    Object.entries(schema.properties ?? {}).some(([key, property]) => mentionsReference(property, key, `${where}.${key}`))
  );
}

const compilePattern = (pattern: string) => {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return new RegExp(pattern);
  }
};

function stringTemplate(schema: Schema, where: string): Template {
  if (schema.format === 'email') return new Fresh(() => `matrix-${randomBytes(4).toString('hex')}@matrix.test`);
  if (schema.format === 'uri') return 'https://hooks.example.test/matrix';
  if (schema.format === 'date-time') return new Date().toISOString();
  const text = 'matrix'.padEnd(schema.minLength ?? 0, '-').slice(0, schema.maxLength ?? 200);
  // A domain name (single sign-on's allowed domains) when the word alone does not fit the pattern.
  const fitting = [text, 'matrix.test'].find((candidate) => !schema.pattern || compilePattern(schema.pattern).test(candidate));
  if (fitting === undefined) throw new Unbuildable(`${where}: no value for the pattern ${schema.pattern} (add a hint)`);
  return fitting;
}

/**
 * Values valid for `schema`: the first is the plainest; the others differ from it in one oneOf
 * branch each. Optional properties are left out unless they hold a reference.
 */
function alternatives(schema: Schema, name: string | undefined, where: string): { value: Template; variant: string }[] {
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) {
    return branches.flatMap((branch, index) =>
      alternatives(branch, name, where).map((alternative) => ({
        value: alternative.value,
        variant: [describeBranch(branch, index), alternative.variant].filter(Boolean).join(' '),
      })),
    );
  }
  const kind = name === undefined ? undefined : referenceKind(name, schema, where);
  if (kind) return [{ value: schema.type === 'array' ? [new Reference(kind, `${where}[]`)] : new Reference(kind, where), variant: '' }];
  if ('const' in schema) return [{ value: schema.const as Template, variant: '' }];
  if (schema.enum) return [{ value: schema.enum[0] as Template, variant: '' }];
  switch (schema.type) {
    case 'string':
      return [{ value: stringTemplate(schema, where), variant: '' }];
    case 'integer':
    case 'number':
      return [{ value: schema.minimum ?? 0, variant: '' }];
    case 'boolean':
      return [{ value: false, variant: '' }];
    case 'array': {
      const minItems = schema.minItems ?? 0;
      return alternatives(schema.items ?? {}, undefined, `${where}[]`).map(({ value, variant }) => ({
        value: Array.from({ length: Math.max(minItems, 1) }, () => value),
        variant,
      }));
    }
    case 'object': {
      const required = new Set(schema.required ?? []);
      const properties = Object.entries(schema.properties ?? {});
      const included = properties.filter(([key, property]) => required.has(key) || mentionsReference(property, key, `${where}.${key}`));
      // An object of optional fields usually has to change something: it gets its first one.
      if (included.length === 0 && properties.length > 0) included.push(properties[0]);
      const options = included.map(([key, property]) => [key, alternatives(property, key, `${where}.${key}`)] as const);
      const plainest = Object.fromEntries(options.map(([key, values]) => [key, values[0].value]));
      const result = [
        {
          value: plainest as Template,
          variant: options
            .map(([, values]) => values[0].variant)
            .filter(Boolean)
            .join(' '),
        },
      ];
      for (const [key, values] of options)
        for (const other of values.slice(1)) result.push({ value: { ...plainest, [key]: other.value }, variant: other.variant });
      return result;
    }
    default:
      throw new Unbuildable(`${where}: no value for a schema of type ${schema.type ?? 'any'}`);
  }
}

function describeBranch(branch: Schema, index: number): string {
  const discriminator = Object.entries(branch.properties ?? {}).find(([, property]) => 'const' in property);
  return discriminator ? `${discriminator[0]}=${String(discriminator[1].const)}` : `branch ${index}`;
}

function referencesIn(template: Template | undefined): Reference[] {
  if (template instanceof Reference) return [template];
  if (Array.isArray(template)) return template.flatMap(referencesIn);
  if (template && typeof template === 'object' && !(template instanceof Fresh)) return Object.values(template).flatMap(referencesIn);
  return [];
}

/** Every request shape of an operation (one per body branch); throws Unbuildable when there is none. */
export function shapesOf(operation: Operation): Shape[] {
  const params: Record<string, Template> = {};
  const query: Record<string, Template> = {};
  const segments = operation.path.split('/');
  for (const parameter of operation.parameters) {
    const where = `${operation.key} ${parameter.in} ${parameter.name}`;
    // Headers (Idempotency-Key) belong to service-account routes, which every role is refused before reading them.
    if (parameter.in === 'header') continue;
    if (parameter.in === 'path' && PATH_VALUES[parameter.name] !== undefined) {
      params[parameter.name] = PATH_VALUES[parameter.name];
    } else if (parameter.in === 'path') {
      const resource = segments[segments.indexOf(`{${parameter.name}}`) - 1];
      const kind = FIELD_REFERENCES[parameter.name] ?? PATH_RESOURCES[resource];
      if (!kind) throw new Unbuildable(`${where}: no reference kind for /${resource}/{${parameter.name}} (add it to PATH_RESOURCES)`);
      params[parameter.name] = new Reference(kind, `path ${parameter.name}`);
    } else if (parameter.required || mentionsReference(parameter.schema, parameter.name, where)) {
      query[parameter.name] = alternatives(parameter.schema, parameter.name, `query ${parameter.name}`)[0].value;
    }
  }
  const bodies = operation.body ? alternatives(operation.body, undefined, 'body') : [{ value: undefined, variant: '' }];
  return bodies.map(({ value, variant }) => ({
    operation,
    variant,
    params,
    query,
    body: value,
    references: [...referencesIn(Object.values(params)), ...referencesIn(Object.values(query)), ...referencesIn(value)],
  }));
}

// ---------------------------------------------------------------------------
// Requests

export interface MatrixRequest {
  method: string;
  url: string;
  payload?: Json;
}

/** The request of a shape with each reference's value from `valueOf`. */
export async function requestFor(shape: Shape, valueOf: (reference: Reference) => Promise<Json>): Promise<MatrixRequest> {
  const resolve = async (template: Template | undefined): Promise<Json | undefined> => {
    if (template === undefined) return undefined;
    if (template instanceof Reference) return valueOf(template);
    if (template instanceof Fresh) return template.make();
    if (Array.isArray(template)) return Promise.all(template.map(async (item) => (await resolve(item)) as Json));
    if (template && typeof template === 'object') {
      const entries = await Promise.all(Object.entries(template).map(async ([key, value]) => [key, await resolve(value)] as const));
      return Object.fromEntries(entries) as Json;
    }
    return template;
  };
  const scalar = async (template: Template) => {
    const value = await resolve(template);
    if (value === null || typeof value === 'object')
      throw new Unbuildable(`${shape.operation.key}: a path or query value must be a scalar, got ${JSON.stringify(value)}`);
    return String(value);
  };
  let url = shape.operation.path;
  for (const [name, template] of Object.entries(shape.params)) url = url.replace(`{${name}}`, encodeURIComponent(await scalar(template)));
  const query = new URLSearchParams();
  for (const [name, template] of Object.entries(shape.query)) query.set(name, await scalar(template));
  const body = await resolve(shape.body);
  return { method: shape.operation.method, url: query.size ? `${url}?${query}` : url, ...(body === undefined ? {} : { payload: body }) };
}

export const callAs = (test: TestApp, user: TestUser | undefined, request: MatrixRequest) =>
  test.request({
    method: request.method,
    url: request.url,
    token: user?.token,
    payload: request.method === 'GET' || request.method === 'DELETE' ? undefined : (request.payload ?? {}),
  });

// ---------------------------------------------------------------------------
// Judging the answer a role gets

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

export const isProblem = (answer: Answer) => {
  const contentType = answer.headers['content-type'];
  return typeof contentType === 'string' && contentType.startsWith('application/problem+json');
};

/** The `code` of a problem answer. */
export const problemCode = (answer: Answer) => (isProblem(answer) ? (JSON.parse(answer.body) as { code?: string }).code : undefined);

/**
 * The permission snapshot's answer, with the caller's own tenant's data: a refused role gets 403
 * FORBIDDEN (401 on platform routes); an allowed role gets a success or one of the business answers
 * the operation documents (409, 422, 429) or the redirect it documents (sign-in through a provider) — never 401, 403 FORBIDDEN, 404 or 5xx, and never 400,
 * which would mean the matrix did not build a valid request. Undefined when the answer fits.
 */
export function misfit(operation: Operation, allowed: boolean, answer: Answer): string | undefined {
  const { statusCode } = answer;
  if (!allowed) {
    const refusal = operation.access === 'platform' ? 401 : 403;
    if (statusCode === refusal && isProblem(answer) && (refusal === 401 || problemCode(answer) === 'FORBIDDEN')) return undefined;
    return `refused by the snapshot, answered ${statusCode} ${problemCode(answer) ?? ''}`.trim();
  }
  if (statusCode >= 200 && statusCode < 300) return undefined;
  if (statusCode >= 300 && statusCode < 400 && operation.statuses.includes(statusCode)) return undefined;
  const business = statusCode >= 409 && statusCode < 500 && operation.statuses.includes(statusCode);
  if (business && isProblem(answer)) return undefined;
  return `allowed by the snapshot, answered ${statusCode} ${problemCode(answer) ?? ''}${statusCode === 400 ? ` (the matrix built an invalid request: ${answer.body.slice(0, 300)})` : ''}`.trim();
}
