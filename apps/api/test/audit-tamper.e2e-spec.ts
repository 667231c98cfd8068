import {
  appendToFrontier,
  EMPTY_FRONTIER,
  encodeLeaf,
  generateNoteSigner,
  hashLeaf,
  parseCheckpoint,
  rootFromLeafHashes,
  signCheckpoint,
  decodeLeaf,
  type AuditEntry,
} from '@retract/audit-log';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditExport } from '../src/modules/audit/audit-export';
import { CheckpointSigner } from '../src/modules/audit/checkpoint-signer';
import { Checkpoints } from '../src/modules/audit/checkpoints';
import { appendEntries, policyDraft, recalledDraft } from './audit-fixtures';
import { createTenant, requireEnv, startTestApp, type TestApp, type TestTenant } from './test-app';

const ROOT = join(__dirname, '..', '..', '..');
const ENTRIES = 12;
const CHECKPOINT_EVERY = 4;
/** The background signer is slowed by this much, as on a loaded machine: the test must not depend on its timing. */
const SIGNING_DELAY_MS = 50;

/**
 * Someone with full database access (superuser, triggers off) rewrites history. Both the verify
 * endpoint and the offline verifier must notice, naming the first bad seq where there is one.
 */
describe('tamper evidence', () => {
  let test: TestApp;
  let owner: Client;
  const dir = mkdtempSync(join(tmpdir(), 'retract-tamper-'));

  beforeAll(async () => {
    test = await startTestApp({ AUDIT_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY) });
    owner = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
    await owner.connect();
    const checkpoints = test.app.get(Checkpoints);
    const issue = checkpoints.issue.bind(checkpoints);
    jest.spyOn(checkpoints, 'issue').mockImplementation(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, SIGNING_DELAY_MS));
      return issue(...args);
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await owner.end();
    await test.close();
  });

  async function tenantWithHistory(): Promise<{ tenant: TestTenant; vkey: string; checkpointNote: string }> {
    const tenant = await createTenant(test);
    const drafts = Array.from({ length: ENTRIES }, (_, i) =>
      i % 2 ? policyDraft(tenant.users.admin.id, i) : recalledDraft(tenant, 'alice', `secret number ${i}`),
    );
    // Checkpoints are signed in the background after each crossing of CHECKPOINT_EVERY: waiting for the
    // signer after each chunk makes them cover exactly 4, 8 and 12 entries, however slow the signing.
    const signer = test.app.get(CheckpointSigner);
    for (let from = 0; from < ENTRIES; from += CHECKPOINT_EVERY) {
      await appendEntries(test, tenant, drafts.slice(from, from + CHECKPOINT_EVERY));
      await signer.idle();
    }
    const { rows: signed } = await owner.query<{ size: number }>('SELECT size::int FROM audit_checkpoints WHERE tenant_id = $1 ORDER BY size', [tenant.id]);
    expect(signed.map((checkpoint) => checkpoint.size)).toEqual([4, 8, 12]);
    const keys = (await test.request({ method: 'GET', url: '/api/v1/audit/public-keys', token: tenant.users.alice.token })).json();
    const latest = (await test.request({ method: 'GET', url: '/api/v1/audit/checkpoints/latest', token: tenant.users.compliance.token })).json();
    expect(latest.treeSize).toBe(ENTRIES);
    const before = await verifyEndpoint(tenant);
    expect(before).toMatchObject({ ok: true });
    return { tenant, vkey: keys.keys[0].vkey, checkpointNote: latest.note };
  }

  const verifyEndpoint = async (tenant: TestTenant) =>
    (await test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} })).json();

  /** An export as the database now serves it (no EXPORT_CREATED appended), verified by the offline command. */
  async function offlineVerify(tenant: TestTenant, args: string[] = []) {
    const exporter = test.app.get(AuditExport);
    const range = await exporter.resolveRange({ tenantId: tenant.id }, {});
    const lines: string[] = [];
    for await (const line of exporter.jsonLines(tenant.id, { ...range, toHead: true })) lines.push(line);
    const file = join(dir, `${tenant.slug}.jsonl`);
    writeFileSync(file, lines.join('\n') + '\n');
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/verify/src/main.ts'), file, ...args, '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), NODE_OPTIONS: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  }

  async function asAttacker(sql: string | string[], params: unknown[]) {
    await owner.query('BEGIN');
    try {
      await owner.query('SET LOCAL session_replication_role = replica');
      for (const statement of Array.isArray(sql) ? sql : [sql]) await owner.query(statement, params);
      await owner.query('COMMIT');
    } catch (error) {
      await owner.query('ROLLBACK');
      throw error;
    }
  }

  it('detects a flipped byte in a leaf', async () => {
    const { tenant } = await tenantWithHistory();
    const { rows } = await owner.query<{ leaf: Buffer }>('SELECT leaf FROM audit_entries WHERE tenant_id = $1 AND seq = 4', [tenant.id]);
    const leaf = Buffer.from(rows[0].leaf);
    const at = leaf.indexOf('"ct":"') + 10;
    leaf[at] = leaf[at] === 0x41 ? 0x42 : 0x41;
    await asAttacker('UPDATE audit_entries SET leaf = $2 WHERE tenant_id = $1 AND seq = 4', [tenant.id, leaf]);
    expect(await verifyEndpoint(tenant)).toMatchObject({ ok: false, firstBadSeq: 4 });
    const offline = await offlineVerify(tenant);
    expect(offline.status).toBe(1);
    expect(offline.output).toMatch(/seq 4\b/);
  });

  it('detects a deleted entry in the middle', async () => {
    const { tenant } = await tenantWithHistory();
    await asAttacker('DELETE FROM audit_entries WHERE tenant_id = $1 AND seq = 5', [tenant.id]);
    expect(await verifyEndpoint(tenant)).toMatchObject({ ok: false, firstBadSeq: 5 });
    const offline = await offlineVerify(tenant);
    expect(offline.status).toBe(1);
    expect(offline.output).toMatch(/seq 5\b/);
  });

  it('detects two swapped entries', async () => {
    const { tenant } = await tenantWithHistory();
    await asAttacker(
      [
        'UPDATE audit_entries SET seq = 1000000 WHERE tenant_id = $1 AND seq = 3',
        'UPDATE audit_entries SET seq = 3 WHERE tenant_id = $1 AND seq = 7',
        'UPDATE audit_entries SET seq = 7 WHERE tenant_id = $1 AND seq = 1000000',
      ],
      [tenant.id],
    );
    expect(await verifyEndpoint(tenant)).toMatchObject({ ok: false, firstBadSeq: 3 });
    const offline = await offlineVerify(tenant);
    expect(offline.status).toBe(1);
    expect(offline.output).toMatch(/seq 3\b/);
  });

  it('detects the newest entries cut off, head rewritten to match', async () => {
    const { tenant } = await tenantWithHistory();
    const kept = 9;
    const { rows } = await owner.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM audit_entries WHERE tenant_id = $1 AND seq < $2 ORDER BY seq', [
      tenant.id,
      kept,
    ]);
    let frontier = EMPTY_FRONTIER;
    for (const row of rows) frontier = appendToFrontier(frontier, new Uint8Array(row.leaf_hash)).frontier;
    await asAttacker('DELETE FROM audit_entries WHERE tenant_id = $1 AND seq >= $2', [tenant.id, kept]);
    await asAttacker('UPDATE audit_log_heads SET size = $2, frontier = $3 WHERE tenant_id = $1', [tenant.id, kept, frontier.hashes.map((h) => Buffer.from(h))]);
    expect(await verifyEndpoint(tenant)).toMatchObject({ ok: false, firstBadSeq: kept });
    const offline = await offlineVerify(tenant);
    expect(offline.status).toBe(1);
    expect(offline.output).toMatch(new RegExp(`seq ${kept}\\b`));
  });

  it('detects the whole log rebuilt and re-signed with a different key', async () => {
    const { tenant, vkey, checkpointNote } = await tenantWithHistory();
    const { rows } = await owner.query<{ seq: string; leaf: Buffer }>('SELECT seq, leaf FROM audit_entries WHERE tenant_id = $1 ORDER BY seq', [tenant.id]);
    const forger = generateNoteSigner(`retract/${tenant.id}`);
    const leafHashes: Uint8Array[] = [];
    await owner.query('BEGIN');
    await owner.query('SET LOCAL session_replication_role = replica');
    let frontier = EMPTY_FRONTIER;
    await owner.query('DELETE FROM audit_tree_nodes WHERE tenant_id = $1', [tenant.id]);
    for (const row of rows) {
      const entry = decodeLeaf(new Uint8Array(row.leaf)) as unknown as Record<string, unknown>;
      delete entry.v;
      if (row.seq === '2') entry.reason = 'nothing to see here';
      const leaf = encodeLeaf(entry as AuditEntry);
      const leafHash = hashLeaf(leaf);
      leafHashes.push(leafHash);
      const appended = appendToFrontier(frontier, leafHash);
      frontier = appended.frontier;
      for (const node of appended.completedNodes) {
        await owner.query('INSERT INTO audit_tree_nodes (tenant_id, level, index, hash) VALUES ($1, $2, $3, $4)', [
          tenant.id,
          node.level,
          node.index,
          Buffer.from(node.hash),
        ]);
      }
      await owner.query('UPDATE audit_entries SET leaf = $3, leaf_hash = $4 WHERE tenant_id = $1 AND seq = $2', [
        tenant.id,
        row.seq,
        Buffer.from(leaf),
        Buffer.from(leafHash),
      ]);
    }
    await owner.query('UPDATE audit_log_heads SET frontier = $2 WHERE tenant_id = $1', [tenant.id, frontier.hashes.map((h) => Buffer.from(h))]);
    const { rows: checkpoints } = await owner.query<{ size: string; note: string }>('SELECT size, note FROM audit_checkpoints WHERE tenant_id = $1', [
      tenant.id,
    ]);
    for (const checkpoint of checkpoints) {
      const size = Number(checkpoint.size);
      const note = signCheckpoint(
        { origin: parseCheckpoint(checkpoint.note).checkpoint.origin, size, rootHash: rootFromLeafHashes(leafHashes.slice(0, size)) },
        forger,
      );
      await owner.query('UPDATE audit_checkpoints SET note = $3, root_hash = $4 WHERE tenant_id = $1 AND size = $2', [
        tenant.id,
        checkpoint.size,
        note,
        Buffer.from(parseCheckpoint(note).checkpoint.rootHash),
      ]);
    }
    await owner.query('UPDATE audit_signing_keys SET public_key = $2 WHERE tenant_id = $1', [tenant.id, Buffer.from(forger.publicKey)]);
    await owner.query('COMMIT');

    const server = await verifyEndpoint(tenant);
    expect(server.ok).toBe(false);
    expect(server.problems.map((p: { code: string }) => p.code)).toContain('KEY_NOT_SEALED');

    const pinned = await offlineVerify(tenant, ['--trusted-key', vkey]);
    expect(pinned.status).toBe(1);
    const witnessed = join(dir, `${tenant.slug}.checkpoint`);
    writeFileSync(witnessed, checkpointNote);
    const withWitness = await offlineVerify(tenant, ['--checkpoint', witnessed]);
    expect(withWitness.status).toBe(1);
    expect(withWitness.output).toMatch(/different key/);
    // With the key published before and the witnessed checkpoint, the rewrite is located too.
    const both = await offlineVerify(tenant, ['--trusted-key', vkey, '--checkpoint', witnessed]);
    expect(both.status).toBe(1);
    expect(both.output).toMatch(/seq [0-2]\b/);
  });
});
