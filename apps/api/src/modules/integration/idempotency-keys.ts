import { z } from 'zod';
import { canonicalJson, type JsonValue } from '@retract/audit-log';
import { IDEMPOTENCY_KEY_PATTERN } from '@retract/contracts';
import type { SqlTx } from '@retract/db';
import { createHmac, hkdfSync } from 'node:crypto';
import { ProblemException, type ProblemInit } from '../../common/problem/problem';

/*
 * Idempotency-Key for POST /recalls (IETF httpapi "The Idempotency-Key HTTP Header Field";
 * docs/integration.md, "Idempotency"). A key is claimed by the first statement of the recall's
 * transaction: a concurrent request with the same key waits on that row until the first commits
 * (or rolls back, and then claims it itself), so one key records at most one attempt. The answer
 * is stored in the same transaction; its audit seq and leaf hash are added once the log has
 * integrated the entry, by the request itself or by whoever replays it first.
 */

export interface KeyScope {
  tenantId: string;
  serviceAccountId: string;
  key: string;
}

/** A stored first answer: a recorded recall's body or a problem document's parts. */
export type StoredAnswer = { kind: 'body'; status: number; body: Record<string, unknown> } | { kind: 'problem'; status: number; problem: ProblemInit };

export interface KeyRecord {
  requestId: string;
  fingerprint: Buffer;
  messageId: string | null;
  answer: StoredAnswer | null;
  complete: boolean;
}

/** The header's value: bare, or a structured-field string (`"…"`) as the draft writes it. Missing or malformed is a 400 problem. */
export function parseIdempotencyKey(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  const value = raw !== undefined && /^"[^"\\]*"$/.test(raw) ? raw.slice(1, -1) : raw;
  if (value === undefined || value === '') {
    throw new ProblemException({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'This operation requires an Idempotency-Key header (a UUID is a good key).',
      errors: [{ field: 'header.Idempotency-Key', message: 'required', code: 'invalid_type' }],
    });
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new ProblemException({
      status: 400,
      code: 'VALIDATION_FAILED',
      detail: 'The Idempotency-Key header is not valid.',
      errors: [{ field: 'header.Idempotency-Key', message: 'must be 1-255 visible ASCII characters', code: 'invalid_format' }],
    });
  }
  return value;
}

/**
 * The request's fingerprint: HMAC-SHA256 over the RFC 8785 canonical JSON of the validated body,
 * keyed by a server secret. Keyed, because the body holds the recalled text: a plain hash of a
 * short message could be found by guessing it.
 */
export function requestFingerprint(secret: string, body: unknown): Buffer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'retract', 'retract:idempotency-fingerprint:v1', 32));
  // The validated body may hold undefined (an optional field normalised away, e.g. a blank reason):
  // as on the wire, an undefined member is an absent one.
  const asSent = JSON.parse(JSON.stringify(body)) as JsonValue;
  return createHmac('sha256', key).update(canonicalJson(asSent), 'utf8').digest();
}

/**
 * Claims the key for this request (first statement of the transaction). False when another request
 * holds it (it has committed: this call waited for it). A key older than the TTL is taken over.
 */
export async function claimKey(tx: SqlTx, scope: KeyScope, requestId: string, fingerprint: Buffer, ttlHours: number): Promise<boolean> {
  const rows = await tx.$queryRaw<{ request_id: string }[]>`
    INSERT INTO idempotency_keys AS k (tenant_id, service_account_id, key, request_id, fingerprint)
    VALUES (${scope.tenantId}::uuid, ${scope.serviceAccountId}::uuid, ${scope.key}, ${requestId}::uuid, ${fingerprint})
    ON CONFLICT (tenant_id, service_account_id, key) DO UPDATE
       SET request_id = EXCLUDED.request_id, fingerprint = EXCLUDED.fingerprint, message_id = NULL, status = NULL, response = NULL,
           headers = '{}', created_at = now(), completed_at = NULL
     WHERE k.created_at < now() - make_interval(hours => ${ttlHours}::int)
    RETURNING request_id`;
  return rows.length === 1;
}

/** The first answer, in the claiming transaction; `complete` when it names no audit entry still to be integrated. */
export async function saveAnswer(tx: SqlTx, scope: KeyScope, messageId: string | null, answer: StoredAnswer, complete: boolean): Promise<void> {
  await tx.$executeRaw`
    UPDATE idempotency_keys
       SET message_id = ${messageId}::uuid, status = ${answer.status}, response = ${JSON.stringify(answer)}::jsonb,
           completed_at = ${complete ? new Date() : null}
     WHERE tenant_id = ${scope.tenantId}::uuid AND service_account_id = ${scope.serviceAccountId}::uuid AND key = ${scope.key}`;
}

export async function completeAnswer(tx: SqlTx, scope: KeyScope, answer: StoredAnswer): Promise<void> {
  await tx.$executeRaw`
    UPDATE idempotency_keys SET response = ${JSON.stringify(answer)}::jsonb, completed_at = now()
     WHERE tenant_id = ${scope.tenantId}::uuid AND service_account_id = ${scope.serviceAccountId}::uuid AND key = ${scope.key} AND completed_at IS NULL`;
}

/** The key's record, unless it expired (an expired key is as good as unused). */
export async function readKey(tx: SqlTx, scope: KeyScope, ttlHours: number): Promise<KeyRecord | null> {
  const [row] = await tx.$queryRaw<
    { request_id: string; fingerprint: Buffer; message_id: string | null; response: StoredAnswer | null; completed_at: Date | null }[]
  >`
    SELECT request_id, fingerprint, message_id, response, completed_at FROM idempotency_keys
     WHERE tenant_id = ${scope.tenantId}::uuid AND service_account_id = ${scope.serviceAccountId}::uuid AND key = ${scope.key}
       AND created_at >= now() - make_interval(hours => ${ttlHours}::int)`;
  if (!row) return null;
  return { requestId: row.request_id, fingerprint: row.fingerprint, messageId: row.message_id, answer: row.response, complete: row.completed_at !== null };
}

/** The audit entry a request recorded (its leaf names the request), once the log has integrated it. */
export async function recordedEntry(tx: SqlTx, tenantId: string, messageId: string, requestId: string): Promise<{ seq: number; leafHash: string } | null> {
  const [row] = await tx.$queryRaw<{ seq: bigint; leaf_hash: Buffer }[]>`
    SELECT seq, leaf_hash FROM audit_entries
     WHERE tenant_id = ${tenantId}::uuid AND message_id = ${messageId}::uuid AND action IN ('MESSAGE_RECALLED', 'RECALL_DENIED')
       AND convert_from(leaf, 'UTF8')::jsonb -> 'details' ->> 'requestId' = ${requestId}
     LIMIT 1`;
  return row ? { seq: Number(row.seq), leafHash: row.leaf_hash.toString('base64') } : null;
}

/** The stored answer with its audit entry filled in. */
export function withEntry(answer: StoredAnswer, entry: { seq: number; leafHash: string }): StoredAnswer {
  if (answer.kind === 'body') return { ...answer, body: { ...answer.body, auditSeq: entry.seq, leafHash: entry.leafHash } };
  return { ...answer, problem: { ...answer.problem, extensions: { ...answer.problem.extensions, auditSeq: entry.seq } } };
}

/** Expiry job: keys older than the TTL, in every organisation. */
export async function expireKeys(tx: SqlTx, ttlHours: number): Promise<number> {
  const [row] = await tx.$queryRaw<{ removed: bigint }[]>`SELECT idempotency_keys_expire(make_interval(hours => ${ttlHours}::int)) AS removed`;
  return Number(row.removed);
}

/** The header as the OpenAPI document declares it (the route reads and checks it with parseIdempotencyKey). */
export const IdempotencyKeyHeaderSchema = z.object({
  'Idempotency-Key': z.string().min(1).max(257).describe('A key of the client\'s choosing (a UUID is a good one), bare or as a structured-field string ("…").'),
});
