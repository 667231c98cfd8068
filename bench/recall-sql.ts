/**
 * The pgbench baseline of the recall benchmark, generated from the SQL the recall path really runs
 * (docs/benchmarks.md): one real recall goes through the API's own RecallMessages on a pool that
 * records every statement, and each recorded statement becomes a pgbench command, its parameters
 * bound to the per-transaction message's ids (or kept as the literals the path sent). Whatever the
 * recall path runs next month, the baseline runs the same.
 *
 * The one difference is the point of the comparison: the baseline writes its audit entry straight
 * into the log inside the recall's own transaction (head row locked until COMMIT, one transaction
 * per recall), where the product queues it and integrates batches (group commit).
 */
import { abilityFor } from '@retract/authz';
import { createSqlPool, type Db, type SqlPool } from '@retract/db';
import type { PoolClient } from 'pg';
import type { AuthenticatedPrincipal } from '../apps/api/src/common/auth/principal';
import type { ChangeFeed } from '../apps/api/src/common/database/change-feed';
import { TenantDb } from '../apps/api/src/common/database/database.module';
import { LocalKeyring } from '../apps/api/src/modules/audit/key-encryption';
import { MessageSeal } from '../apps/api/src/modules/messages/message-seal';
import { standaloneAuditLog } from '../apps/api/src/modules/audit/standalone-audit-log';
import { Clock } from '../apps/api/src/modules/clock/clock';
import { EventLog } from '../apps/api/src/modules/events/event-log';
import { PolicyCache } from '../apps/api/src/modules/policy/policy-cache';
import { RecallSteps } from '../apps/api/src/modules/recall/recall-steps';
import { RecallMessages } from '../apps/api/src/modules/recall/use-cases/recall-messages';

// pg's own conversion of a parameter to its text form (untyped module).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/** A replica whose listener is up: caches fill as they do in a running API (policy, data keys). */
const quietFeed: Pick<ChangeFeed, 'listening' | 'subscribe' | 'onReconnect' | 'mark' | 'unchangedSince'> = {
  listening: true,
  subscribe: () => undefined,
  onReconnect: () => undefined,
  mark: () => 0,
  unchangedSince: () => true,
};
// The caches call only the members picked above; the bench has no database listener to give them.
const listeningFeed = quietFeed as ChangeFeed;

function recordingPool(connectionString: string): { pool: SqlPool; recorded: RecordedStatement[]; recording: { on: boolean } } {
  const pool = createSqlPool({ connectionString, maxConnections: 2, applicationName: 'retract-bench-capture' });
  const recorded: RecordedStatement[] = [];
  const recording = { on: false };
  const patched = new WeakSet<PoolClient>();
  const patch = (client: PoolClient) => {
    if (patched.has(client)) return client;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: typeof query }).query = (...args: unknown[]) => {
      if (recording.on && typeof args[0] === 'string') recorded.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
      return query(...args);
    };
    return client;
  };
  // pool.query() checks clients out with a callback, transactions with a promise: both are recorded.
  const connect = pool.connect.bind(pool) as (
    callback?: (error: Error | undefined, client: PoolClient, done: () => void) => void,
  ) => Promise<PoolClient> | void;
  (pool as unknown as { connect: typeof connect }).connect = (callback) =>
    callback ? connect((error, client, done) => callback(error, client && patch(client), done)) : (connect() as Promise<PoolClient>).then(patch);
  return { pool, recorded, recording };
}

export interface CaptureSubject {
  tenantId: string;
  userId: string;
  displayName: string;
  sessionId: string;
  /** Two fresh messages of the user's: the first warms the caches, the second is recorded. */
  messageIds: [string, string];
}

/** The data key the recorded recall sealed under (the baseline binds each sender's own instead). */
export function sealedUnderKey(statements: RecordedStatement[]): string | undefined {
  const queue = statements.find((s) => s.text.includes('audit_queue('));
  // The key ids are audit_queue's one uuid[] parameter, whose liveness it checks (one key for a recall).
  const match = queue && /\$(\d+)::uuid\[\]/.exec(queue.text);
  const keyIds = match ? (queue.values[Number(match[1]) - 1] as string[]) : [];
  return keyIds[0];
}

/** Runs two real recalls in-process and returns the statements of the second (steady state). */
export async function recordRecallStatements(db: Db, connectionString: string, auditKek: string, subject: CaptureSubject): Promise<RecordedStatement[]> {
  const { pool, recorded, recording } = recordingPool(connectionString);
  try {
    const keyring = LocalKeyring.single('local-1', auditKek);
    const { log } = standaloneAuditLog(pool, keyring, {}, listeningFeed);
    const recalls = new RecallMessages(
      new TenantDb(db, pool),
      new RecallSteps(log, new EventLog(), new MessageSeal(keyring)),
      new Clock(),
      new PolicyCache(listeningFeed),
    );
    const principal: AuthenticatedPrincipal = {
      userId: subject.userId,
      tenantId: subject.tenantId,
      roles: ['EMPLOYEE'],
      sessionId: subject.sessionId,
      session: { id: subject.sessionId, userId: subject.userId, roles: ['EMPLOYEE'] },
      email: '',
      displayName: subject.displayName,
      locale: 'en',
      ability: abilityFor({ userId: subject.userId, tenantId: subject.tenantId, roles: ['EMPLOYEE'] }),
    };
    await recalls.recallOne(principal, subject.messageIds[0], { force: false });
    recording.on = true;
    await recalls.recallOne(principal, subject.messageIds[1], { force: false });
    recording.on = false;
    // Only the recall's own transaction: the sequencer's integration is what the baseline replaces.
    const end = recorded.findIndex((s) => s.text === 'COMMIT');
    return recorded.slice(0, end + 1);
  } finally {
    await pool.end();
  }
}

/** A string literal; pgbench would read `:name` inside one as a variable, so colons are written as \x3a. */
const quote = (text: string) =>
  text.includes(':') ? `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\x3a')}'` : `'${text.replace(/'/g, "''")}'`;

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return quote(`\\x${value.toString('hex')}`);
  const prepared = prepareValue(value) as string | Buffer | null;
  if (prepared === null) return 'NULL';
  return quote(Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : String(prepared));
}

/**
 * The pgbench script: pick this transaction's message (\gset binds its ids), then every recorded
 * statement with the recorded ids replaced by those variables, then the direct append, COMMIT.
 * `variables` maps a recorded value (a uuid) to the bench_messages column that replaces it.
 */
export function pgbenchScript(statements: RecordedStatement[], variables: Map<string, string>, pick: string): string {
  const bind = (value: unknown): string => {
    if (typeof value === 'string' && variables.has(value)) return `:${variables.get(value)}`;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && variables.has(v)))
      return `ARRAY[${value.map((v) => `:${variables.get(v)}::text`).join(', ')}]`;
    return literal(value);
  };
  // Ids the path wrote as literals (the simple query that opens a transaction takes no parameters).
  const bindLiterals = (text: string) => text.replace(/'([0-9a-f-]{36})'/g, (quoted, id: string) => (variables.has(id) ? `:${variables.get(id)}` : quoted));
  const body = statements
    .filter((s) => s.text !== 'COMMIT')
    .map((s) => `${bindLiterals(s.text).replace(/\$(\d+)/g, (_, n: string) => bind(s.values[Number(n) - 1]))};`);
  return [pick, ...body, 'SELECT bench_append_direct(:tenant_id::uuid);', 'COMMIT;', ''].join('\n');
}

/**
 * What a one-transaction-per-recall implementation does with the entry the recall just queued:
 * lock the tenant's head, write the leaf (seq and time filled in), a tree node, the new head — all
 * before COMMIT, so the head stays locked through the commit.
 */
export const BENCH_APPEND_DIRECT_SQL = `
CREATE FUNCTION bench_append_direct(p_tenant uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head_size bigint;
  p audit_pending%ROWTYPE;
  v_leaf bytea;
BEGIN
  SELECT size INTO head_size FROM audit_log_heads WHERE tenant_id = p_tenant FOR UPDATE;
  DELETE FROM audit_pending WHERE tenant_id = p_tenant AND xmin = pg_current_xact_id()::xid RETURNING * INTO p;
  v_leaf := convert_to(p.leaf_parts[1] || '"' || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"' || p.leaf_parts[2] || head_size || p.leaf_parts[3], 'UTF8');
  INSERT INTO audit_entries (tenant_id, seq, leaf, leaf_hash, occurred_at, action, actor_id, subject_user_id, conversation_id, message_id,
                             policy_version, decided_by, denial_code, forced, data_key_id, search_text)
  VALUES (p_tenant, head_size, v_leaf, sha256(v_leaf), now(), p.action, p.actor_id, p.subject_user_id, p.conversation_id, p.message_id,
          p.policy_version, p.decided_by, p.denial_code, p.forced, p.data_key_id, p.search_text);
  INSERT INTO audit_tree_nodes (tenant_id, level, index, hash) VALUES (p_tenant, 1, head_size, sha256(v_leaf));
  UPDATE audit_log_heads SET size = head_size + 1, frontier = ARRAY[sha256(v_leaf)], updated_at = now() WHERE tenant_id = p_tenant;
END
$$;
GRANT EXECUTE ON FUNCTION bench_append_direct(uuid) TO retract_app;
`;
