import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '@retract/db';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KEK, type KeyEncryptionKey } from './key-encryption';

/** What a content-bearing leaf holds instead of the content: ciphertext only, never a plain hash. */
export interface ContentEnvelope {
  alg: 'A256GCM';
  kid: string;
  nonce: string;
  ct: string;
}

export type OpenedContent = { state: 'READABLE'; content: unknown } | { state: 'ERASED'; reason: string; destroyedAt: string } | { state: 'UNREADABLE' };

/** Month of the content's creation: data keys are per subject and month so retention can shred old months only. */
export const keyPeriod = (at: Date) => at.toISOString().slice(0, 7);

const keyAad = (tenantId: string, keyId: string, subjectUserId: string) => `retract:data-key:${tenantId}:${keyId}:${subjectUserId}`;
const contentAad = (tenantId: string, keyId: string) => `retract:content:${tenantId}:${keyId}`;

/**
 * Encrypts recalled content under a per-subject data key (AES-256-GCM) wrapped by the tenant KEK.
 * Destroying a subject's wrapped keys (crypto-shredding) makes every envelope under them unreadable
 * while the audit entries that carry them still verify.
 */
@Injectable()
export class ContentVault {
  constructor(@Inject(KEK) private readonly kek: KeyEncryptionKey) {}

  async seal(tx: Tx, tenantId: string, subjectUserId: string, content: unknown, at: Date): Promise<{ envelope: ContentEnvelope; dataKeyId: string }> {
    const { id, key } = await this.currentKey(tx, tenantId, subjectUserId, keyPeriod(at));
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(contentAad(tenantId, id), 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(content), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { envelope: { alg: 'A256GCM', kid: id, nonce: nonce.toString('base64'), ct: ct.toString('base64') }, dataKeyId: id };
  }

  async open(tx: Tx, tenantId: string, envelope: ContentEnvelope): Promise<OpenedContent> {
    const row = await tx.auditDataKey.findFirst({ where: { tenantId, id: envelope.kid } });
    if (!row) return { state: 'UNREADABLE' };
    if (!row.wrappedKey) return { state: 'ERASED', reason: row.destroyedReason ?? 'ERASURE', destroyedAt: row.destroyedAt!.toISOString() };
    try {
      const key = this.kek.unwrap(row.wrappedKey, keyAad(tenantId, row.id, row.subjectUserId));
      const ct = Buffer.from(envelope.ct, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.nonce, 'base64'));
      decipher.setAAD(Buffer.from(contentAad(tenantId, row.id), 'utf8'));
      decipher.setAuthTag(ct.subarray(ct.length - 16));
      const plain = Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString('utf8');
      return { state: 'READABLE', content: JSON.parse(plain) };
    } catch {
      return { state: 'UNREADABLE' };
    }
  }

  /** Destroys the given subject's keys (all periods, or those before `periodBefore`); returns the ids destroyed. */
  async shred(tx: Tx, tenantId: string, where: { subjectUserId?: string; keyIds?: string[] }, reason: 'ERASURE' | 'RETENTION'): Promise<string[]> {
    const keys = await tx.auditDataKey.findMany({
      where: { tenantId, wrappedKey: { not: null }, ...(where.subjectUserId ? { subjectUserId: where.subjectUserId } : {}), ...(where.keyIds ? { id: { in: where.keyIds } } : {}) },
      select: { id: true },
    });
    if (keys.length === 0) return [];
    await tx.auditDataKey.updateMany({
      where: { tenantId, id: { in: keys.map((k) => k.id) }, wrappedKey: { not: null } },
      data: { wrappedKey: null, destroyedAt: new Date(), destroyedReason: reason },
    });
    return keys.map((k) => k.id);
  }

  private async currentKey(tx: Tx, tenantId: string, subjectUserId: string, period: string): Promise<{ id: string; key: Buffer }> {
    const existing = await tx.auditDataKey.findFirst({ where: { tenantId, subjectUserId, period, wrappedKey: { not: null } } });
    if (existing?.wrappedKey) return { id: existing.id, key: this.kek.unwrap(existing.wrappedKey, keyAad(tenantId, existing.id, subjectUserId)) };
    const id = crypto.randomUUID();
    const key = randomBytes(32);
    await tx.auditDataKey.create({
      data: { tenantId, id, subjectUserId, period, wrappedKey: this.kek.wrap(key, keyAad(tenantId, id, subjectUserId)), kekId: this.kek.id },
    });
    return { id, key };
  }
}
