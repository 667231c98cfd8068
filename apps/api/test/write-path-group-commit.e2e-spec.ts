import type { Client } from 'pg';
import { gapFree, logShape, ownerClient, waitUntil } from './audit-fixtures';
import { createMessagingTenant, recall, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

const CONCURRENT = 50;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/**
 * Group commit over HTTP: recalls queue their audit entries in their own transactions and the
 * sequencer integrates them in batches, one `audit_integrate` per batch, which advances the head
 * once and notifies `retract_audit` once with the new size. A client LISTENing on that channel
 * therefore sees one notification per batch.
 */
describe('audit group commit', () => {
  let test: TestApp;
  let owner: Client;
  let tenant: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await ownerClient();
    tenant = await createMessagingTenant(test);
  });
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  const verify = async () => (await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} })).json();

  it(`${CONCURRENT} concurrent recalls of ${CONCURRENT} messages: all 200, seqs distinct and gap-free, the log verifies, in fewer batches than entries`, async () => {
    const { alice } = tenant.users;
    const ids: string[] = [];
    for (let i = 0; i < CONCURRENT; i++) ids.push(await sendText(test, alice, tenant.launch, `message ${i}`));
    const before = await logShape(owner, tenant.id);
    expect(before).toEqual(gapFree(before.size));

    const listener = await ownerClient();
    const notifiedSizes: number[] = [];
    listener.on('notification', (message) => {
      const [tenantId, size] = (message.payload ?? '').split(':');
      if (message.channel === 'retract_audit' && tenantId === tenant.id) notifiedSizes.push(Number(size));
    });
    await listener.query('LISTEN retract_audit');
    try {
      const responses = await Promise.all(ids.map((id) => recall(test, alice, id)));
      expect(responses.map((r) => r.statusCode)).toEqual(ids.map(() => 200));
      const seqs = responses.map((r) => r.json().auditSeq as number);
      expect([...seqs].sort((x, y) => x - y)).toEqual(range(before.size, CONCURRENT));
      expect(await logShape(owner, tenant.id)).toEqual(gapFree(before.size + CONCURRENT));

      // Every batch notified at its commit; the last one names the final size.
      await waitUntil('the last batch is notified', () => notifiedSizes.includes(before.size + CONCURRENT));
    } finally {
      await listener.end();
    }
    const batchSizes = notifiedSizes.map((size, i) => size - (i === 0 ? before.size : notifiedSizes[i - 1]));
    expect(batchSizes.every((n) => n >= 1)).toBe(true);
    expect(batchSizes.reduce((sum, n) => sum + n, 0)).toBe(CONCURRENT);
    expect(notifiedSizes.length).toBeLessThan(CONCURRENT);

    expect(await verify()).toMatchObject({ ok: true, checked: before.size + CONCURRENT, treeSize: before.size + CONCURRENT, problems: [] });
  });

  it(`${CONCURRENT} concurrent recalls of one message: one 200, ${CONCURRENT - 1} ALREADY_RECALLED, one MESSAGE_RECALLED entry, nothing left pending`, async () => {
    const { alice } = tenant.users;
    const id = await sendText(test, alice, tenant.launch, 'recalled fifty times at once');
    const before = await logShape(owner, tenant.id);

    const responses = await Promise.all(range(0, CONCURRENT).map(() => recall(test, alice, id)));
    const won = responses.filter((r) => r.statusCode === 200);
    const lost = responses.filter((r) => r.statusCode !== 200);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => [r.statusCode, r.json().code, r.json().auditSeq])).toEqual(range(0, CONCURRENT - 1).map(() => [409, 'ALREADY_RECALLED', null]));
    expect(won[0].json().auditSeq).toBe(before.size);

    const { rows } = await owner.query<{ seq: string; action: string }>(
      'SELECT seq::text, action::text FROM audit_entries WHERE tenant_id = $1 AND message_id = $2',
      [tenant.id, id],
    );
    expect(rows).toEqual([{ seq: String(before.size), action: 'MESSAGE_RECALLED' }]);
    expect(await logShape(owner, tenant.id)).toEqual(gapFree(before.size + 1));
    expect(await verify()).toMatchObject({ ok: true, checked: before.size + 1, problems: [] });
  });
});
