import { canonicalJson } from '@retract/audit-log';
import { createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { ownerClient } from './audit-fixtures';
import { createMessagingTenant, image, recall, send, sendText, type MessagingTenant } from './messaging-fixtures';
import { startTestApp, type TestApp } from './test-app';

/**
 * Message content at rest (docs/keys.md): sealed per message, the key destroyed by the recall's own
 * statement, and nothing readable left in the table's pages (live or dead row versions) or in the WAL
 * written meanwhile; content and keys bound to their place, so a ciphertext moved to another row or
 * entry does not open; several master KEKs, per-organisation KEKs derived with HKDF.
 */
describe('message content at rest', () => {
  let test: TestApp;
  let owner: Client;
  let acme: MessagingTenant;

  beforeAll(async () => {
    test = await startTestApp();
    owner = await ownerClient();
    await owner.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    acme = await createMessagingTenant(test);
  });
  afterAll(async () => {
    await owner.end();
    await test.close();
  });

  const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
  const tenantKek = (master: string, tenantId: string) =>
    Buffer.from(hkdfSync('sha256', Buffer.from(master, 'base64'), 'retract:tenant-kek:v1', `tenant:${tenantId}`, 32));
  /** AES-256-GCM open of nonce || ciphertext || tag, as the test's own independent implementation. */
  const openGcm = (key: Buffer, sealed: Buffer, aad: string) => {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
  };
  type StoredRow = { body: string | null; attachment: unknown; content_sealed: Buffer | null; content_key: Buffer | null; content_kek_id: string | null };
  const stored = async (id: string): Promise<StoredRow> => {
    const { rows } = await owner.query<StoredRow>('SELECT * FROM messages WHERE id = $1', [id]);
    const { body, attachment, content_sealed, content_key, content_kek_id } = rows[0];
    return { body, attachment, content_sealed, content_key, content_kek_id };
  };

  /** Tuples (live and dead) of every table and TOAST table of the database, read from their raw pages, that contain `needle`. */
  async function tuplesContaining(needle: Buffer): Promise<{ relname: string; dead: boolean }[]> {
    const { rows } = await owner.query<{ relname: string; dead: boolean }>(
      `SELECT c.relname, i.t_xmax <> 0 AS dead
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL generate_series(0, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int - 1) AS b
        CROSS JOIN LATERAL heap_page_items(get_raw_page(c.oid::regclass::text, b)) AS i
        WHERE c.relkind IN ('r', 't') AND n.nspname IN ('public', 'pg_toast') AND c.relpersistence = 'p'
          AND position($1::bytea IN i.t_data) > 0`,
      [needle],
    );
    return rows;
  }

  /** The WAL segments written from `fromLsn` on, read from the server's pg_wal. */
  async function walSince(fromLsn: string): Promise<Buffer> {
    const { rows } = await owner.query<{ data: Buffer }>(
      `SELECT pg_read_binary_file('pg_wal/' || name) AS data FROM pg_ls_waldir()
        WHERE name ~ '^[0-9A-F]{24}$' AND name >= pg_walfile_name($1::pg_lsn) AND name <= pg_walfile_name(pg_current_wal_lsn())
        ORDER BY name`,
      [fromLsn],
    );
    return Buffer.concat(rows.map((r) => r.data));
  }

  it('a recall leaves neither the text nor a usable key in any page of any table, live or dead, nor in the WAL', async () => {
    // A snapshot older than the message holds every row version it leaves behind: neither VACUUM (other
    // test files share the database) nor page pruning may remove the dead versions this test inspects.
    const pin = await ownerClient();
    await pin.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await pin.query('SELECT 1');
    try {
      await recallLeavesNothingReadable();
    } finally {
      await pin.query('ROLLBACK');
      await pin.end();
    }
  });

  async function recallLeavesNothingReadable() {
    const { rows } = await owner.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    const marker = `quarterly numbers ${randomBytes(8).toString('hex')}`;
    const id = await sendText(test, acme.users.alice, acme.launch, marker);
    const before = await stored(id);
    expect((await recall(test, acme.users.alice, id)).statusCode).toBe(200);

    // The row version from before the recall is still in the table's pages (no VACUUM has run): it is what is inspected.
    const versions = await tuplesContaining(uuidBytes(id));
    expect(versions.filter((v) => v.relname === 'messages' && v.dead).length).toBeGreaterThanOrEqual(1);
    expect(await tuplesContaining(Buffer.from(marker, 'utf8'))).toEqual([]);

    // Sealed from the start: the columns of old held nothing, the ciphertext and the wrapped key were there; the recall removed both.
    expect(before).toMatchObject({ body: null, attachment: null, content_kek_id: 'local-1' });
    expect(await stored(id)).toEqual({ body: null, attachment: null, content_sealed: null, content_key: null, content_kek_id: null });
    const dataKey = openGcm(tenantKek(test.config.AUDIT_KEK!, acme.id), before.content_key!, `retract:message-key:${acme.id}:${id}`);
    expect(JSON.parse(openGcm(dataKey, before.content_sealed!, `retract:message:${acme.id}:${id}`).toString('utf8'))).toEqual({ body: marker, extras: null });
    expect(await tuplesContaining(before.content_sealed!)).toEqual(expect.arrayContaining([{ relname: 'messages', dead: true }]));
    expect(await tuplesContaining(dataKey)).toEqual([]);

    const wal = await walSince(rows[0].lsn);
    expect(wal.includes(before.content_sealed!)).toBe(true);
    expect(wal.includes(Buffer.from(marker, 'utf8'))).toBe(false);
    expect(wal.includes(dataKey)).toBe(false);

    // What survives is the wrap, useless without the organisation's KEK (derived from a master the rotation retires).
    expect(() => openGcm(randomBytes(32), before.content_key!, `retract:message-key:${acme.id}:${id}`)).toThrow();
    // The audit copy stays readable to compliance, under the sender's audit key.
    const [entry] = (await owner.query<{ seq: string }>(`SELECT seq FROM audit_entries WHERE message_id = $1 AND action = 'MESSAGE_RECALLED'`, [id])).rows;
    const detail = await test.request({ method: 'GET', url: `/api/v1/audit/${entry.seq}`, token: acme.users.compliance.token });
    expect(detail.json().content).toMatchObject({ state: 'READABLE', value: { body: marker } });
  }

  it('seals the attachment name and URL too, and shows everything to the members as before', async () => {
    const id = await send(test, acme.users.alice, acme.direct, image('board-deck-q3.png'));
    const row = await stored(id);
    expect(row).toMatchObject({ body: null, attachment: null });
    expect(await tuplesContaining(Buffer.from('board-deck-q3', 'utf8'))).toEqual([]);
    const seen = await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token });
    expect(seen.json()).toMatchObject({ body: 'the plan', attachment: { name: 'board-deck-q3.png' } });
    const listed = await test.request({ method: 'GET', url: `/api/v1/conversations/${acme.direct}/messages`, token: acme.users.bob.token });
    expect(listed.json().items.find((m: { id: string }) => m.id === id)).toMatchObject({ attachment: { url: 'https://files.example.test/board-deck-q3.png' } });
  });

  it('content and key moved to another message do not open there: the message reads as UNREADABLE, without content, and can still be recalled', async () => {
    const secret = await sendText(test, acme.users.alice, acme.launch, 'salary review: 10%');
    const other = await sendText(test, acme.users.alice, acme.launch, 'lunch?');
    await owner.query(
      `UPDATE messages t SET content_sealed = s.content_sealed, content_key = s.content_key, content_kek_id = s.content_kek_id
         FROM messages s WHERE s.id = $1 AND t.id = $2`,
      [secret, other],
    );
    const response = await test.request({ method: 'GET', url: `/api/v1/messages/${other}`, token: acme.users.bob.token });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: other, state: 'UNREADABLE', body: null, attachment: null });
    expect(response.body).not.toContain('salary');
    const listed = await test.request({ method: 'GET', url: `/api/v1/conversations/${acme.launch}/messages`, token: acme.users.bob.token });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.find((m: { id: string }) => m.id === other)).toMatchObject({ state: 'UNREADABLE', body: null });
    const recalled = await test.request({ method: 'POST', url: `/api/v1/messages/${other}/recall`, token: acme.users.alice.token, payload: {} });
    expect(recalled.statusCode).toBe(200);
    const { rows } = await owner.query<{ content_sealed: Buffer | null; content_key: Buffer | null }>(
      'SELECT content_sealed, content_key FROM messages WHERE id = $1',
      [other],
    );
    expect(rows).toEqual([{ content_sealed: null, content_key: null }]);
  });

  it('recalled content moved into another audit entry does not open there (compliance sees UNREADABLE, not the other message)', async () => {
    const first = await sendText(test, acme.users.alice, acme.launch, 'first secret');
    const second = await sendText(test, acme.users.alice, acme.launch, 'second secret');
    for (const id of [first, second]) expect((await recall(test, acme.users.alice, id)).statusCode).toBe(200);
    const seqOf = async (id: string) =>
      (await owner.query<{ seq: string; leaf: Buffer }>(`SELECT seq, leaf FROM audit_entries WHERE message_id = $1 AND action = 'MESSAGE_RECALLED'`, [id]))
        .rows[0];
    const [a, b] = [await seqOf(first), await seqOf(second)];
    const view = (seq: string) => test.request({ method: 'GET', url: `/api/v1/audit/${seq}`, token: acme.users.compliance.token });
    expect((await view(b.seq)).json().content).toMatchObject({ state: 'READABLE', value: { body: 'second secret' } });

    const moved = {
      ...(JSON.parse(b.leaf.toString('utf8')) as Record<string, unknown>),
      content: (JSON.parse(a.leaf.toString('utf8')) as { content: unknown }).content,
    };
    await owner.query('BEGIN');
    await owner.query('SET LOCAL session_replication_role = replica');
    await owner.query('UPDATE audit_entries SET leaf = $2 WHERE tenant_id = $1 AND seq = $3', [acme.id, Buffer.from(canonicalJson(moved), 'utf8'), b.seq]);
    await owner.query('COMMIT');
    const content = (await view(b.seq)).json().content;
    expect(content).toEqual({ state: 'UNREADABLE' });
  });

  it('rows written before sealing keep working: read, then recalled with their content in the audit log', async () => {
    const id = '0a0a0a0a-0000-4000-8000-00000000c1ea';
    await owner.query(`INSERT INTO messages (tenant_id, id, conversation_id, sender_id, type, body) VALUES ($1, $2, $3, $4, 'TEXT', 'written in clear')`, [
      acme.id,
      id,
      acme.launch,
      acme.users.alice.id,
    ]);
    expect((await test.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token })).json()).toMatchObject({
      body: 'written in clear',
    });
    const recalled = await recall(test, acme.users.alice, id);
    expect(recalled.statusCode).toBe(200);
    expect(recalled.json().reEditDraft).toMatchObject({ body: 'written in clear' });
    expect(await stored(id)).toMatchObject({ body: null, content_sealed: null });
  });

  it('wraps under the organisation KEK derived by HKDF from the master, never under the master itself', async () => {
    const id = await sendText(test, acme.users.alice, acme.direct, 'derived');
    const row = await stored(id);
    const aad = `retract:message-key:${acme.id}:${id}`;
    expect(openGcm(tenantKek(test.config.AUDIT_KEK!, acme.id), row.content_key!, aad)).toHaveLength(32);
    expect(() => openGcm(Buffer.from(test.config.AUDIT_KEK!, 'base64'), row.content_key!, aad)).toThrow();
    const otherTenant = await createMessagingTenant(test);
    expect(() => openGcm(tenantKek(test.config.AUDIT_KEK!, otherTenant.id), row.content_key!, aad)).toThrow();
  });

  it('holds several master KEKs: new wraps use AUDIT_KEK_ID, older values open with the KEK their kek_id names', async () => {
    const old = await sendText(test, acme.users.alice, acme.direct, 'under the first key');
    const second = randomBytes(32).toString('base64');
    const next = await startTestApp({ AUDIT_KEKS: `local-1:${test.config.AUDIT_KEK},k2:${second}`, AUDIT_KEK_ID: 'k2' });
    try {
      const fresh = await sendText(next, acme.users.alice, acme.direct, 'under the second key');
      expect((await stored(fresh)).content_kek_id).toBe('k2');
      expect(openGcm(tenantKek(second, acme.id), (await stored(fresh)).content_key!, `retract:message-key:${acme.id}:${fresh}`)).toHaveLength(32);
      for (const [id, body] of [
        [old, 'under the first key'],
        [fresh, 'under the second key'],
      ]) {
        const seen = await next.request({ method: 'GET', url: `/api/v1/messages/${id}`, token: acme.users.bob.token });
        expect(seen.json()).toMatchObject({ body });
      }
    } finally {
      await next.close();
    }
  });
});
