import { inTenantSql, sqlAutocommit, type SqlPool, type SqlTx } from '@retract/db';
import { MessageSeal } from '../messages/message-seal';
import type { StoredExtras } from '../messages/message-store';
import { clientSecretAad } from '../identity/client-secret-aad';
import { secretAad } from '../webhooks/webhooks.service';
import { keyAad as dataKeyAad } from './content-vault';
import type { KeyEncryptionKey } from './key-encryption';
import { sealAad } from './signing-keys';

/** What one rotation pass did, per kind of wrapped value. */
export interface RotationCounts {
  dataKeys: number;
  signingKeys: number;
  webhookSecrets: number;
  /** OpenID Connect client secrets (docs/identity.md). */
  ssoClientSecrets: number;
  messageKeys: number;
  /** Messages written before sealing, sealed now. */
  messagesSealed: number;
}

/** After every batch, with the organisation's counts so far; `done` once the organisation is finished. */
export type RotationProgress = (event: { tenant: number; tenants: number; tenantId: string; counts: RotationCounts; done: boolean }) => void;

const BATCH = 500;

/**
 * KEK rotation (docs/keys.md, "Rotation"): re-wraps every wrapped data key, signing key, webhook
 * secret, single sign-on client secret and message key that is not under the active KEK, seals messages still stored in clear,
 * then retires every other configured KEK once nothing anywhere is wrapped under it. Runs beside
 * live API processes: each batch is its own short transaction with the rows locked, and the API
 * keeps unwrapping old values with the KEK their row names until they are re-wrapped.
 */
export class KeyRotation {
  private readonly messages: MessageSeal;

  constructor(
    private readonly pool: SqlPool,
    private readonly kek: KeyEncryptionKey,
    private readonly configuredIds: readonly string[],
  ) {
    this.messages = new MessageSeal(kek);
  }

  async retired(): Promise<Set<string>> {
    const rows = await sqlAutocommit(this.pool).$queryRaw<{ kek_id: string }[]>`SELECT kek_id FROM kek_retirements`;
    return new Set(rows.map((r) => r.kek_id));
  }

  async tenants(): Promise<string[]> {
    const rows = await sqlAutocommit(this.pool).$queryRaw<{ id: string }[]>`SELECT app_tenant_ids() AS id`;
    return rows.map((r) => r.id);
  }

  async rotate(progress: RotationProgress = () => undefined): Promise<RotationCounts> {
    if ((await this.retired()).has(this.kek.id)) throw new Error(`the active KEK ${this.kek.id} was retired by an earlier rotation: configure a new one`);
    const total: RotationCounts = { dataKeys: 0, signingKeys: 0, webhookSecrets: 0, ssoClientSecrets: 0, messageKeys: 0, messagesSealed: 0 };
    const tenants = await this.tenants();
    for (const [i, tenantId] of tenants.entries()) {
      const counts: RotationCounts = { dataKeys: 0, signingKeys: 0, webhookSecrets: 0, ssoClientSecrets: 0, messageKeys: 0, messagesSealed: 0 };
      const report = (done = false) => progress({ tenant: i + 1, tenants: tenants.length, tenantId, counts: { ...counts }, done });
      const counted = (key: keyof RotationCounts) => (n: number) => {
        counts[key] = n;
        report();
      };
      await this.inBatches(tenantId, (tx) => this.rewrapDataKeys(tx, tenantId), counted('dataKeys'));
      await this.inBatches(tenantId, (tx) => this.rewrapSigningKeys(tx, tenantId), counted('signingKeys'));
      await this.inBatches(tenantId, (tx) => this.rewrapWebhookSecrets(tx, tenantId), counted('webhookSecrets'));
      await this.inBatches(tenantId, (tx) => this.rewrapSsoClientSecret(tx, tenantId), counted('ssoClientSecrets'));
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const batch = await inTenantSql(this.pool, { tenantId }, (tx) => this.rewrapMessages(tx, tenantId, after));
        counts.messageKeys += batch.rewrapped;
        counts.messagesSealed += batch.sealed;
        report();
        if (!batch.last) break;
        after = batch.last;
      }
      for (const key of Object.keys(total) as (keyof RotationCounts)[]) total[key] += counts[key];
      report(true);
    }
    return total;
  }

  /** Values still wrapped under each KEK other than the active one, over every organisation. */
  async remaining(): Promise<Map<string, number>> {
    const left = new Map<string, number>();
    for (const tenantId of await this.tenants()) {
      const rows = await inTenantSql(
        this.pool,
        { tenantId },
        (tx) =>
          tx.$queryRaw<{ kek_id: string; n: bigint }[]>`
          SELECT kek_id, count(*)::bigint AS n FROM (
            SELECT kek_id FROM audit_data_keys WHERE tenant_id = ${tenantId}::uuid AND wrapped_key IS NOT NULL
            UNION ALL SELECT kek_id FROM audit_signing_keys WHERE tenant_id = ${tenantId}::uuid
            UNION ALL SELECT kek_id FROM webhooks WHERE tenant_id = ${tenantId}::uuid
            UNION ALL SELECT kek_id FROM sso_providers WHERE tenant_id = ${tenantId}::uuid
            UNION ALL SELECT content_kek_id FROM messages WHERE tenant_id = ${tenantId}::uuid AND content_key IS NOT NULL
          ) wrapped WHERE kek_id <> ${this.kek.id} GROUP BY kek_id`,
      );
      for (const row of rows) left.set(row.kek_id, (left.get(row.kek_id) ?? 0) + Number(row.n));
    }
    return left;
  }

  /**
   * Records every configured KEK but the active one as retired, provided nothing is wrapped under it
   * any more; returns the ids retired now and those still in use (with how many values).
   */
  async retire(): Promise<{ retired: string[]; inUse: Map<string, number> }> {
    const left = await this.remaining();
    const already = await this.retired();
    const retired: string[] = [];
    for (const id of this.configuredIds) {
      if (id === this.kek.id || already.has(id) || left.has(id)) continue;
      await sqlAutocommit(this.pool).$executeRaw`
        INSERT INTO kek_retirements (kek_id, replaced_by) VALUES (${id}, ${this.kek.id}) ON CONFLICT (kek_id) DO NOTHING`;
      retired.push(id);
    }
    return { retired, inUse: left };
  }

  /** Runs `batch` until it does less than a full batch, reporting the running count after each. */
  private async inBatches(tenantId: string, batch: (tx: SqlTx) => Promise<number>, report: (soFar: number) => void): Promise<void> {
    let done = 0;
    for (;;) {
      const n = await inTenantSql(this.pool, { tenantId }, batch);
      done += n;
      report(done);
      if (n < BATCH) return;
    }
  }

  private async rewrapDataKeys(tx: SqlTx, tenantId: string): Promise<number> {
    const rows = await tx.$queryRaw<{ id: string; subject_user_id: string; wrapped_key: Buffer; kek_id: string }[]>`
      SELECT id, subject_user_id, wrapped_key, kek_id FROM audit_data_keys
       WHERE tenant_id = ${tenantId}::uuid AND wrapped_key IS NOT NULL AND kek_id <> ${this.kek.id}
       LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      const aad = dataKeyAad(tenantId, row.id, row.subject_user_id);
      const wrapped = this.kek.wrap(tenantId, this.kek.unwrap(tenantId, row.kek_id, row.wrapped_key, aad), aad);
      await tx.$executeRaw`
        UPDATE audit_data_keys SET wrapped_key = ${Buffer.from(wrapped)}, kek_id = ${this.kek.id}
         WHERE tenant_id = ${tenantId}::uuid AND id = ${row.id}::uuid AND wrapped_key IS NOT NULL`;
    }
    return rows.length;
  }

  private async rewrapSigningKeys(tx: SqlTx, tenantId: string): Promise<number> {
    const rows = await tx.$queryRaw<{ key_name: string; public_key: Buffer; private_key_sealed: Buffer; kek_id: string }[]>`
      SELECT key_name, public_key, private_key_sealed, kek_id FROM audit_signing_keys
       WHERE tenant_id = ${tenantId}::uuid AND kek_id <> ${this.kek.id}
       LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      const aad = sealAad(tenantId, row.key_name, row.public_key);
      const sealed = this.kek.wrap(tenantId, this.kek.unwrap(tenantId, row.kek_id, row.private_key_sealed, aad), aad);
      await tx.$executeRaw`
        UPDATE audit_signing_keys SET private_key_sealed = ${Buffer.from(sealed)}, kek_id = ${this.kek.id}
         WHERE tenant_id = ${tenantId}::uuid AND key_name = ${row.key_name}`;
    }
    return rows.length;
  }

  private async rewrapWebhookSecrets(tx: SqlTx, tenantId: string): Promise<number> {
    const rows = await tx.$queryRaw<{ id: string; secret_sealed: Buffer; kek_id: string }[]>`
      SELECT id, secret_sealed, kek_id FROM webhooks
       WHERE tenant_id = ${tenantId}::uuid AND kek_id <> ${this.kek.id}
       LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      const aad = secretAad(tenantId, row.id);
      const sealed = this.kek.wrap(tenantId, this.kek.unwrap(tenantId, row.kek_id, row.secret_sealed, aad), aad);
      await tx.$executeRaw`
        UPDATE webhooks SET secret_sealed = ${Buffer.from(sealed)}, kek_id = ${this.kek.id} WHERE tenant_id = ${tenantId}::uuid AND id = ${row.id}::uuid`;
    }
    return rows.length;
  }

  /** One row at most: an organisation has one provider. */
  private async rewrapSsoClientSecret(tx: SqlTx, tenantId: string): Promise<number> {
    const rows = await tx.$queryRaw<{ client_id: string; client_secret_sealed: Buffer; kek_id: string }[]>`
      SELECT client_id, client_secret_sealed, kek_id FROM sso_providers
       WHERE tenant_id = ${tenantId}::uuid AND kek_id <> ${this.kek.id} FOR UPDATE SKIP LOCKED`;
    for (const row of rows) {
      const aad = clientSecretAad(tenantId, row.client_id);
      const sealed = this.kek.wrap(tenantId, this.kek.unwrap(tenantId, row.kek_id, row.client_secret_sealed, aad), aad);
      await tx.$executeRaw`
        UPDATE sso_providers SET client_secret_sealed = ${Buffer.from(sealed)}, kek_id = ${this.kek.id} WHERE tenant_id = ${tenantId}::uuid`;
    }
    return rows.length;
  }

  /** One batch of messages after `after` (id order): keys re-wrapped, content still in clear sealed. */
  private async rewrapMessages(tx: SqlTx, tenantId: string, after: string): Promise<{ rewrapped: number; sealed: number; last: string | null }> {
    const rows = await tx.$queryRaw<
      { id: string; body: string | null; attachment: StoredExtras | null; content_key: Buffer | null; content_kek_id: string | null }[]
    >`
      SELECT id, body, attachment, content_key, content_kek_id FROM messages
       WHERE tenant_id = ${tenantId}::uuid AND id > ${after}::uuid
         AND ((content_key IS NOT NULL AND content_kek_id <> ${this.kek.id})
              OR (content_key IS NULL AND recalled_at IS NULL AND (body IS NOT NULL OR attachment IS NOT NULL)))
       ORDER BY id LIMIT ${BATCH} FOR UPDATE`;
    let rewrapped = 0;
    let sealed = 0;
    for (const row of rows) {
      if (row.content_key && row.content_kek_id) {
        const next = this.messages.rewrap(tenantId, row.id, { wrappedKey: row.content_key, kekId: row.content_kek_id });
        await tx.$executeRaw`
          UPDATE messages SET content_key = ${Buffer.from(next.wrappedKey)}, content_kek_id = ${next.kekId}
           WHERE tenant_id = ${tenantId}::uuid AND id = ${row.id}::uuid AND content_key IS NOT NULL`;
        rewrapped++;
      } else {
        const next = this.messages.seal(tenantId, row.id, { body: row.body, extras: row.attachment });
        await tx.$executeRaw`
          UPDATE messages SET body = NULL, attachment = NULL, content_sealed = ${next.sealed}, content_key = ${Buffer.from(next.wrappedKey)},
                 content_kek_id = ${next.kekId}
           WHERE tenant_id = ${tenantId}::uuid AND id = ${row.id}::uuid AND recalled_at IS NULL`;
        sealed++;
      }
    }
    return { rewrapped, sealed, last: rows.length === BATCH ? rows[rows.length - 1].id : null };
  }
}
