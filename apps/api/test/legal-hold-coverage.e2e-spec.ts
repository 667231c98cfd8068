import { createMessagingTenant, placeHold, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

type Coverage = {
  subjectUserId: string;
  person: { id: string; displayName: string; email: string } | null;
  held: boolean;
  holds: { reason: string; hold: { id: string; scope: string; matter: string }; heldPerson: { id: string } | null }[];
};

/**
 * GET /api/v1/legal-holds/coverage: which active holds cover a person and why, the same rule that
 * refuses their erasure (docs/architecture.md, "Who can do what").
 */
describe('legal hold coverage of a person', () => {
  let test: TestApp;
  let tenant: MessagingTenant;
  let other: MessagingTenant;

  const get = (who: string, subjectUserId: string, on = tenant) =>
    test.request({ method: 'GET', url: `/api/v1/legal-holds/coverage?subjectUserId=${subjectUserId}`, token: on.users[who].token });
  const coverage = async (subjectUserId: string): Promise<Coverage> => {
    const response = await get('compliance', subjectUserId);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const place = (payload: Record<string, unknown>) => placeHold(test, tenant.users.compliance, payload);
  const release = async (id: string) => {
    const response = await test.request({ method: 'DELETE', url: `/api/v1/legal-holds/${id}`, token: tenant.users.compliance.token });
    expect(response.statusCode).toBe(200);
  };
  const erase = (subjectUserId: string) =>
    test.request({ method: 'POST', url: '/api/v1/erasure-requests', token: tenant.users.compliance.token, payload: { subjectUserId, reason: 'DSR-1' } });

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createMessagingTenant(test);
    other = await createMessagingTenant(test);
    const { alice } = tenant.users;
    // alice's recalled content now sits in her direct conversation with bob (sealed under alice's key).
    expect((await recall(test, alice, await sendText(test, alice, tenant.direct, 'alice to bob'))).statusCode).toBe(200);
  });
  afterAll(() => test.close());

  it('nobody is held without a hold; the person is named', async () => {
    const alice = await coverage(tenant.users.alice.id);
    expect(alice).toMatchObject({ subjectUserId: tenant.users.alice.id, held: false, holds: [] });
    expect(alice.person).toMatchObject({ id: tenant.users.alice.id, email: tenant.users.alice.email });
  });

  it('a USER hold covers the held person (PERSON) and whoever sent them recalled content (RECEIVED), and erasure agrees', async () => {
    const onBob = await place({ scope: 'USER', subjectUserId: tenant.users.bob.id, matter: 'Bob matter' });
    try {
      expect(await coverage(tenant.users.bob.id)).toMatchObject({ held: true, holds: [{ reason: 'PERSON', hold: { id: onBob, matter: 'Bob matter' } }] });
      const alice = await coverage(tenant.users.alice.id);
      expect(alice).toMatchObject({
        held: true,
        holds: [{ reason: 'RECEIVED', hold: { id: onBob, scope: 'USER' }, heldPerson: { id: tenant.users.bob.id } }],
      });
      // dave shares no conversation with bob; carol shares Launch but has no recalled content in it.
      expect(await coverage(tenant.users.dave.id)).toMatchObject({ held: false, holds: [] });
      expect(await coverage(tenant.users.carol.id)).toMatchObject({ held: false, holds: [] });

      const refused = await erase(tenant.users.alice.id);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'LEGAL_HOLD_ACTIVE', holdIds: alice.holds.map((covering) => covering.hold.id) });
    } finally {
      await release(onBob);
    }
    expect(await coverage(tenant.users.alice.id)).toMatchObject({ held: false, holds: [] });
  });

  it('a TENANT hold covers everyone (ORGANISATION); a CONVERSATION hold covers who has recalled content there (CONVERSATION)', async () => {
    const onOrganisation = await place({ scope: 'TENANT', matter: 'Everything' });
    const onDirect = await place({ scope: 'CONVERSATION', conversationId: tenant.direct, matter: 'Direct' });
    try {
      expect(await coverage(tenant.users.dave.id)).toMatchObject({
        held: true,
        holds: [{ reason: 'ORGANISATION', hold: { id: onOrganisation }, heldPerson: null }],
      });
      const alice = await coverage(tenant.users.alice.id);
      // Newest first.
      expect(alice.holds.map((covering) => [covering.reason, covering.hold.id])).toEqual([
        ['CONVERSATION', onDirect],
        ['ORGANISATION', onOrganisation],
      ]);
      expect((await coverage(tenant.users.bob.id)).holds.map((covering) => covering.reason)).toEqual(['ORGANISATION']);
    } finally {
      await release(onOrganisation);
      await release(onDirect);
    }
  });

  it('is for compliance officers only', async () => {
    for (const who of ['admin', 'alice']) expect((await get(who, tenant.users.bob.id)).statusCode).toBe(403);
  });

  it('a person of another organisation is not found, and says nothing about its holds', async () => {
    await placeHold(test, other.users.compliance, { scope: 'USER', subjectUserId: other.users.bob.id, matter: 'Other organisation matter' });
    const response = await get('compliance', other.users.bob.id);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('Other organisation matter');
    // And their hold does not reach into this organisation.
    expect(await coverage(tenant.users.bob.id)).toMatchObject({ held: false, holds: [] });
  });

  it.each([['not-a-uuid'], ['']])('a malformed person id (%p) is a 400 problem naming the field', async (id) => {
    const response = await get('compliance', id);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain('subjectUserId');
  });
});
