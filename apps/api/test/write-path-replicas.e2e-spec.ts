import { SessionsRepository } from '../src/common/auth/sessions.repository';
import { ChangeFeed } from '../src/common/database/change-feed';
import { ownerClient } from './audit-fixtures';
import { createMessagingTenant, MESSAGING_PEOPLE, type MessagingTenant } from './messaging-fixtures';
import { loginOn, startReplicas, stopReplicas, type Answer, type Replica } from './fixtures/replica-processes';
import { PASSWORD, startTestApp, type TestApp } from './test-app';

type Call = Replica['call'];
type Probe = (token: string) => Promise<Answer>;

/** Each probe once, in order, each with its own session's token; answers route → status. */
const statusesOf = async (probes: Record<string, Probe>, tokenFor: (route: string) => string) => {
  const statuses: Record<string, number> = {};
  for (const [route, probe] of Object.entries(probes)) statuses[route] = (await probe(tokenFor(route))).status;
  return statuses;
};
const every = <T>(probes: Record<string, Probe>, value: T) => Object.fromEntries(Object.keys(probes).map((route) => [route, value]));
const refusedOrStatus = (statuses: Record<string, number>) =>
  Object.fromEntries(Object.entries(statuses).map(([route, status]) => [route, status === 401 || status === 403 ? '401 or 403' : status]));
const kidOf = (detail: { leaf: string }): string => JSON.parse(Buffer.from(detail.leaf, 'base64').toString('utf8')).content.kid;
const sessionIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).sid;

/** GET /me until it answers 200, for at most `ms` (a replica hears of a change by notification). */
async function meWithin(on: Call, token: string, ms: number): Promise<Answer> {
  const deadline = Date.now() + ms;
  let me = await on('GET', '/api/v1/me', { token });
  while (me.status !== 200 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 20));
    me = await on('GET', '/api/v1/me', { token });
  }
  return me;
}

/**
 * The write path's per-replica caches against two real API processes on one database (A and B):
 * B keeps sessions and unwrapped data keys in memory, and a change made through A must still
 * take effect on B's very next request — sessions through `app_enter` in every transaction and
 * the `retract_cache` notifications, content through the key row read on every open.
 */
describe('write path across two API processes', () => {
  let test: TestApp;
  let tenant: MessagingTenant;
  let replicas: Replica[] = [];
  let a: Replica;
  let b: Replica;
  let admin: string;

  beforeAll(async () => {
    test = await startTestApp();
    tenant = await createMessagingTenant(test, { ...MESSAGING_PEOPLE, auditor: ['COMPLIANCE'], reviewer: ['COMPLIANCE'], examiner: ['COMPLIANCE'] });
    replicas = await startReplicas(['api-A', 'api-B']);
    [a, b] = replicas;
    admin = await loginOn(a, tenant, 'admin');
  }, 150_000);

  afterAll(async () => {
    await stopReplicas(replicas);
    await test.close();
  });

  /** Logs in through A and makes one request with the token on B, so that B has the session in its cache. */
  const sessionWarmOnB = async (user: string, warmPath = '/api/v1/me') => {
    const token = await loginOn(a, tenant, user);
    const warm = await b.call('GET', warmPath, { token });
    if (warm.status !== 200) throw new Error(`warming ${user}'s session on B failed: ${warm.status} ${JSON.stringify(warm.body)}`);
    return token;
  };

  const sendAndRecall = async (replica: Replica, token: string, body: string) => {
    const sent = await replica.call('POST', `/api/v1/conversations/${tenant.launch}/messages`, { token, payload: { type: 'TEXT', body } });
    expect(sent.status).toBe(201);
    const recalled = await replica.call('POST', `/api/v1/messages/${sent.body.id}/recall`, { token, payload: {} });
    expect(recalled.status).toBe(200);
    return recalled.body.auditSeq as number;
  };

  describe('sessions', () => {
    /** The routes probed: each opens its transaction differently, or opens none that checks the session. */
    const employeeProbes = (on: Call): Record<string, Probe> => ({
      'POST /conversations/:id/messages (plain pg transaction)': (token) =>
        on('POST', `/api/v1/conversations/${tenant.launch}/messages`, { token, payload: { type: 'TEXT', body: 'probe' } }),
      'GET /conversations (Prisma transaction)': (token) => on('GET', '/api/v1/conversations', { token }),
      'GET /me': (token) => on('GET', '/api/v1/me', { token }),
      'GET /audit/public-keys (its transaction does not check the session)': (token) => on('GET', '/api/v1/audit/public-keys', { token }),
      'GET /events, one JSON page (idem)': (token) => on('GET', '/api/v1/events', { token }),
    });
    const complianceProbes = (on: Call, seq: number): Record<string, Probe> => ({
      'GET /audit (checks the session)': (token) => on('GET', '/api/v1/audit?limit=1', { token }),
      'GET /audit/:seq (checks the session)': (token) => on('GET', `/api/v1/audit/${seq}`, { token }),
      'POST /audit/verify (its transactions do not check the session)': (token) => on('POST', '/api/v1/audit/verify', { token, payload: {} }),
      'GET /audit/checkpoints/latest (idem)': (token) => on('GET', '/api/v1/audit/checkpoints/latest', { token }),
    });
    /** One session per probe, each warm in B's cache, so that each probe is its session's first request after the change. */
    const sessionsWarmOnB = async (probes: Record<string, Probe>, user: string, warmPath?: string) => {
      const tokens: Record<string, string> = {};
      for (const route of Object.keys(probes)) tokens[route] = await sessionWarmOnB(user, warmPath);
      return (route: string) => tokens[route];
    };
    let auditSeq: number;
    beforeAll(async () => {
      auditSeq = await sendAndRecall(a, await loginOn(a, tenant, 'bob'), 'an entry for the compliance probes');
    });

    it('control: every probe succeeds on B for a live session (so a 401 below is the session ending, not the probe)', async () => {
      const employee = await sessionWarmOnB('bob');
      expect(await statusesOf(employeeProbes(b.call), () => employee)).toEqual({
        'POST /conversations/:id/messages (plain pg transaction)': 201,
        'GET /conversations (Prisma transaction)': 200,
        'GET /me': 200,
        'GET /audit/public-keys (its transaction does not check the session)': 200,
        'GET /events, one JSON page (idem)': 200,
      });
      const auditor = await sessionWarmOnB('compliance', '/api/v1/audit?limit=1');
      const probes = complianceProbes(b.call, auditSeq);
      expect(await statusesOf(probes, () => auditor)).toEqual(every(probes, 200));
    });

    it('logout through A: the next request on B with that token is 401, on every route', async () => {
      const probes = employeeProbes(b.call);
      const statuses: Record<string, number> = {};
      for (const [route, probe] of Object.entries(probes)) {
        const token = await sessionWarmOnB('alice');
        expect((await a.call('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
        statuses[route] = (await probe(token)).status;
      }
      expect(statuses).toEqual(every(probes, 401));
    });

    it('deactivation through A (admin PATCH): the next request on B is 401 for every session of the user', async () => {
      const probes = employeeProbes(b.call);
      const tokenFor = await sessionsWarmOnB(probes, 'carol');
      const deactivated = await a.call('PATCH', `/api/v1/users/${tenant.users.carol.id}`, { token: admin, payload: { active: false } });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.active).toBe(false);
      expect(await statusesOf(probes, tokenFor)).toEqual(every(probes, 401));
      const again = await b.call('POST', '/api/v1/auth/login', { payload: { tenant: tenant.slug, email: tenant.users.carol.email, password: PASSWORD } });
      expect(again.status).toBe(401);
    });

    it('COMPLIANCE removed through A: the next request on B needing it is 403 or 401, never 200; the session then goes on with its new roles', async () => {
      const probes = complianceProbes(b.call, auditSeq);
      const tokenFor = await sessionsWarmOnB(probes, 'auditor', '/api/v1/audit?limit=1');
      const afterwards = await sessionWarmOnB('auditor', '/api/v1/audit?limit=1');

      const changed = await a.call('PATCH', `/api/v1/users/${tenant.users.auditor.id}`, { token: admin, payload: { roles: ['EMPLOYEE'] } });
      expect(changed.status).toBe(200);
      expect(changed.body.roles).toEqual(['EMPLOYEE']);
      expect(refusedOrStatus(await statusesOf(probes, tokenFor))).toEqual(every(probes, '401 or 403'));

      // A role change does not end the session: once B has heard of it (within a second), it serves the new roles.
      expect(await meWithin(b.call, afterwards, 1000)).toMatchObject({ status: 200, body: { roles: ['EMPLOYEE'] } });
      expect((await b.call('GET', '/api/v1/audit?limit=1', { token: afterwards })).status).toBe(403);
    });

    /**
     * "Exactness comes from the database": a change B has not heard of yet (its notification is
     * still on the way) must already be refused by every transaction B opens. The change is made
     * in the database with triggers off (session_replication_role = replica), so no notification
     * is sent at all and B's cache keeps the session: what B refuses then, it refuses by itself.
     */
    describe('before B has heard of the change', () => {
      const changeUnheard = async (statement: string, params: unknown[]) => {
        const owner = await ownerClient();
        try {
          await owner.query('BEGIN');
          await owner.query('SET LOCAL session_replication_role = replica');
          await owner.query(statement, params);
          await owner.query('COMMIT');
        } finally {
          await owner.end();
        }
      };

      it('a revoked session is refused (401) on every route', async () => {
        const probes = employeeProbes(b.call);
        const tokenFor = await sessionsWarmOnB(probes, 'alice');
        await changeUnheard('UPDATE sessions SET revoked_at = now() WHERE id = ANY ($1::uuid[])', [
          Object.keys(probes).map((route) => sessionIdOf(tokenFor(route))),
        ]);
        expect(await statusesOf(probes, tokenFor)).toEqual(every(probes, 401));
      });

      it('a removed role is refused (401 or 403) on every route needing it', async () => {
        const probes = complianceProbes(b.call, auditSeq);
        const tokenFor = await sessionsWarmOnB(probes, 'reviewer', '/api/v1/audit?limit=1');
        await changeUnheard(`UPDATE users SET roles = '{EMPLOYEE}' WHERE tenant_id = $1 AND id = $2`, [tenant.id, tenant.users.reviewer.id]);
        expect(refusedOrStatus(await statusesOf(probes, tokenFor))).toEqual(every(probes, '401 or 403'));
      });
    });

    /**
     * A change committed while a replica is still reading a session for its cache (its first
     * request with that token) must not leave the session in that cache as it was before the
     * change. The replica here is the in-process app, whose first read is held until the change
     * made through A has committed and the app has heard its notification.
     */
    describe('while the replica is still reading the session for its cache', () => {
      const inProcess: Call = async (method, path, options = {}) => {
        const response = await test.request({ method, url: path, token: options.token, payload: options.payload });
        return { status: response.statusCode, body: /json/.test(String(response.headers['content-type'])) ? response.json() : response.body };
      };
      /** Resolves once the in-process app has handled the notification `payload` (its own handlers run first). */
      const heardInProcess = (payload: string) =>
        new Promise<void>((heard) => test.app.get(ChangeFeed).subscribe('retract_cache', (received) => received === payload && heard()));
      const holdFirstSessionRead = (whileHeld: () => Promise<void>) => {
        const read = SessionsRepository.prototype.findLive;
        return jest.spyOn(SessionsRepository.prototype, 'findLive').mockImplementationOnce(async function (this: SessionsRepository, ...args) {
          const user = await read.apply(this, args);
          await whileHeld();
          return user;
        });
      };

      it('logout through A: the ended session is not served from the cache afterwards', async () => {
        const token = await loginOn(a, tenant, 'alice');
        const heard = heardInProcess(`session:${sessionIdOf(token)}`);
        const held = holdFirstSessionRead(async () => {
          expect((await a.call('POST', '/api/v1/auth/logout', { token })).status).toBe(204);
          await heard;
        });
        try {
          await inProcess('GET', '/api/v1/me', { token }); // began while the session was live: either answer is right
          expect(held).toHaveBeenCalledTimes(1);
          const probes = employeeProbes(inProcess);
          expect(await statusesOf(probes, () => token)).toEqual(every(probes, 401));
        } finally {
          held.mockRestore();
        }
      });

      it('COMPLIANCE removed through A: the old roles are not kept, and the session goes on with its new roles', async () => {
        const token = await loginOn(a, tenant, 'examiner');
        const heard = heardInProcess(`user:${tenant.id}:${tenant.users.examiner.id}`);
        const held = holdFirstSessionRead(async () => {
          expect((await a.call('PATCH', `/api/v1/users/${tenant.users.examiner.id}`, { token: admin, payload: { roles: ['EMPLOYEE'] } })).status).toBe(200);
          await heard;
        });
        try {
          await inProcess('GET', '/api/v1/audit?limit=1', { token }); // began while the role was held: either answer is right
          expect(held).toHaveBeenCalledTimes(1);
          const probes = complianceProbes(inProcess, auditSeq);
          const refused = refusedOrStatus(await statusesOf(probes, () => token));
          const me = await meWithin(inProcess, token, 1000);
          expect({ refused, me: [me.status, me.body.roles] }).toEqual({ refused: every(probes, '401 or 403'), me: [200, ['EMPLOYEE']] });
        } finally {
          held.mockRestore();
        }
      });
    });
  });

  describe('erasure', () => {
    it("erasure through A: content B opened a moment ago is ERASED on B at once; the person's content recalled later on B is sealed under a fresh key", async () => {
      const alice = await loginOn(a, tenant, 'alice');
      const compliance = await loginOn(a, tenant, 'compliance');
      const open = (replica: Replica, seq: number) => replica.call('GET', `/api/v1/audit/${seq}`, { token: compliance });

      const onA = await sendAndRecall(a, alice, 'sealed on A');
      // B seals one of alice's recalls too, so B holds her unwrapped data key in its cache.
      const onB = await sendAndRecall(b, alice, 'sealed on B');
      const kept = await a.call('POST', `/api/v1/conversations/${tenant.launch}/messages`, {
        token: alice,
        payload: { type: 'TEXT', body: 'sent before the erasure' },
      });
      expect(kept.status).toBe(201);
      const before = [await open(b, onA), await open(b, onB)];
      expect(before.map((r) => [r.status, r.body.content?.state, r.body.content?.value?.body])).toEqual([
        [200, 'READABLE', 'sealed on A'],
        [200, 'READABLE', 'sealed on B'],
      ]);
      const key = kidOf(before[0].body);
      expect(kidOf(before[1].body)).toBe(key);

      const erased = await a.call('POST', '/api/v1/erasure-requests', {
        token: compliance,
        payload: { subjectUserId: tenant.users.alice.id, reason: 'GDPR Art. 17 request' },
      });
      expect(erased.status).toBe(200);
      expect(erased.body.keysDestroyed).toBeGreaterThanOrEqual(1);

      const after = [await open(b, onA), await open(b, onB)];
      expect(after.map((r) => [r.status, r.body.content?.state, r.body.content?.value])).toEqual([
        [200, 'ERASED', undefined],
        [200, 'ERASED', undefined],
      ]);

      // Erasure ends the person's account (docs/audit-log.md, "Personal data"); what they sent before can still be recalled by compliance.
      expect((await b.call('GET', '/api/v1/me', { token: alice })).status).toBe(401);
      const recalled = await b.call('POST', `/api/v1/messages/${kept.body.id}/recall`, {
        token: compliance,
        payload: { force: true, reason: 'after the erasure' },
      });
      expect(recalled.status).toBe(200);
      const fresh = recalled.body.auditSeq as number;
      const opened = await open(b, fresh);
      expect([opened.status, opened.body.content?.state, opened.body.content?.value?.body]).toEqual([200, 'READABLE', 'sent before the erasure']);
      expect(kidOf(opened.body)).not.toBe(key);
      expect((await open(a, fresh)).body.content?.state).toBe('READABLE');
    });
  });
});
