import { inTenant, type Db } from '@retract/db';
import { Client } from 'pg';
import { toProblemException } from '../src/common/problem/problem.filter';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { ownerDb, requireEnv, startTestApp, type TestApp } from './test-app';

/**
 * Free text is kept exactly as sent or refused with a 400 problem naming the field — never a 500
 * (docs/architecture.md, "Free text"). PostgreSQL text cannot hold NUL, and UTF-8 cannot hold a
 * lone surrogate: such strings are refused by the request schemas before anything is attempted.
 */
describe('free text: stored exactly as sent, or refused by field', () => {
  let test: TestApp;
  let owner: Db;
  let acme: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    owner = ownerDb();
    acme = await createMessagingTenant(test);
  });
  afterAll(async () => {
    await owner.$disconnect();
    await test.close();
  });

  const MALFORMED = { NUL: 'before\u0000after', 'lone high surrogate': 'before\ud800after', 'lone low surrogate': 'before\udfffafter' };
  /** Bidi overrides, a BOM, an emoji (a surrogate pair), CJK, surrounding whitespace and control characters PostgreSQL can hold. */
  const UNUSUAL = ' \ufeff\u202eevil\u202c \u2067\u05e9\u05dc\u05d5\u05dd\u2069 撤回 🙈\u0007\t\n ';

  const auditOf = (messageId: string) =>
    inTenant(owner, { tenantId: acme.id }, (tx) => tx.auditEntry.findMany({ where: { tenantId: acme.id, messageId }, orderBy: { seq: 'asc' } }));

  const expectFieldProblem = (response: Awaited<ReturnType<TestApp['request']>>, field: string) => {
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.json()).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field, code: 'invalid_format', message: 'must not contain NUL characters or unpaired surrogates' }],
    });
  };

  describe.each(Object.entries(MALFORMED))('%s', (_name, text) => {
    it('in a message body: 400 naming body, nothing stored', async () => {
      const send = await test.request({
        method: 'POST',
        url: `/api/v1/conversations/${acme.direct}/messages`,
        token: acme.users.alice.token,
        payload: { type: 'TEXT', body: text },
      });
      expectFieldProblem(send, 'body');
      const list = await test.request({ method: 'GET', url: `/api/v1/conversations/${acme.direct}/messages`, token: acme.users.alice.token });
      expect(list.json().items.map((m: { body: string }) => m.body)).not.toContain(text);
    });

    it('in a recall reason: 400 naming reason before anything is attempted; the same attempt with a readable reason is recorded', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      expectFieldProblem(await recall(test, acme.users.bob, id, { reason: text }), 'reason');
      expectFieldProblem(await recall(test, acme.users.alice, id, { reason: text }), 'reason');
      expectFieldProblem(await recall(test, acme.users.compliance, id, { reason: text, force: true }), 'reason');
      expect(await auditOf(id)).toEqual([]);
      const message = await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.alice.token });
      expect(message.json().state).toBe('ACTIVE');

      expect((await recall(test, acme.users.bob, id, { reason: 'readable' })).statusCode).toBe(403);
      const entries = await auditOf(id);
      // The reason is sealed personal data (docs/audit-log.md, "Personal data"): compliance reads it through the API.
      const recorded = await Promise.all(
        entries.map(async (entry) => {
          const view = await test.request({ method: 'GET', url: `/api/v1/audit/${entry.seq}`, token: acme.users.compliance.token });
          return [entry.action, entry.denialCode, view.json().reason];
        }),
      );
      expect(recorded).toEqual([['RECALL_DENIED', 'NOT_SENDER', 'readable']]);
    });

    it('in a batch recall reason: 400 naming reason, nothing recorded', async () => {
      const id = await sendText(test, acme.users.alice, acme.launch);
      expectFieldProblem(
        await test.request({ method: 'POST', url: '/api/v1/messages/recall', token: acme.users.bob.token, payload: { messageIds: [id], reason: text } }),
        'reason',
      );
      expect(await auditOf(id)).toEqual([]);
    });

    it('in a legal hold matter: 400 naming matter, no hold placed', async () => {
      const before = (await test.request({ method: 'GET', url: '/api/v1/legal-holds', token: acme.users.compliance.token })).json().items.length;
      expectFieldProblem(
        await test.request({
          method: 'POST',
          url: '/api/v1/legal-holds',
          token: acme.users.compliance.token,
          payload: { scope: 'USER', subjectUserId: acme.users.bob.id, matter: text },
        }),
        'matter',
      );
      expect((await test.request({ method: 'GET', url: '/api/v1/legal-holds', token: acme.users.compliance.token })).json().items).toHaveLength(before);
    });
  });

  it('keeps bidi overrides, a BOM, emoji, CJK and surrounding whitespace exactly: message body, recall reason, hold matter', async () => {
    const id = await sendText(test, acme.users.alice, acme.launch, UNUSUAL);
    const message = await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token });
    expect(message.json().body).toBe(UNUSUAL);

    const recalled = await recall(test, acme.users.alice, id, { reason: UNUSUAL });
    expect(recalled.statusCode).toBe(200);
    expect(recalled.json().reEditDraft.body).toBe(UNUSUAL);
    const entry = await test.request({ method: 'GET', url: `/api/v1/audit/${recalled.json().auditSeq}`, token: acme.users.compliance.token });
    expect(entry.json().reason).toBe(UNUSUAL);

    const hold = await test.request({
      method: 'POST',
      url: '/api/v1/legal-holds',
      token: acme.users.compliance.token,
      payload: { scope: 'TENANT', matter: UNUSUAL },
    });
    expect(hold.statusCode).toBe(201);
    const holds = (await test.request({ method: 'GET', url: '/api/v1/legal-holds', token: acme.users.compliance.token })).json().items;
    expect(holds.find((h: { id: string }) => h.id === hold.json().id).matter).toBe(UNUSUAL);
  });

  it('refuses a users cursor that decodes to NUL (users are compared by email) with a 400 naming it', async () => {
    const response = await test.request({
      method: 'GET',
      url: `/api/v1/users?cursor=${Buffer.from('\u0000').toString('base64url')}`,
      token: acme.users.admin.token,
    });
    expect({ status: response.statusCode, type: response.headers['content-type'] }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'query.cursor', code: 'invalid_cursor' })]);
  });

  it('answers PostgreSQL refusing a string (22021 in text, 22P05 in jsonb), through Prisma or pg, with a 400 problem should any slip past the schemas', async () => {
    const refusal = (query: Promise<unknown>) =>
      query.then(
        () => undefined,
        (error: unknown) => error,
      );
    const client = new Client({ connectionString: requireEnv('TEST_APP_DATABASE_URL') });
    await client.connect();
    try {
      const errors = [
        await refusal(test.db.$queryRaw`SELECT ${'a\u0000b'}::text`),
        await refusal(test.db.$queryRaw`SELECT ${'["a\\u0000b"]'}::jsonb`),
        await refusal(client.query('SELECT $1::text', ['a\u0000b'])),
        await refusal(client.query('SELECT $1::jsonb', ['["a\\u0000b"]'])),
      ];
      expect(errors.map((error) => toProblemException(error).init)).toEqual(Array(4).fill(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' })));
    } finally {
      await client.end();
    }
  });
});
