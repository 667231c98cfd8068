import { verifyCheckpoint } from '@retract/audit-log';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEntries, policyDraft } from './audit-fixtures';
import { createTenant, ownerDb, startTestApp, type TestApp, type TestTenant } from './test-app';

/** Checkpoints leave the database: into a write-once directory and to a witness URL. */
describe('checkpoint witnesses', () => {
  let test: TestApp;
  let tenant: TestTenant;
  let receiver: Server;
  const received: { tenant: string | undefined; note: string }[] = [];
  const witnessDir = mkdtempSync(join(tmpdir(), 'retract-witness-'));

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ tenant: request.headers['x-retract-tenant'] as string | undefined, note: body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as { port: number }).port;
    test = await startTestApp({ AUDIT_WITNESS_DIR: witnessDir, AUDIT_WITNESS_URL: `http://127.0.0.1:${port}/checkpoints` });
    tenant = await createTenant(test);
  });
  afterAll(async () => {
    await test.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('writes each checkpoint to the witness directory and posts it to the witness URL', async () => {
    await appendEntries(test, tenant, [policyDraft(tenant.users.admin.id, 1), policyDraft(tenant.users.admin.id, 2)]);
    const issued = (await test.request({ method: 'POST', url: '/api/v1/audit/checkpoints', token: tenant.users.compliance.token })).json();
    const keys = (await test.request({ method: 'GET', url: '/api/v1/audit/public-keys', token: tenant.users.compliance.token }))
      .json()
      .keys.map((k: { vkey: string }) => k.vkey);

    const files = readdirSync(join(witnessDir, tenant.id));
    expect(files).toEqual([`${String(issued.treeSize).padStart(12, '0')}.checkpoint`]);
    const stored = readFileSync(join(witnessDir, tenant.id, files[0]), 'utf8');
    expect(stored).toBe(issued.note);
    expect(verifyCheckpoint(stored, keys).ok).toBe(true);
    expect(received).toContainEqual({ tenant: tenant.id, note: issued.note });
  });

  it('catches a clean cut-back that only the witness remembers', async () => {
    const verify = () => test.request({ method: 'POST', url: '/api/v1/audit/verify', token: tenant.users.compliance.token, payload: {} }).then((r) => r.json());
    await appendEntries(test, tenant, [policyDraft(tenant.users.admin.id, 3), policyDraft(tenant.users.admin.id, 4)]);
    const latest = (await test.request({ method: 'POST', url: '/api/v1/audit/checkpoints', token: tenant.users.compliance.token })).json();
    expect(await verify()).toMatchObject({ ok: true });

    // Cut the log back to its first checkpoint: entries, nodes, newer checkpoints and the head, all consistent.
    const owner = ownerDb();
    const keep = 2;
    await owner.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
      await tx.$executeRaw`DELETE FROM audit_entries WHERE tenant_id = ${tenant.id}::uuid AND seq >= ${keep}`;
      await tx.$executeRaw`DELETE FROM audit_tree_nodes WHERE tenant_id = ${tenant.id}::uuid AND (index + 1) * (1::bigint << level) > ${keep}`;
      await tx.$executeRaw`DELETE FROM audit_checkpoints WHERE tenant_id = ${tenant.id}::uuid AND size > ${keep}`;
      const hashes = await tx.$queryRaw<
        { hash: Uint8Array }[]
      >`SELECT hash FROM audit_tree_nodes WHERE tenant_id = ${tenant.id}::uuid AND level = 1 AND index = 0`;
      await tx.$executeRaw`UPDATE audit_log_heads SET size = ${keep}, frontier = ${[Buffer.from(hashes[0].hash)]}::bytea[] WHERE tenant_id = ${tenant.id}::uuid`;
    });
    await owner.$disconnect();

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBadSeq).toBe(keep);
    expect(latest.treeSize).toBeGreaterThan(keep);
  });
});
