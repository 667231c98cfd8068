import { bucketStart } from '../src/modules/insights/insights.service';
import { controlClock, createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { createServiceAccount, externalMessage, recordRecall } from './integration-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** Recall insights, counted from the audit trail: buckets, denials by code, top recallers; by role. */
describe('recall insights', () => {
  let test: TestApp;
  let acme: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    acme = await createMessagingTenant(test);
    const { alice, bob, compliance } = acme.users;
    const clock = controlClock(test);
    try {
      for (let i = 0; i < 3; i++) await recall(test, alice, await sendText(test, alice, acme.launch, `a${i}`));
      await recall(test, bob, await sendText(test, bob, acme.launch, 'b'));
      const old = await sendText(test, bob, acme.launch, 'late');
      clock.advance(10 * 60_000);
      await recall(test, bob, old); // WINDOW_EXPIRED
      await recall(test, alice, old); // NOT_SENDER
      await recall(test, compliance, old, { force: true, reason: 'harassment' });
    } finally {
      clock.restore();
    }
  });
  afterAll(() => test.close());

  describe.each([
    ['admin', 200],
    ['compliance', 200],
    ['alice', 403],
  ])('as %s', (who, status) => {
    it(`answers ${status}`, async () => {
      const response = await test.request({ method: 'GET', url: '/api/v1/insights/recalls', token: acme.users[who].token });
      expect(response.statusCode).toBe(status);
    });
  });

  it('counts recalls, forced recalls and denials per bucket, denials by code, and ranks recallers', async () => {
    const response = await test.request({ method: 'GET', url: '/api/v1/insights/recalls?bucket=hour', token: acme.users.compliance.token });
    const body = response.json();
    expect(body.totals).toEqual({ recalled: 5, forced: 1, denied: 2 });
    expect(body.deniedByCode).toEqual({ WINDOW_EXPIRED: 1, NOT_SENDER: 1 });
    expect(body.bySource).toEqual([{ source: null, recalled: 5, forced: 1, denied: 2 }]);
    expect([720, 721]).toContain(body.series.length);
    expect(body.series.reduce((sum: number, b: { recalled: number }) => sum + b.recalled, 0)).toBe(5);
    expect(body.series[0].start).toBe(bucketStart(new Date(body.from), 'hour').toISOString());
    expect(body.topRecallers.slice(0, 3)).toEqual([
      { userId: acme.users.alice.id, displayName: 'alice', recalled: 3, denied: 1 },
      { userId: acme.users.bob.id, displayName: 'bob', recalled: 1, denied: 1 },
      { userId: acme.users.compliance.id, displayName: 'compliance', recalled: 1, denied: 0 },
    ]);
  });

  it('respects the range and refuses ranges with too many buckets or reversed ends', async () => {
    const token = acme.users.admin.token;
    const empty = await test.request({ method: 'GET', url: '/api/v1/insights/recalls?from=2020-01-01T00:00:00Z&to=2020-01-08T00:00:00Z&bucket=day', token });
    expect(empty.json()).toMatchObject({ totals: { recalled: 0, forced: 0, denied: 0 }, deniedByCode: {}, bySource: [], topRecallers: [] });
    expect(empty.json().series.map((b: { start: string }) => b.start)).toEqual(Array.from({ length: 7 }, (_, i) => `2020-01-0${i + 1}T00:00:00.000Z`));
    const weeks = await test.request({ method: 'GET', url: '/api/v1/insights/recalls?from=2020-01-01T00:00:00Z&to=2020-01-15T00:00:00Z&bucket=week', token });
    expect(weeks.json().series[0].start).toBe('2019-12-30T00:00:00.000Z'); // the Monday of that week
    const tooMany = await test.request({ method: 'GET', url: '/api/v1/insights/recalls?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z&bucket=hour', token });
    expect(tooMany.statusCode).toBe(400);
    const reversed = await test.request({ method: 'GET', url: '/api/v1/insights/recalls?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z', token });
    expect(reversed.statusCode).toBe(400);
    expect((await test.request({ method: 'GET', url: '/api/v1/insights/recalls?bucket=minute', token })).statusCode).toBe(400);
  });

  it('breaks recalls down by source: built-in messaging and each integrated chat system', async () => {
    const globex = await createMessagingTenant(test);
    await recall(test, globex.users.alice, await sendText(test, globex.users.alice, globex.launch, 'built-in'));
    const { token } = await createServiceAccount(test, globex.users.admin);
    const inSource = (source: string, sender: string) => {
      const message = externalMessage({ sentAt: new Date(), sender });
      return { ...message, source, sender: { source, externalId: sender }, conversation: { ...message.conversation, source } };
    };
    const recallAs = (message: ReturnType<typeof inSource>, actor: string) =>
      recordRecall(test, token, { message, actor: { source: message.source, externalId: actor }, reason: 'wrong room' });
    expect((await recallAs(inSource('rocketchat', 'u-ann'), 'u-ann')).statusCode).toBe(201);
    expect((await recallAs(inSource('rocketchat', 'u-ann'), 'u-ann')).statusCode).toBe(201);
    expect((await recallAs(inSource('rocketchat', 'u-ann'), 'u-ben')).statusCode).toBe(403); // NOT_SENDER
    expect((await recallAs(inSource('mattermost', 'm-cy'), 'm-cy')).statusCode).toBe(201);

    const body = (await test.request({ method: 'GET', url: '/api/v1/insights/recalls', token: globex.users.compliance.token })).json();
    expect(body.totals).toEqual({ recalled: 4, forced: 0, denied: 1 });
    expect(body.bySource).toEqual([
      { source: 'rocketchat', recalled: 2, forced: 0, denied: 1 },
      { source: null, recalled: 1, forced: 0, denied: 0 },
      { source: 'mattermost', recalled: 1, forced: 0, denied: 0 },
    ]);
  });
});
