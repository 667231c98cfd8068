/**
 * Tamper evidence and immutability end to end: a running API, its log exported over HTTP and checked
 * by the offline verifier as an auditor runs it (a separate process, nothing but the file). Someone
 * with the database owner's access rewrites history — or edits the exported file — and both
 * POST /api/v1/audit/verify and the offline verifier say so, naming what and where. The app role
 * cannot change or remove an audit row at all. docs/reliability.md; the in-process variants of these
 * cases are apps/api/test/audit-tamper.e2e-spec.ts and audit-immutability.e2e-spec.ts.
 */
import { appendToFrontier, EMPTY_FRONTIER, generateNoteSigner, parseCheckpoint, signCheckpoint } from '@retract/audit-log';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiClient } from './support/api-client';
import { exportLog, verifyOffline, verifyOnline, type OfflineVerdict, type VerifyResult } from './support/audit-trail';
import { createOrganisation, sendText, type Organisation } from './support/organisations';
import { startProduct, type Product } from './support/product';
import { report } from './support/report';

/** Entries each organisation's history holds before tampering: users created, then recalls. */
const RECALLS = 8;

interface Finding {
  server: VerifyResult;
  offline: OfflineVerdict;
}

describe('tamper evidence through the export and the offline verifier', () => {
  let product: Product;
  let api: ApiClient;
  let owner: Client;
  const dir = mkdtempSync(join(tmpdir(), 'retract-tamper-'));
  const findings: string[] = [];
  /** Each organisation's checkpoint key as published before anything was touched: the auditor pins it (--trusted-key). */
  const publishedKeys = new Map<Organisation, string>();

  beforeAll(async () => {
    product = await startProduct('tamper', { AUDIT_CHECKPOINT_EVERY: '4' });
    api = new ApiClient(product.base);
    owner = new Client({ connectionString: product.database.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    report('tamper', findings);
    api?.close();
    await owner?.end();
    await product?.dispose();
  });

  /** A fresh organisation whose log verifies, online and offline, before anything is touched. */
  async function organisationWithHistory(): Promise<Organisation> {
    const organisation = await createOrganisation(api, product.platformToken, 2);
    for (let i = 0; i < RECALLS; i++) {
      const employee = organisation.employees[i % 2];
      const messageId = await sendText(api, employee, `tamper test ${i}`);
      await api.json('POST', `/api/v1/messages/${messageId}/recall`, employee.token, {});
    }
    await api.json('POST', '/api/v1/audit/checkpoints', organisation.compliance.token);
    const { keys } = await api.json<{ keys: { vkey: string }[] }>('GET', '/api/v1/audit/public-keys', organisation.compliance.token);
    publishedKeys.set(organisation, keys[0].vkey);
    const clean = await examine(organisation, 'clean');
    expect(clean.server).toMatchObject({ ok: true, problems: [] });
    expect(clean.offline).toMatchObject({ status: 0, verdict: expect.stringMatching(/^OK: \d+ entries verified/) });
    return organisation;
  }

  /** The verify endpoint's verdict, then an export over HTTP checked by the offline verifier. */
  async function examine(organisation: Organisation, label: string): Promise<Finding & { file: string }> {
    const token = organisation.compliance.token;
    const server = await verifyOnline(api, token);
    const file = join(dir, `${organisation.slug}-${label}.jsonl`);
    await exportLog(api, token, file);
    return { server, offline: await verifyOffline(file, ['--trusted-key', publishedKeys.get(organisation)!]), file };
  }

  /** As the database owner with the audit triggers switched off: what an attacker with full access can do. */
  async function asOwner(statements: [string, unknown[]][]): Promise<void> {
    await owner.query('BEGIN');
    try {
      await owner.query('SET LOCAL session_replication_role = replica');
      for (const [sql, params] of statements) await owner.query(sql, params);
      await owner.query('COMMIT');
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  }

  function note(label: string, finding: Finding): void {
    const codes = [...new Set(finding.server.problems.map((p) => p.code))].join(', ');
    findings.push(
      `${label.padEnd(34)} server: firstBadSeq ${finding.server.firstBadSeq ?? '-'} (${codes})   offline: exit ${finding.offline.status}, ${finding.offline.verdict}`,
    );
  }

  const leafAt = async (organisation: Organisation, seq: number) =>
    Buffer.from((await owner.query<{ leaf: Buffer }>('SELECT leaf FROM audit_entries WHERE tenant_id = $1 AND seq = $2', [organisation.id, seq])).rows[0].leaf);

  describe('rewritten in the database', () => {
    it('a changed byte in a leaf', async () => {
      const organisation = await organisationWithHistory();
      const seq = 6;
      const leaf = await leafAt(organisation, seq);
      const at = leaf.indexOf('"ct":"') + 10;
      leaf[at] = leaf[at] === 0x41 ? 0x42 : 0x41;
      await asOwner([['UPDATE audit_entries SET leaf = $3 WHERE tenant_id = $1 AND seq = $2', [organisation.id, seq, leaf]]]);
      const finding = await examine(organisation, 'leaf');
      note('leaf byte changed (seq 6)', finding);
      expect(finding.server).toMatchObject({ ok: false, firstBadSeq: seq });
      expect(finding.offline).toMatchObject({ status: 1, verdict: expect.stringMatching(new RegExp(`^FAIL at seq ${seq}: leaf hash mismatch`)) });
    });

    it('an entry deleted from the middle', async () => {
      const organisation = await organisationWithHistory();
      const seq = 5;
      await asOwner([['DELETE FROM audit_entries WHERE tenant_id = $1 AND seq = $2', [organisation.id, seq]]]);
      const finding = await examine(organisation, 'deleted');
      note('entry deleted (seq 5)', finding);
      expect(finding.server).toMatchObject({ ok: false, firstBadSeq: seq });
      expect(finding.offline).toMatchObject({ status: 1, verdict: expect.stringMatching(new RegExp(`^FAIL at seq ${seq}: .*(missing|gap)`, 'i')) });
    });

    it('two entries swapped', async () => {
      const organisation = await organisationWithHistory();
      await asOwner([
        ['UPDATE audit_entries SET seq = 1000000 WHERE tenant_id = $1 AND seq = 4', [organisation.id]],
        ['UPDATE audit_entries SET seq = 4 WHERE tenant_id = $1 AND seq = 9', [organisation.id]],
        ['UPDATE audit_entries SET seq = 9 WHERE tenant_id = $1 AND seq = 1000000', [organisation.id]],
      ]);
      const finding = await examine(organisation, 'swapped');
      note('entries 4 and 9 swapped', finding);
      expect(finding.server).toMatchObject({ ok: false, firstBadSeq: 4 });
      expect(finding.offline).toMatchObject({ status: 1, verdict: expect.stringMatching(/^FAIL at seq 4: /) });
    });

    it('the newest entries cut off and the head rewritten to match', async () => {
      const organisation = await organisationWithHistory();
      const kept = 7;
      const { rows } = await owner.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM audit_entries WHERE tenant_id = $1 AND seq < $2 ORDER BY seq', [
        organisation.id,
        kept,
      ]);
      let frontier = EMPTY_FRONTIER;
      for (const row of rows) frontier = appendToFrontier(frontier, new Uint8Array(row.leaf_hash)).frontier;
      await asOwner([
        ['DELETE FROM audit_entries WHERE tenant_id = $1 AND seq >= $2', [organisation.id, kept]],
        ['DELETE FROM audit_tree_nodes WHERE tenant_id = $1 AND (index + 1) * (1::bigint << level) > $2', [organisation.id, kept]],
        ['UPDATE audit_log_heads SET size = $2, frontier = $3 WHERE tenant_id = $1', [organisation.id, kept, frontier.hashes.map((h) => Buffer.from(h))]],
      ]);
      const finding = await examine(organisation, 'truncated');
      note(`log truncated to ${kept} entries`, finding);
      expect(finding.server).toMatchObject({ ok: false, firstBadSeq: kept });
      // The export appended EXPORT_CREATED where seq 7 used to be: the checkpoint covering it no longer matches.
      expect(finding.offline).toMatchObject({ status: 1, verdict: expect.stringMatching(/^FAIL at seq \d+: root mismatch: .* does not match the entries/) });
      expect(Number(/^FAIL at seq (\d+)/.exec(finding.offline.verdict)![1])).toBeLessThanOrEqual(kept);
    });

    it('a forged checkpoint (another key, another root)', async () => {
      const organisation = await organisationWithHistory();
      const { rows } = await owner.query<{ size: string; note: string }>(
        'SELECT size, note FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY size DESC LIMIT 1',
        [organisation.id],
      );
      const { checkpoint } = parseCheckpoint(rows[0].note);
      const forger = generateNoteSigner(checkpoint.origin);
      const forged = signCheckpoint({ origin: checkpoint.origin, size: checkpoint.size, rootHash: new Uint8Array(randomBytes(32)) }, forger);
      await asOwner([
        [
          'UPDATE audit_checkpoints SET note = $3, root_hash = $4 WHERE tenant_id = $1 AND size = $2',
          [organisation.id, rows[0].size, forged, Buffer.from(parseCheckpoint(forged).checkpoint.rootHash)],
        ],
      ]);
      const finding = await examine(organisation, 'forged');
      note(`checkpoint at size ${checkpoint.size} forged`, finding);
      expect(finding.server.ok).toBe(false);
      expect(finding.server.problems.map((p) => p.code)).toContain('CHECKPOINT_UNKNOWN_KEY');
      expect(finding.offline).toMatchObject({
        status: 1,
        stdout: expect.stringMatching(/CHECKPOINT_UNKNOWN_KEY: checkpoint of the export \(size \d+\) is not signed by any accepted key/),
      });
    });
  });

  describe('edited after export', () => {
    let organisation: Organisation;
    let lines: string[];
    const entryLine = (seq: number) =>
      lines.findIndex((line) => line.startsWith('{') && (JSON.parse(line) as { type: string; seq?: number }).type === 'entry' && JSON.parse(line).seq === seq);

    beforeAll(async () => {
      organisation = await organisationWithHistory();
      const { file } = await examine(organisation, 'original');
      lines = readFileSync(file, 'utf8').split('\n');
    });

    async function verifyEdited(label: string, edited: string[]) {
      const file = join(dir, `${organisation.slug}-${label.replace(/\W+/g, '-')}.jsonl`);
      writeFileSync(file, edited.join('\n'));
      const offline = await verifyOffline(file, ['--trusted-key', publishedKeys.get(organisation)!]);
      findings.push(`${label.padEnd(34)} offline: exit ${offline.status}, ${offline.verdict}`);
      return offline;
    }

    it('a changed leaf', async () => {
      const edited = [...lines];
      const i = entryLine(3);
      const entry = JSON.parse(edited[i]) as { leaf: string };
      const leaf = Buffer.from(entry.leaf, 'base64').toString('utf8').replace('"forced":false', '"forced":true ');
      edited[i] = JSON.stringify({ ...entry, leaf: Buffer.from(leaf).toString('base64') });
      expect(await verifyEdited('export: leaf edited (seq 3)', edited)).toMatchObject({ status: 1, verdict: expect.stringMatching(/^FAIL at seq 3: /) });
    });

    it('an entry line removed', async () => {
      const edited = lines.filter((_, i) => i !== entryLine(8));
      expect(await verifyEdited('export: line of seq 8 removed', edited)).toMatchObject({ status: 1, verdict: expect.stringMatching(/^FAIL at seq 8: /) });
    });

    it('the file cut short', async () => {
      const edited = lines.slice(0, entryLine(5));
      expect(await verifyEdited('export: cut before seq 5', edited)).toMatchObject({ status: 1, verdict: expect.stringMatching(/^FAIL.*(truncat|trailer)/i) });
    });
  });

  describe('immutability in PostgreSQL', () => {
    it('refuses UPDATE and DELETE of audit rows to the app role, and to the owner while the triggers are on', async () => {
      const organisation = await organisationWithHistory();
      const app = new Client({ connectionString: product.database.appUrl });
      await app.connect();
      const attempt = async (client: Client, sql: string) => {
        await client.query('BEGIN');
        try {
          await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [organisation.id]);
          const result = await client.query(sql);
          return `allowed (${result.rowCount} rows)`;
        } catch (error) {
          return (error as Error).message;
        } finally {
          await client.query('ROLLBACK');
        }
      };
      try {
        const outcomes = {
          'app: UPDATE audit_entries': await attempt(app, `UPDATE audit_entries SET forced = NOT forced`),
          'app: DELETE audit_entries': await attempt(app, 'DELETE FROM audit_entries'),
          'app: UPDATE audit_checkpoints': await attempt(app, `UPDATE audit_checkpoints SET note = 'x'`),
          'app: DELETE audit_checkpoints': await attempt(app, 'DELETE FROM audit_checkpoints'),
          'owner: UPDATE audit_entries': await attempt(owner, `UPDATE audit_entries SET forced = NOT forced`),
          'owner: DELETE audit_entries': await attempt(owner, 'DELETE FROM audit_entries'),
        };
        for (const [what, outcome] of Object.entries(outcomes)) findings.push(`${what.padEnd(34)} ${outcome}`);
        for (const outcome of Object.values(outcomes)) expect(outcome).toMatch(/permission denied|not allowed|append-only/);
      } finally {
        await app.end();
      }
      const after = await examine(organisation, 'after-attempts');
      expect(after.server).toMatchObject({ ok: true });
      expect(after.offline.status).toBe(0);
    });
  });
});
