import type { Client } from 'pg';
import { CheckpointSigner } from '../src/modules/audit/checkpoint-signer';
import { holdLock, logShape, ownerClient, waitUntil } from './audit-fixtures';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

const EVERY = 5;

/**
 * Checkpoints are signed in the background every AUDIT_CHECKPOINT_EVERY entries, never inside a
 * request. The test holds the signer's per-tenant lock (`checkpoint:<tenant>`, taken first by
 * every signing) while the requests run: if any request waited for a signature it could not be
 * answered until the lock is released.
 */
describe('checkpoints signed in the background', () => {
  let test: TestApp;
  let owner: Client;
  let tenant: MessagingTenant;
  let signer: CheckpointSigner;

  beforeAll(async () => {
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: String(EVERY) });
    owner = await ownerClient();
    tenant = await createMessagingTenant(test);
    signer = test.app.get(CheckpointSigner);
  });
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  const largestCheckpoint = async () =>
    (await owner.query<{ size: number | null }>('SELECT max(size)::int AS size FROM audit_checkpoints WHERE tenant_id = $1', [tenant.id])).rows[0].size ?? 0;
  const withinSeconds = <T>(seconds: number, work: Promise<T>) =>
    Promise.race([work, new Promise<'no answer'>((done) => setTimeout(() => done('no answer'), seconds * 1000).unref())]);

  it(`with AUDIT_CHECKPOINT_EVERY=${EVERY}, ${EVERY} recalls are answered while the signer is held up; once it is idle a checkpoint covers them`, async () => {
    const { alice } = tenant.users;
    const ids: string[] = [];
    for (let i = 0; i < EVERY; i++) ids.push(await sendText(test, alice, tenant.launch, `to be recalled ${i}`));
    await signer.idle();
    const before = await logShape(owner, tenant.id);
    const signedBefore = await largestCheckpoint();
    expect(signedBefore).toBeLessThan(before.size + EVERY);

    const signing = await holdLock('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`checkpoint:${tenant.id}`]);
    try {
      const answers = await Promise.all(ids.map((id) => withinSeconds(10, recall(test, alice, id))));
      expect(answers.map((answer) => (answer === 'no answer' ? answer : answer.statusCode))).toEqual(ids.map(() => 200));
      expect((await logShape(owner, tenant.id)).size).toBe(before.size + EVERY);
      // The log crossed a multiple of EVERY, so a signing started; it waits for the lock this test holds.
      await waitUntil('the signer waits for the checkpoint lock', async () => (await signing.waiting()) >= 1);
      expect(await largestCheckpoint()).toBe(signedBefore);
    } finally {
      await signing.release();
    }

    await signer.idle();
    expect(await largestCheckpoint()).toBe(before.size + EVERY);
    const latest = await test.request({ method: 'GET', url: '/api/v1/audit/checkpoints/latest', token: tenant.users.compliance.token });
    expect(latest.statusCode).toBe(200);
    expect(latest.json().treeSize).toBe(before.size + EVERY);
    expect(latest.json().treeSize).toBeGreaterThanOrEqual(EVERY);
    const verification = await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} });
    expect(verification.json()).toMatchObject({ ok: true, checked: before.size + EVERY, treeSize: before.size + EVERY, problems: [] });
  });
});
