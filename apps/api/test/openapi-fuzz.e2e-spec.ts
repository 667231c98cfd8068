import fc from 'fast-check';
import {
  at,
  fieldValues,
  freeTextPaths,
  pathsOf,
  percentEncode,
  queryString,
  requestMutations,
  valueFor,
  withValueAt,
  EXTRA_KEYS,
  type FieldPath,
  type FieldValue,
  type Hints,
  type Json,
  type JsonSchema,
  type RequestMutation,
} from './fixtures/openapi-arbitraries';
import {
  FUZZ_CONFIG,
  OPERATION_PLANS,
  RUN_LAST,
  commonHints,
  createFuzzWorld,
  tokenFor,
  type FuzzRequest,
  type FuzzWorld,
  type OperationPlan,
} from './fixtures/openapi-fuzz-plans';
import { startTestApp, type TestApp } from './test-app';

/**
 * Property-based fuzzing generated from the OpenAPI document (issue 9, suite item 5). For every
 * operation that takes input: a valid request generated from its schemas, then one field mutated
 * (wrong type, empty, huge, NUL, lone surrogates, bidi overrides, BOM, deep nesting, extra fields)
 * or the request itself (wrong content type, malformed or deeply nested JSON, a body above the
 * limit, broken percent-encoding), sent by a role allowed to call it. Properties: no 5xx; every
 * error an RFC 9457 problem; free text of an accepted request reads back exactly as sent.
 *
 * FUZZ_RUNS cases per operation (default 12); FUZZ_SEED replays a run (a failure prints its seed
 * and path).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = process.env.FUZZ_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.FUZZ_SEED);

interface Operation {
  id: string;
  method: string;
  path: string;
  pathParams: JsonSchema;
  query: JsonSchema;
  body?: JsonSchema;
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'field'; part: 'params' | 'query' | 'body'; path: FieldPath; replacement: FieldValue | 'removed' }
  | { kind: 'extra'; part: 'query' | 'body'; path: FieldPath; key: string; value: FieldValue }
  | RequestMutation;

interface FuzzCase {
  request: FuzzRequest;
  mutation: Mutation;
}

interface OpenApiOperation {
  operationId: string;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation.requestBody && operation.parameters.length === 0) continue;
      const parameters = (where: 'path' | 'query'): JsonSchema => {
        const list = operation.parameters.filter((parameter) => parameter.in === where);
        return {
          type: 'object',
          properties: Object.fromEntries(list.map((p) => [p.name, p.schema])),
          required: list.filter((p) => p.required).map((p) => p.name),
        };
      };
      operations.push({
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        pathParams: parameters('path'),
        query: parameters('query'),
        body: operation.requestBody?.content['application/json'].schema,
      });
    }
  }
  return operations;
}

const asRecord = (value: Json): Record<string, Json> => (value && typeof value === 'object' && !Array.isArray(value) ? value : {});

function validRequest(operation: Operation, hints: Hints, plan: OperationPlan): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      params: valueFor(operation.pathParams, hints).map(asRecord),
      query: valueFor(operation.query, hints).map(asRecord),
      ...(operation.body ? { body: valueFor(operation.body, hints) } : {}),
    })
    .map((request) => (plan.fix ? plan.fix(request) : request));
}

function mutationsOf(operation: Operation, request: FuzzRequest): fc.Arbitrary<Mutation> {
  const targets: { part: 'params' | 'query' | 'body'; path: FieldPath; current: Json }[] = [
    ...Object.entries(request.params).map(([name, value]) => ({ part: 'params' as const, path: [name], current: value })),
    ...Object.keys(operation.query.properties ?? {}).map((name) => ({ part: 'query' as const, path: [name], current: request.query[name] ?? '' })),
    ...(request.body === undefined ? [] : pathsOf(request.body).map((path) => ({ part: 'body' as const, path, current: at(request.body, path) as Json }))),
  ];
  const objectPaths: { part: 'query' | 'body'; path: FieldPath }[] = [
    { part: 'query', path: [] },
    ...(request.body === undefined
      ? []
      : [
          { part: 'body' as const, path: [] },
          ...pathsOf(request.body)
            .filter((path) => {
              const value = at(request.body, path);
              return !!value && typeof value === 'object' && !Array.isArray(value);
            })
            .map((path) => ({ part: 'body' as const, path })),
        ]),
  ];
  const field = (): fc.Arbitrary<Mutation> =>
    fc.constantFrom(...targets).chain((target) =>
      fc.oneof(
        {
          weight: 8,
          arbitrary: fieldValues(target.current).map((replacement): Mutation => ({ kind: 'field', part: target.part, path: target.path, replacement })),
        },
        { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'field', part: target.part, path: target.path, replacement: 'removed' }) },
      ),
    );
  const extra: fc.Arbitrary<Mutation> = fc
    .record({ at: fc.constantFrom(...objectPaths), key: fc.constantFrom(...EXTRA_KEYS), value: fieldValues('x') })
    .map(({ at: where, key, value }): Mutation => ({ kind: 'extra', part: where.part, path: where.path, key, value }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
    ...(targets.length ? [{ weight: 10, arbitrary: field() }] : []),
    { weight: 2, arbitrary: extra },
    { weight: 3, arbitrary: requestMutations(operation.body !== undefined) },
  );
}

/** The request as sent after the mutation (the raw forms bypass JSON.stringify). */
function applyMutation(request: FuzzRequest, mutation: Mutation): FuzzRequest {
  if (mutation.kind === 'field') {
    const part = mutation.part === 'body' ? (request.body as Json) : request[mutation.part];
    const value = mutation.replacement === 'removed' ? undefined : mutation.replacement.value;
    const changed = withValueAt(part, mutation.path, value);
    return mutation.part === 'body' ? { ...request, body: changed } : { ...request, [mutation.part]: asRecord(changed) };
  }
  if (mutation.kind === 'extra') {
    const part = (mutation.part === 'body' ? request.body : request.query) as Json;
    const target = asRecord(at(part, mutation.path) as Json);
    // Built with defineProperty so that '__proto__' becomes an own key, as JSON.parse would make it.
    const extended: Record<string, Json> = { ...target };
    Object.defineProperty(extended, mutation.key, { value: mutation.value.value, enumerable: true, configurable: true, writable: true });
    const changed = mutation.path.length ? withValueAt(part, mutation.path, extended) : extended;
    return mutation.part === 'body' ? { ...request, body: changed } : { ...request, query: asRecord(changed) };
  }
  return request;
}

interface Wire {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress: string;
}

function toWire(
  operation: Operation,
  sent: FuzzRequest,
  mutation: Mutation,
  token: string | undefined,
  limit: number,
  remoteAddress: string,
  extraHeaders: Record<string, string> = {},
): Wire {
  const headers: Record<string, string> = { ...extraHeaders, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = sent.params[name];
    return percentEncode(typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));
  });
  if (mutation.kind === 'raw-path') path = operation.path.includes('{') ? operation.path.replace(/\{[^}]+\}/, mutation.raw) : `${path}/${mutation.raw}`;
  let query = queryString(sent.query);
  if (mutation.kind === 'raw-query') query = [query, mutation.raw].filter(Boolean).join('&');
  const url = query ? `${path}?${query}` : path;
  if (operation.body === undefined) return { method: operation.method, url, headers, remoteAddress };
  headers['content-type'] = 'application/json';
  let payload: string | Buffer | undefined = sent.body === undefined ? undefined : JSON.stringify(sent.body);
  switch (mutation.kind) {
    case 'content-type':
      if (mutation.contentType === null) delete headers['content-type'];
      else headers['content-type'] = mutation.contentType;
      break;
    case 'malformed-json':
    case 'deep-json':
      payload = mutation.raw;
      break;
    case 'huge-body':
      payload = JSON.stringify({ ...asRecord(sent.body ?? {}), padding: 'x'.repeat(limit) });
      break;
    case 'invalid-utf8': {
      // Bytes that are not UTF-8 (a stray 0xFF, an overlong NUL, an encoded surrogate) inside a free-text value, else a field of their own.
      const [path] = freeTextPaths(operation.body, sent.body as Json);
      const marked = path ? withValueAt(sent.body as Json, path, INVALID_UTF8_MARK) : { ...asRecord(sent.body ?? {}), x: INVALID_UTF8_MARK };
      const [before, after] = JSON.stringify(marked).split(INVALID_UTF8_MARK);
      payload = Buffer.concat([Buffer.from(before), Buffer.from([0x61, 0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(after)]);
      break;
    }
  }
  return { method: operation.method, url, headers, payload, remoteAddress };
}

const describeMutation = (mutation: Mutation): string => {
  switch (mutation.kind) {
    case 'none':
      return 'valid as generated';
    case 'field':
      return `${mutation.part}.${mutation.path.join('.') || '(root)'} ← ${mutation.replacement === 'removed' ? 'removed' : mutation.replacement.label}`;
    case 'extra':
      return `${mutation.part}.${[...mutation.path, JSON.stringify(mutation.key)].join('.')} added (${mutation.value.label})`;
    case 'content-type':
      return `content-type ${mutation.contentType ?? '(none)'}`;
    case 'malformed-json':
      return `body ${JSON.stringify(mutation.raw.slice(0, 40))}`;
    case 'deep-json':
      return `JSON nested ${mutation.raw.length / 2} deep`;
    case 'huge-body':
      return 'body above the limit';
    case 'invalid-utf8':
      return 'invalid UTF-8 in the body';
    case 'raw-query':
      return `query ${mutation.raw.slice(0, 40)}`;
    case 'raw-path':
      return `path ${mutation.raw.slice(0, 40)}`;
  }
};

const INVALID_UTF8_MARK = 'mark-where-the-invalid-utf8-goes';

const clip = (text: string, length = 300) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

describe('OpenAPI fuzzing: one field mutated, no 5xx, every error a problem, text kept exactly', () => {
  let test: TestApp;
  let world: FuzzWorld;
  let operations: Map<string, Operation>;
  const counts = new Map<string, { cases: number; accepted: number; readBack: number }>();
  let limit: number;

  beforeAll(async () => {
    test = await startTestApp(FUZZ_CONFIG);
    limit = test.config.BODY_LIMIT_BYTES;
    world = await createFuzzWorld(test);
    const document = (await test.request({ method: 'GET', url: '/api/openapi.json' })).json();
    operations = new Map(operationsOf(document).map((operation) => [operation.id, operation]));
  }, 60_000);

  afterAll(async () => {
    const total = [...counts.values()].reduce((sum, count) => sum + count.cases, 0);
    const lines = [...counts.entries()].map(([id, count]) => `  ${id}: ${count.cases} cases, ${count.accepted} accepted, ${count.readBack} values read back`);
    process.stdout.write(`\nfuzz cases run: ${total} over ${counts.size} operations (FUZZ_RUNS=${RUNS}, FUZZ_SEED=${SEED})\n${lines.join('\n')}\n`);
    await test?.close();
  });

  it('has a plan for every operation of the OpenAPI document that takes input', () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(OPERATION_PLANS).sort());
  });

  const order = [...Object.keys(OPERATION_PLANS).filter((id) => !RUN_LAST.includes(id)), ...RUN_LAST];

  it.each(order)(
    '%s',
    async (operationId) => {
      const operation = operations.get(operationId);
      const plan = OPERATION_PLANS[operationId];
      expect(operation).toBeDefined();
      if (!operation) return;
      const hints = { ...commonHints(world), ...plan.hints?.(world) };
      const count = { cases: 0, accepted: 0, readBack: 0 };
      counts.set(operationId, count);
      let sequence = 0;
      const cases: fc.Arbitrary<FuzzCase> = validRequest(operation, hints, plan).chain((request) =>
        mutationsOf(operation, request).map((mutation) => ({ request, mutation })),
      );

      await fc.assert(
        fc.asyncProperty(cases, async ({ request, mutation }) => {
          count.cases++;
          const prepared = plan.prepare ? await plan.prepare(world) : {};
          const base: FuzzRequest = {
            params: { ...request.params, ...prepared.params },
            query: { ...request.query, ...prepared.query },
            ...(request.body === undefined ? {} : { body: prepared.body ? { ...asRecord(request.body), ...asRecord(prepared.body) } : request.body }),
          };
          const sent = applyMutation(base, mutation);
          // Each case from its own address: the fuzzer's failed logins must not throttle anyone else's.
          const wire = toWire(
            operation,
            sent,
            mutation,
            tokenFor(world, plan.actor),
            limit,
            `10.99.${(sequence >> 8) & 255}.${sequence++ & 255}`,
            plan.headers?.(),
          );
          const response = await test.app.inject({
            method: wire.method as 'GET',
            url: wire.url,
            headers: wire.headers,
            payload: wire.payload,
            remoteAddress: wire.remoteAddress,
          });
          const context = `${wire.method} ${clip(wire.url, 160)} — ${describeMutation(mutation)}\nsent: ${clip(String(wire.payload ?? ''))}\nanswer ${response.statusCode} ${response.headers['content-type'] ?? ''}: ${clip(response.body)}`;

          expect({ context, serverError: response.statusCode >= 500 }).toEqual({ context, serverError: false });
          if (response.statusCode >= 400) {
            expect({ context, contentType: String(response.headers['content-type']) }).toEqual({
              context,
              contentType: expect.stringMatching(/^application\/problem\+json/),
            });
            const problem = response.json<Record<string, unknown>>();
            expect({ context, type: typeof problem.type, title: typeof problem.title, status: problem.status }).toEqual({
              context,
              type: 'string',
              title: 'string',
              status: response.statusCode,
            });
            return;
          }
          // JSON is UTF-8 (RFC 8259 §8.1): anything else would be stored with U+FFFD in place of what was sent.
          expect({ context, acceptedInvalidUtf8: mutation.kind === 'invalid-utf8' }).toEqual({ context, acceptedInvalidUtf8: false });
          count.accepted++;
          plan.after?.(world, sent);
          if (!plan.readBack || mutation.kind === 'content-type') return;
          const kept = await plan.readBack(world, { statusCode: response.statusCode, json: () => response.json<Json>() }, sent);
          for (const path of freeTextPaths(operation.body, sent.body as Json)) {
            const value = at(kept, path);
            if (typeof value !== 'string') continue;
            count.readBack++;
            expect({ context, path: path.join('.'), value }).toEqual({ context, path: path.join('.'), value: at(sent.body, path) });
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    60_000 + RUNS * 1_000,
  );
});
