import type { JsonValue } from '@retract/audit-log';
import { Client } from 'pg';
import { TenantDb } from '../src/common/database/database.module';
import { AuditLog } from '../src/modules/audit/audit-log';
import type { AuditDraft } from '../src/modules/audit/audit-draft';
import { requireEnv, type TestApp, type TestTenant } from './test-app';

/** Appends entries through the real write path (the recall flows use the same function). */
export async function appendEntries(test: TestApp, tenant: TestTenant, drafts: AuditDraft[]): Promise<number[]> {
  const log = test.app.get(AuditLog);
  const tenantDb = test.app.get(TenantDb);
  const seqs: number[] = [];
  for (const draft of drafts) seqs.push((await tenantDb.run({ tenantId: tenant.id }, (tx) => log.append(tx, tenant.id, draft))).seq);
  return seqs;
}

export function recalledDraft(tenant: TestTenant, sender: string, body: string, extra: Partial<AuditDraft> = {}): AuditDraft {
  const senderId = tenant.users[sender].id;
  return {
    action: 'MESSAGE_RECALLED',
    actorId: senderId,
    subjectUserId: senderId,
    conversationId: extra.conversationId ?? '7a1b2c3d-0000-4000-8000-000000000001',
    messageId: crypto.randomUUID(),
    policyVersion: 1,
    decidedBy: 'TENANT_DEFAULT',
    reason: null,
    details: { recipients: [tenant.users.bob?.id ?? senderId], alreadyDeliveredTo: [] },
    content: { subjectUserId: senderId, value: { type: 'TEXT', body } as JsonValue },
    ...extra,
  };
}

export const policyDraft = (actorId: string, n: number): AuditDraft => ({
  action: 'POLICY_CHANGED',
  actorId,
  policyVersion: n,
  details: { diff: [{ path: 'windowSeconds', from: 120, to: 120 + n }] },
});

/**
 * A writer that committed its change and stopped before integrating its entries (a crash between
 * COMMIT and the transaction runner's after-commit work): the entries are queued through the real
 * `AuditLog.append` in a committed transaction, and the after-commit integration is never run.
 */
export async function queueAsCrashedWriter(test: TestApp, tenant: TestTenant, drafts: AuditDraft[]): Promise<void> {
  const log = test.app.get(AuditLog);
  await test.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT app_enter(${tenant.id}::uuid, NULL::uuid, NULL::uuid, NULL::text[])`;
    for (const draft of drafts) await log.append(tx, tenant.id, draft);
  });
}

/** A PostgreSQL connection as the owner (past RLS), for reading what the API wrote and for holding locks. */
export async function ownerClient(): Promise<Client> {
  const client = new Client({ connectionString: requireEnv('TEST_OWNER_DATABASE_URL') });
  await client.connect();
  return client;
}

export interface LogShape {
  size: number;
  entries: number;
  distinctSeqs: number;
  minSeq: number | null;
  maxSeq: number | null;
  pending: number;
}

/** The tenant's log as stored: head size, entries and their seq range, entries still queued. */
export async function logShape(owner: Client, tenantId: string): Promise<LogShape> {
  const { rows } = await owner.query<LogShape>(
    `SELECT coalesce((SELECT size FROM audit_log_heads WHERE tenant_id = $1), 0)::int AS size,
            count(*)::int AS entries, count(DISTINCT seq)::int AS "distinctSeqs", min(seq)::int AS "minSeq", max(seq)::int AS "maxSeq",
            (SELECT count(*) FROM audit_pending WHERE tenant_id = $1)::int AS pending
       FROM audit_entries WHERE tenant_id = $1`,
    [tenantId],
  );
  return rows[0];
}

/** The shape of a log of `size` entries with seq 0..size-1, each once, nothing pending. */
export const gapFree = (size: number): LogShape => ({
  size,
  entries: size,
  distinctSeqs: size,
  minSeq: size ? 0 : null,
  maxSeq: size ? size - 1 : null,
  pending: 0,
});

/**
 * A lock held by the owner in an open transaction (`statement` takes it), to hold up whatever
 * the API does behind it; `waiting()` counts the backends blocked by it, `release()` commits.
 */
export async function holdLock(statement: string, params: unknown[]): Promise<{ waiting(): Promise<number>; release(): Promise<void> }> {
  const holder = await ownerClient();
  const observer = await ownerClient();
  await holder.query('BEGIN');
  await holder.query(statement, params);
  const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let released = false;
  return {
    waiting: async () =>
      (await observer.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [rows[0].pid])).rows[0].n,
    release: async () => {
      if (released) return;
      released = true;
      await holder.query('COMMIT');
      await Promise.all([holder.end(), observer.end()]);
    },
  };
}

/** Polls `condition` every 10 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}
