import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { SqlTx, Tx } from '@retract/db';
import { CACHE_CHANNEL, ChangeFeed } from '../../common/database/change-feed';
import { createCipheriv, randomBytes } from 'node:crypto';
import { NONCE_BYTES, TAG_BYTES, openParts } from './aead';
import { KEK, type KeyEncryptionKey } from './key-encryption';

/**
 * What a content-bearing leaf holds instead of the content: ciphertext only, never a plain hash.
 * `bind: 'entry'` marks content sealed with its entry's action and message in the AAD; envelopes
 * without it predate that binding (docs/keys.md).
 */
export interface ContentEnvelope {
  alg: 'A256GCM';
  kid: string;
  nonce: string;
  ct: string;
  bind?: 'entry';
}

/**
 * The entry the content belongs to, as far as it is known before the log places it (its seq is
 * assigned later, in batches): its action and message. A content-bearing entry is the one recall
 * of a message, so the pair names it, and an envelope copied into another entry does not open.
 */
export interface EntryBinding {
  action: string;
  messageId: string | null;
  /** The entry's personal data rather than recalled content (docs/audit-log.md, "Personal data"): sealed apart, never opened as the other. */
  part?: 'personal';
}

export type OpenedContent = { state: 'READABLE'; content: unknown } | { state: 'ERASED'; reason: string; destroyedAt: string } | { state: 'UNREADABLE' };

/** Month of the content's creation: data keys are per subject and month so retention can shred old months only. */
export const keyPeriod = (at: Date) => at.toISOString().slice(0, 7);

export const keyAad = (tenantId: string, keyId: string, subjectUserId: string) => `retract:data-key:${tenantId}:${keyId}:${subjectUserId}`;
const legacyContentAad = (tenantId: string, keyId: string) => `retract:content:${tenantId}:${keyId}`;
const contentAad = (tenantId: string, keyId: string, entry: EntryBinding) =>
  `retract:${entry.part ?? 'content'}:v2:${tenantId}:${keyId}:${entry.action}:${entry.messageId ?? '-'}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface DataKeyRow {
  id: string;
  subject_user_id: string;
  wrapped_key: Buffer | null;
  kek_id: string;
  destroyed_at: Date | null;
  destroyed_reason: string | null;
}

/**
 * Encrypts recalled content under a per-subject data key (AES-256-GCM) wrapped by the tenant KEK.
 * Destroying a subject's wrapped keys (crypto-shredding) makes every envelope under them unreadable
 * while the audit entries that carry them still verify.
 */
/** Unwrapped data keys kept per replica (sealing a recall needs no key read and no unwrap). */
const MAX_CACHED_KEYS = 10_000;

interface CachedKey {
  id: string;
  key: Buffer;
}

@Injectable()
export class ContentVault implements OnModuleInit {
  /** (tenant, subject, period) → live key; insertion order is recency order (a bounded LRU). */
  private readonly keys = new Map<string, CachedKey>();

  constructor(
    @Inject(KEK) private readonly kek: KeyEncryptionKey,
    @Optional() private readonly feed?: ChangeFeed,
  ) {}

  onModuleInit(): void {
    // A shred on any replica wipes the key material from every replica's memory at once.
    this.feed?.subscribe(CACHE_CHANNEL, (payload) => {
      const [kind, tenantId, keyId] = payload.split(':');
      if (kind === 'key') this.forget(tenantId, keyId);
    });
    this.feed?.onReconnect(() => this.keys.clear());
  }

  /** Drops a key from this replica's cache (it was shredded, or found shredded). */
  forget(tenantId: string, keyId: string): void {
    for (const [slot, cached] of this.keys) if (cached.id === keyId && slot.startsWith(`${tenantId}:`)) this.keys.delete(slot);
  }

  async seal(
    tx: SqlTx,
    tenantId: string,
    subjectUserId: string,
    content: unknown,
    at: Date,
    entry: EntryBinding,
  ): Promise<{ envelope: ContentEnvelope; dataKeyId: string }> {
    const { id, key } = await this.currentKey(tx, tenantId, subjectUserId, keyPeriod(at));
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(contentAad(tenantId, id, entry), 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { envelope: { alg: 'A256GCM', kid: id, nonce: nonce.toString('base64'), ct: ct.toString('base64'), bind: 'entry' }, dataKeyId: id };
  }

  /** Opens an envelope read from the entry `entry` describes; one copied from another entry is UNREADABLE. */
  async open(tx: SqlTx, tenantId: string, envelope: ContentEnvelope, entry: EntryBinding): Promise<OpenedContent> {
    return (await this.openAll(tx, tenantId, [{ envelope, entry }]))[0];
  }

  /**
   * Opens several envelopes (a page of the trail) with one read of their keys, each key unwrapped
   * once. Keys are read from the table every time, never from the cache: a shred on any replica
   * makes them unreadable at once.
   */
  async openAll(tx: SqlTx, tenantId: string, sealed: readonly { envelope: ContentEnvelope; entry: EntryBinding }[]): Promise<OpenedContent[]> {
    const ids = [...new Set(sealed.map(({ envelope }) => envelope.kid))].filter((id) => typeof id === 'string' && UUID.test(id));
    const rows = ids.length
      ? await tx.$queryRaw<DataKeyRow[]>`
          SELECT id, subject_user_id, wrapped_key, kek_id, destroyed_at, destroyed_reason FROM audit_data_keys
           WHERE tenant_id = ${tenantId}::uuid AND id = ANY (${ids}::uuid[])`
      : [];
    const keys = new Map<string, { row: DataKeyRow; key?: Buffer | null }>(rows.map((row) => [row.id, { row }]));
    return sealed.map(({ envelope, entry }) => {
      const found = keys.get(envelope.kid);
      if (!found) return { state: 'UNREADABLE' };
      const { row } = found;
      if (!row.wrapped_key) return { state: 'ERASED', reason: row.destroyed_reason ?? 'ERASURE', destroyedAt: row.destroyed_at!.toISOString() };
      try {
        if (found.key === undefined) {
          found.key = null;
          found.key = this.kek.unwrap(tenantId, row.kek_id, row.wrapped_key, keyAad(tenantId, row.id, row.subject_user_id));
        }
        if (!found.key) return { state: 'UNREADABLE' };
        const aad = envelope.bind === 'entry' ? contentAad(tenantId, row.id, entry) : legacyContentAad(tenantId, row.id);
        const plain = openParts(found.key, Buffer.from(envelope.nonce, 'base64'), Buffer.from(envelope.ct, 'base64'), aad).toString('utf8');
        return { state: 'READABLE', content: JSON.parse(plain) as unknown };
      } catch {
        return { state: 'UNREADABLE' };
      }
    });
  }

  /** Destroys the given subject's keys (all periods, or those before `periodBefore`); returns the ids destroyed. */
  async shred(tx: Tx, tenantId: string, where: { subjectUserId?: string; keyIds?: string[] }, reason: 'ERASURE' | 'RETENTION'): Promise<string[]> {
    const keys = await tx.auditDataKey.findMany({
      where: {
        tenantId,
        wrappedKey: { not: null },
        ...(where.subjectUserId ? { subjectUserId: where.subjectUserId } : {}),
        ...(where.keyIds ? { id: { in: where.keyIds } } : {}),
      },
      select: { id: true },
    });
    if (keys.length === 0) return [];
    await tx.auditDataKey.updateMany({
      where: { tenantId, id: { in: keys.map((k) => k.id) }, wrappedKey: { not: null } },
      data: { wrappedKey: null, destroyedAt: new Date(), destroyedReason: reason },
    });
    return keys.map((k) => k.id);
  }

  /**
   * The subject's live key for the period: from the cache, else read and unwrapped, else created.
   * Two first recalls of one subject at once both try to create it; the unique live-key index lets
   * one win and the other read the winner's key.
   */
  private async currentKey(tx: SqlTx, tenantId: string, subjectUserId: string, period: string): Promise<CachedKey> {
    const slot = `${tenantId}:${subjectUserId}:${period}`;
    const cached = this.keys.get(slot);
    if (cached) {
      this.keys.delete(slot);
      this.keys.set(slot, cached);
      return cached;
    }
    const mark = this.feed?.mark(CACHE_CHANNEL);
    const fresh = { id: crypto.randomUUID(), key: randomBytes(32) };
    const live = () => tx.$queryRaw<{ id: string; wrapped_key: Buffer; kek_id: string }[]>`
      SELECT id, wrapped_key, kek_id FROM audit_data_keys
       WHERE tenant_id = ${tenantId}::uuid AND subject_user_id = ${subjectUserId}::uuid AND period = ${period} AND wrapped_key IS NOT NULL`;
    let [row] = await tx.$queryRaw<{ id: string; wrapped_key: Buffer; kek_id: string }[]>`
      WITH created AS (
        INSERT INTO audit_data_keys (tenant_id, id, subject_user_id, period, wrapped_key, kek_id)
        VALUES (${tenantId}::uuid, ${fresh.id}::uuid, ${subjectUserId}::uuid, ${period},
                ${this.kek.wrap(tenantId, fresh.key, keyAad(tenantId, fresh.id, subjectUserId))}, ${this.kek.id})
        ON CONFLICT (tenant_id, subject_user_id, period) WHERE destroyed_at IS NULL DO NOTHING
        RETURNING id, wrapped_key, kek_id
      )
      SELECT id, wrapped_key, kek_id FROM created
      UNION ALL
      SELECT id, wrapped_key, kek_id FROM audit_data_keys
       WHERE tenant_id = ${tenantId}::uuid AND subject_user_id = ${subjectUserId}::uuid AND period = ${period} AND wrapped_key IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM created)`;
    // The winner of a race committed after this statement's snapshot: a new statement sees its key.
    if (!row) [row] = await live();
    const key =
      row.id === fresh.id ? fresh : { id: row.id, key: this.kek.unwrap(tenantId, row.kek_id, row.wrapped_key, keyAad(tenantId, row.id, subjectUserId)) };
    if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value!);
    if (mark !== undefined && this.feed?.unchangedSince(CACHE_CHANNEL, mark)) this.keys.set(slot, key);
    return key;
  }
}
