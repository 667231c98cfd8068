import { generateOpenApiDocument } from './offline-document';

interface Operation {
  summary: string;
  requestBody?: { description?: string; content: Record<string, { schema: { properties?: Record<string, { description?: string }> } }> };
}

/** What a client reads of a write before sending it: the body of the policy, retention, legal-hold and role-grant routes is said in words. */
describe('request bodies in the OpenAPI document', () => {
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    paths = (await generateOpenApiDocument()).paths as Record<string, Record<string, Operation>>;
  }, 60_000);

  it('describes the body of every write to the policy, retention and legal holds', () => {
    const writes = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method, operation]) => ['post', 'put', 'patch'].includes(method) && operation.requestBody)
        .filter(() => /^\/api\/v1\/(policy|policy\/retention|legal-holds)$/.test(path))
        .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, description: operation.requestBody?.description ?? '' })),
    );
    expect(writes.map((write) => write.route).sort()).toEqual(['POST /api/v1/legal-holds', 'PUT /api/v1/policy', 'PUT /api/v1/policy/retention']);
    for (const write of writes) expect({ route: write.route, described: write.description.length > 10 }).toEqual({ route: write.route, described: true });
  });

  it('says what expectedVersion of PUT /policy is and what a stale one answers', () => {
    const body = paths['/api/v1/policy'].put.requestBody!.content['application/json'].schema;
    expect(body.properties?.expectedVersion.description).toContain('409 VERSION_CONFLICT');
    expect(body.properties?.days).toBeUndefined();
    expect(paths['/api/v1/policy/retention'].put.requestBody!.content['application/json'].schema.properties?.days.description).toContain('crypto-shredded');
  });

  it('takes no body to decide a role grant, and says so', () => {
    for (const decision of ['approve', 'refuse']) {
      const operation = paths[`/api/v1/role-grants/{id}/${decision}`].post;
      expect(operation.requestBody).toBeUndefined();
      expect(operation.summary).toContain('no request body');
    }
  });
});
