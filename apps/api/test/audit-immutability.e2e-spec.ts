import { Client } from 'pg';
import { appendEntries, recalledDraft } from './audit-fixtures';
import { createTenant, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

/** Append-only in the database itself: no role, not even the owner, may change or remove audit rows. */
describe('audit tables are append-only', () => {
  let test: TestApp;
  let tenant: TestTenant;
  const clients: Record<'app' | 'owner', Client> = {} as never;

  beforeAll(async () => {
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: '2' });
    tenant = await createTenant(test);
    await appendEntries(test, tenant, [recalledDraft(tenant, 'alice', 'one'), recalledDraft(tenant, 'alice', 'two'), recalledDraft(tenant, 'bob', 'three')]);
    clients.app = new Client({ connectionString: requireEnv('TEST_APP_DATABASE_URL') });
    clients.owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await Promise.all(Object.values(clients).map((client) => client.connect()));
  });
  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.end()));
    await test.close();
  });

  /**
   * The statement's outcome. TRUNCATE … CASCADE locks every table it reaches before the trigger
   * refuses it, so specs working on the same database at the same time can make it a deadlock's
   * victim: that says nothing of the refusal, and the attempt is made again.
   */
  async function attempt(who: 'app' | 'owner', sql: string): Promise<string> {
    for (let tries = 1; ; tries++) {
      const outcome = await attemptOnce(who, sql);
      if (outcome !== 'deadlock detected' || tries === 5) return outcome;
    }
  }

  async function attemptOnce(who: 'app' | 'owner', sql: string): Promise<string> {
    const client = clients[who];
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.id]);
      await client.query(sql);
      return 'allowed';
    } catch (error) {
      return (error as Error).message;
    } finally {
      await client.query('ROLLBACK');
    }
  }

  const statements = (table: string, set: string) => [
    [`UPDATE ${table}`, `UPDATE ${table} SET ${set}`],
    [`DELETE ${table}`, `DELETE FROM ${table}`],
    [`TRUNCATE ${table}`, `TRUNCATE ${table} CASCADE`],
  ];

  describe.each(['app', 'owner'] as const)('as the %s role', (who) => {
    it.each([
      ...statements('audit_entries', "leaf = '\\x00'"),
      ...statements('audit_tree_nodes', "hash = '\\x00'"),
      ...statements('audit_checkpoints', "note = 'x'"),
      ...statements('audit_signing_keys', "public_key = '\\x00'"),
      ['DELETE audit_data_keys', 'DELETE FROM audit_data_keys'],
      ['TRUNCATE audit_data_keys', 'TRUNCATE audit_data_keys'],
      ['UPDATE audit_data_keys subject', `UPDATE audit_data_keys SET subject_user_id = gen_random_uuid()`],
      ['DELETE audit_log_heads', 'DELETE FROM audit_log_heads'],
      ['shrink audit_log_heads', 'UPDATE audit_log_heads SET size = 0'],
    ])('refuses %s', async (_name, sql) => {
      const outcome = await attempt(who, sql);
      expect(outcome).toMatch(/not allowed|permission denied|may only grow|can only be destroyed|append-only/);
    });
  });

  it('lets the app destroy a data key (crypto-shredding) but never restore one', async () => {
    expect(await attempt('app', `UPDATE audit_data_keys SET wrapped_key = NULL, destroyed_at = now(), destroyed_reason = 'ERASURE'`)).toBe('allowed');
    expect(await attempt('owner', `UPDATE audit_data_keys SET wrapped_key = '\\x01'`)).toMatch(/can only be destroyed/);
  });
});
