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
    const insights = (await test.request({ method: 'GET', url: '/api/v1/insights/recalls', token: admin })).json();
    expect(insights.totals).toEqual({ recalled: 3, forced: 1, denied: 1 });
    expect(insights.deniedByCode).toEqual({ WINDOW_EXPIRED: 1 });
    expect((await test.request({ method: 'GET', url: '/api/v1/policy', token: admin })).json()).toMatchObject({
      version: 2,
      settings: { maxRecallsPerHour: 20 },
    });
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
