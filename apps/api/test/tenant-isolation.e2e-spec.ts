import { Client } from 'pg';
import { createTenant, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

/** The database's own lock on the door: RLS on every tenant table, failing closed. */
describe('row level security', () => {
  let test: TestApp;
  let acme: TestTenant;
  let globex: TestTenant;
  let owner: Client;
  let app: Client;

  beforeAll(async () => {
    test = await startTestApp();
    acme = await createTenant(test);
    globex = await createTenant(test);
    owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    app = new Client({ connectionString: requireEnv('TEST_APP_DATABASE_URL') });
    await Promise.all([owner.connect(), app.connect()]);
  });
  afterAll(async () => {
    await Promise.all([owner.end(), app.end()]);
    await test.close();
  });

  /**
   * Not tenant data, readable by every session by policy: which master KEKs a rotation retired
   * (prisma/migrations/20261215090000_kek_retirements_rls.sql). Specs that rotate keys write to it.
   */
  const SHARED_TABLES = ['kek_retirements'];
  const publicTables = async () =>
    (
      await owner.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations'
          ORDER BY c.relname`,
      )
    ).rows;

  it('keeps no organisation data in the tables every session reads', async () => {
    const { rows } = await owner.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name = ANY($1)`,
      [SHARED_TABLES],
    );
    expect(rows).toEqual([]);
  });

  it('enables and forces RLS on every table', async () => {
    const tables = await publicTables();
    expect(tables.length).toBeGreaterThanOrEqual(15);
    for (const table of tables) {
      expect({ table: table.relname, enabled: table.relrowsecurity, forced: table.relforcerowsecurity }).toEqual({
        table: table.relname,
        enabled: true,
        forced: true,
      });
    }
  });

  it('connects the API as a role that RLS binds', async () => {
    const { rows } = await app.query<{ rolsuper: boolean; rolbypassrls: boolean; owns: string }>(
      `SELECT rolsuper, rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owns FROM pg_roles r WHERE rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owns: '0' });
  });

  it('returns zero rows from every table of tenant data when no tenant is set', async () => {
    for (const table of await publicTables()) {
      if (SHARED_TABLES.includes(table.relname)) continue;
      const privileges = await app.query<{ ok: boolean }>(`SELECT has_table_privilege(current_user, $1, 'SELECT') AS ok`, [table.relname]);
      if (!privileges.rows[0].ok) continue;
      const { rows } = await app.query<{ n: string }>(`SELECT count(*) AS n FROM ${table.relname}`);
      expect({ table: table.relname, rows: rows[0].n }).toEqual({ table: table.relname, rows: '0' });
    }
  });

  it('shows one tenant only its own rows, and refuses writes into another tenant', async () => {
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [acme.id]);
      const { rows } = await app.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM users');
      expect(rows).toEqual([{ tenant_id: acme.id }]);
      await expect(
        app.query(`INSERT INTO users (tenant_id, email, display_name, roles) VALUES ($1, 'x@x.test', 'x', '{EMPLOYEE}')`, [globex.id]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await app.query('ROLLBACK');
    }
  });

  it('keeps the tenant setting inside its transaction', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [acme.id]);
    await app.query('COMMIT');
    const { rows } = await app.query<{ n: string }>('SELECT count(*) AS n FROM users');
    expect(rows[0].n).toBe('0');
  });

  it('confines the audit browsing function, which bypasses RLS, to the tenant set in the transaction', async () => {
    const created = await test.request({
      method: 'POST',
      url: '/api/v1/users',
      token: globex.users.admin.token,
      payload: { email: `audited@${globex.slug}.test`, displayName: 'Audited', roles: ['EMPLOYEE'], password: 'a-long-enough-password' },
    });
    expect(created.statusCode).toBe(201);
    const browse = `SELECT s AS seq FROM audit_browse_seqs(NULL, 1000, NULL, $1, NULL, NULL, NULL, NULL, NULL, NULL) AS s`;
    const sizeOf = async (tenantId: string) =>
      Number((await owner.query<{ size: string }>('SELECT size FROM audit_log_heads WHERE tenant_id = $1', [tenantId])).rows[0]?.size ?? 0);
    expect(await sizeOf(globex.id)).toBeGreaterThan(0);

    expect((await app.query(browse, [globex.users.admin.id])).rows).toEqual([]);
    await app.query('BEGIN');
    try {
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [acme.id]);
      expect((await app.query(browse, [globex.users.admin.id])).rows).toEqual([]);
      const { rows } = await app.query<{ seq: string }>(browse, [null]);
      expect(rows.length).toBe(await sizeOf(acme.id));
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [globex.id]);
      expect((await app.query(browse, [globex.users.admin.id])).rows.length).toBeGreaterThan(0);
    } finally {
      await app.query('ROLLBACK');
    }
  });

  it("answers 404 for another tenant's user id, over HTTP", async () => {
    const response = await test.request({
      method: 'PATCH',
      url: `/api/v1/users/${globex.users.alice.id}`,
      token: acme.users.admin.token,
      payload: { displayName: 'hijacked' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('NOT_FOUND');
  });
});
