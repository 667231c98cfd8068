import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDatabaseIfMissing, dropDatabase, migrate, withDatabase } from '../../../tools/runtime/src/database';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { requireEnv, startTestApp, type TestApp } from './test-app';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * `npm run keys -- rotate` (docs/keys.md, "Rotation"), run as the command it is, on a database of its
 * own (a rotation covers every organisation, and other test files share theirs with a single KEK).
 */
describe('KEK rotation command', () => {
  const name = `retract_keys_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const ownerUrl = withDatabase(requireEnv('TEST_OWNER_DATABASE_URL'), name);
  const appUrl = withDatabase(requireEnv('TEST_APP_DATABASE_URL'), name);
  const first = randomBytes(32).toString('base64');
  const second = randomBytes(32).toString('base64');
  let owner: Client;
  let before: TestApp;
  let acme: MessagingTenant;
  // Nothing listens there: the webhook and the provider are only sealed secrets to re-wrap.
  const unreachableTargets = { WEBHOOK_ALLOWED_TARGETS: '127.0.0.1:9', SSO_ALLOWED_ISSUERS: '127.0.0.1:9', SSO_ALLOW_INSECURE_ISSUERS: 'true' };

  beforeAll(async () => {
    await createDatabaseIfMissing(ownerUrl);
    migrate(ownerUrl);
    owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    await owner.query(`GRANT CONNECT ON DATABASE "${name}" TO retract_app`);
    before = await startTestApp({ APP_DATABASE_URL: appUrl, AUDIT_KEK: first, AUDIT_KEK_ID: 'local-1', ...unreachableTargets });
    acme = await createMessagingTenant(before);
  }, 60_000);
  afterAll(async () => {
    await before.close();
    await owner.end();
    await dropDatabase(ownerUrl);
  });

  const keys = (command: string, env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/runtime/src/keys-cli.ts'), command], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), APP_DATABASE_URL: appUrl, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const wrappedUnder = async (kekId: string) =>
    (
      await owner.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM audit_data_keys WHERE kek_id = $1 AND wrapped_key IS NOT NULL)
              + (SELECT count(*) FROM audit_signing_keys WHERE kek_id = $1)
              + (SELECT count(*) FROM webhooks WHERE kek_id = $1)
              + (SELECT count(*) FROM sso_providers WHERE kek_id = $1)
              + (SELECT count(*) FROM messages WHERE content_kek_id = $1) AS n`,
        [kekId],
      )
    ).rows[0].n;

  it('re-wraps every data key, signing key, webhook secret, SSO client secret and message key under the new KEK, seals clear rows, and retires the old KEK', async () => {
    const { alice, bob, admin, compliance } = acme.users;
    const live = await sendText(before, alice, acme.launch, 'still readable after rotation');
    const recalled = await sendText(before, alice, acme.launch, 'recalled before rotation');
    expect((await recall(before, alice, recalled)).statusCode).toBe(200);
    expect((await before.request({ method: 'POST', url: '/api/v1/audit/checkpoints', token: compliance.token })).statusCode).toBeLessThan(300);
    const hook = await before.request({
      method: 'POST',
      url: '/api/v1/webhooks',
      token: admin.token,
      payload: { url: 'http://127.0.0.1:9/hook', eventTypes: ['message.created'] },
    });
    expect(hook.statusCode).toBe(201);
    const sso = await before.request({
      method: 'PUT',
      url: '/api/v1/sso',
      token: admin.token,
      payload: {
        issuer: 'http://127.0.0.1:9/idp',
        clientId: 'retract',
        clientSecret: 'sealed client secret',
        allowedDomains: ['example.com'],
        passwordLogin: true,
      },
    });
    expect(sso.statusCode).toBe(200);
    const clear = '0b0b0b0b-0000-4000-8000-00000000c1ea';
    await owner.query(`INSERT INTO messages (tenant_id, id, conversation_id, sender_id, type, body) VALUES ($1, $2, $3, $4, 'TEXT', 'stored in clear')`, [
      acme.id,
      clear,
      acme.launch,
      alice.id,
    ]);
    expect(await wrappedUnder('local-1')).toBe('5');

    const rotated = keys('rotate', { AUDIT_KEKS: `local-1:${first},k2:${second}`, AUDIT_KEK_ID: 'k2' });
    expect(rotated.stderr).toBe('');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(
      /organisation 1\/1 \([0-9a-f-]{36}\): 1 data keys, 1 signing keys, 1 webhook secrets, 1 SSO client secrets, 1 message keys re-wrapped; 1 messages sealed/,
    );
    expect(rotated.stdout).toMatch(/retired local-1: nothing is wrapped under it any more/);
    expect(await wrappedUnder('local-1')).toBe('0');
    expect((await owner.query('SELECT kek_id, replaced_by FROM kek_retirements')).rows).toEqual([{ kek_id: 'local-1', replaced_by: 'k2' }]);
    expect((await owner.query('SELECT body, content_kek_id FROM messages WHERE id = $1', [clear])).rows).toEqual([{ body: null, content_kek_id: 'k2' }]);

    // An API holding only the new KEK reads, opens recalled content, signs and verifies: the old one can be destroyed.
    const after = await startTestApp({ APP_DATABASE_URL: appUrl, AUDIT_KEK: '', AUDIT_KEKS: `k2:${second}`, AUDIT_KEK_ID: 'k2', ...unreachableTargets });
    try {
      // Starting a sign-in unseals the client secret before it reaches for the provider (which is not there).
      const start = await after.request({ method: 'GET', url: `/api/v1/auth/sso/${acme.slug}/start` });
      expect(start.statusCode).toBe(302);
      expect(String(start.headers.location)).toContain('ssoError=SSO_PROVIDER_UNREACHABLE');
      for (const [id, body] of [
        [live, 'still readable after rotation'],
        [clear, 'stored in clear'],
      ]) {
        expect((await after.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: bob.token })).json()).toMatchObject({ body });
      }
      const [entry] = (await owner.query<{ seq: string }>(`SELECT seq FROM audit_entries WHERE message_id = $1 AND action = 'MESSAGE_RECALLED'`, [recalled]))
        .rows;
      const detail = await after.request({ method: 'GET', url: `/api/v1/audit/${entry.seq}`, token: compliance.token });
      expect(detail.json().content).toMatchObject({ state: 'READABLE', value: { body: 'recalled before rotation' } });
      expect((await after.request({ method: 'POST', url: '/api/v1/audit/checkpoints', token: compliance.token })).statusCode).toBeLessThan(300);
      const verified = await after.request({ method: 'POST', url: '/api/v1/audit/verify', token: compliance.token, payload: {} });
      expect(verified.json()).toMatchObject({ ok: true });
    } finally {
      await after.close();
    }

    expect(keys('status', { AUDIT_KEKS: `k2:${second}`, AUDIT_KEK_ID: 'k2' }).stdout).toMatch(/everything is wrapped under the active KEK\nretired: local-1/);
    const refused = keys('rotate', { AUDIT_KEKS: `local-1:${first},k2:${second}`, AUDIT_KEK_ID: 'local-1' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/the active KEK local-1 was retired/);
  }, 120_000);

  it('finds the database as npm start does: DATABASE_URL as the retract_app role, with its password', () => {
    const status = keys('status', {
      APP_DATABASE_URL: '',
      DATABASE_URL: ownerUrl,
      APP_DB_PASSWORD: decodeURIComponent(new URL(appUrl).password),
      AUDIT_KEKS: `k2:${second}`,
      AUDIT_KEK_ID: 'k2',
    });
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/^active KEK: k2\n/);
  });

  it('says what to do when it cannot reach the database, and a status is not a "rotation" that failed', () => {
    const status = keys('status', { APP_DATABASE_URL: 'postgres://retract_app:x@127.0.0.1:9/retract', AUDIT_KEKS: `k2:${second}`, AUDIT_KEK_ID: 'k2' });
    expect(status.status).toBe(1);
    expect(status.stderr).toMatch(
      /^key status failed: cannot connect to APP_DATABASE_URL \(.*ECONNREFUSED.*\)\. Run it beside a running `npm start` with the same DATABASE_URL/,
    );
  });
});
