import { DEMO_PASSWORD, seedDemo } from '../../../prisma/seed/demo';
import { startTestApp, type TestApp } from './test-app';

/** DESIGN §7 / issue 4 "Done when": the demo lets a new user try each flow, with real audit entries. */
describe('demo data', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp();
    await seedDemo(test.config.APP_DATABASE_URL, () => undefined, { auditKek: test.config.AUDIT_KEK });
    await seedDemo(test.config.APP_DATABASE_URL); // a second run changes nothing
  }, 60_000);
  afterAll(() => test.close());

  const login = async (tenant: string, email: string) => {
    const response = await test.request({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant, email, password: DEMO_PASSWORD } });
    expect(response.statusCode).toBe(200);
    return response.json().accessToken as string;
  };
  const conversation = async (token: string, kind: string) =>
    (await test.request({ method: 'GET', url: '/api/v1/conversations', token })).json().items.find((c: { kind: string }) => c.kind === kind);
  const messages = async (token: string, conversationId: string) =>
    (await test.request({ method: 'GET', url: `/api/v1/conversations/${conversationId}/messages`, token })).json().items as {
      state: string;
      notice: string | null;
      recallKind: string | null;
      body: string | null;
    }[];

  it('acme: bob sees alice\'s recall in "Launch" as a notice; alice sees her own; reach and audit are real', async () => {
    const bob = await login('acme', 'bob@acme.test');
    const launch = await conversation(bob, 'GROUP');
    expect(launch.title).toBe('Launch');
    const forBob = await messages(bob, launch.id);
    expect(forBob.filter((m) => m.state === 'RECALLED').map((m) => m.notice)).toEqual([
      'A message was removed by your organisation',
      'Alice Anders recalled a message',
    ]);
    expect(forBob.filter((m) => m.state === 'ACTIVE').length).toBeGreaterThanOrEqual(4);
    const alice = await login('acme', 'alice@acme.test');
    const forAlice = await messages(alice, launch.id);
    expect(forAlice.find((m) => m.recallKind === 'SENDER')).toMatchObject({ notice: 'You recalled a message', recallReach: { recipients: 2, applied: 1 } });

    const admin = await login('acme', 'admin@acme.test');
    expect((await test.request({ method: 'GET', url: '/api/v1/policy', token: admin })).json()).toMatchObject({
      version: 2,
      settings: { maxRecallsPerHour: 20 },
    });
  });

  it('a month of history: recalls and refusals spread over the last 30 days at their own times, the log in seq order with times never running backwards, and it verifies', async () => {
    const compliance = await login('acme', 'compliance@acme.test');
    const insights = (await test.request({ method: 'GET', url: '/api/v1/insights/recalls?bucket=day', token: compliance })).json();
    expect(insights.totals.recalled).toBeGreaterThanOrEqual(20);
    expect(insights.totals.forced).toBeGreaterThanOrEqual(1);
    expect(insights.totals.denied).toBeGreaterThanOrEqual(8);
    // The month is the same script every day, but which day falls on a weekend moves: only what every run has is asserted.
    expect(Object.keys(insights.deniedByCode)).toContain('WINDOW_EXPIRED');
    expect(Object.keys(insights.deniedByCode).length).toBeGreaterThanOrEqual(2);
    const activeDays = insights.series.filter((day: { recalled: number; denied: number }) => day.recalled + day.denied > 0).length;
    expect(activeDays).toBeGreaterThanOrEqual(12);

    const times: number[] = [];
    const seqs: number[] = [];
    for (let cursor: number | undefined; ;) {
      const page = (
        await test.request({ method: 'GET', url: `/api/v1/audit?limit=200${cursor === undefined ? '' : `&cursor=${cursor}`}`, token: compliance })
      ).json();
      for (const entry of page.items) {
        seqs.push(entry.seq);
        times.push(Date.parse(entry.occurredAt));
      }
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    // Newest first: seq strictly down, time never up.
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1])).toBe(true);
    expect(times[0] - times[times.length - 1]).toBeGreaterThan(25 * 24 * 3600_000);
    const verify = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: compliance, payload: {} });
    expect(verify.json()).toMatchObject({ ok: true });
  });

  it('acme has a Japanese-speaking person whose conversations hold Japanese, and Chinese from a colleague', async () => {
    const sato = await login('acme', 'sato@acme.test');
    expect((await test.request({ method: 'GET', url: '/api/v1/me', token: sato })).json()).toMatchObject({ displayName: '佐藤 花子', locale: 'ja' });
    const tokyo = (await test.request({ method: 'GET', url: '/api/v1/conversations', token: sato }))
      .json()
      .items.find((c: { title: string | null }) => c.title === '東京オフィス');
    const bodies = (await messages(sato, tokyo.id)).map((m) => m.body ?? '');
    expect(bodies.some((b) => /[\u3040-\u30ff]/.test(b))).toBe(true);
    const own = (await test.request({ method: 'GET', url: '/api/v1/conversations', token: sato })).json().items as { id: string }[];
    const notices = (await Promise.all(own.map((c) => messages(sato, c.id))))
      .flat()
      .filter((m) => m.recallKind === 'SENDER')
      .map((m) => m.notice);
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.every((notice) => /メッセージの送信を取り消しました$/.test(notice ?? ''))).toBe(true);
  });

  it("globex: li sees 王伟's recall as a zh-CN notice", async () => {
    const li = await login('globex', 'li@globex.test');
    const direct = await conversation(li, 'DIRECT');
    const recalled = (await messages(li, direct.id)).find((m) => m.state === 'RECALLED');
    expect(recalled).toMatchObject({ notice: '王伟 撤回了一条消息', body: null });
    const wang = await login('globex', 'wang@globex.test');
    expect((await messages(wang, direct.id)).find((m) => m.state === 'RECALLED')?.notice).toBe('你撤回了一条消息');
  });
});
