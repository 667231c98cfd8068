import { hkdfSync } from 'node:crypto';
import { SealOpenError, open, seal } from './aead';

/**
 * Wraps and unwraps small secrets (data keys, signing keys, webhook secrets) under an organisation's
 * key-encryption key (docs/keys.md). This is the seam for a KMS: an implementation backed by AWS KMS,
 * GCP KMS or Vault Transit provides the same calls (with `aad` as the encryption context).
 */
export interface KeyEncryptionKey {
  /** The KEK new wraps are made under; stored next to every wrapped value as `kek_id`. */
  readonly id: string;
  wrap(tenantId: string, plaintext: Uint8Array, aad: string): Uint8Array<ArrayBuffer>;
  /** Unwraps a value stored with `kekId`; throws when that KEK is not held or the value does not open. */
  unwrap(tenantId: string, kekId: string, wrapped: Uint8Array, aad: string): Buffer;
  holds(kekId: string): boolean;
}

export interface MasterKey {
  id: string;
  key: Buffer;
}

const HKDF_SALT = 'retract:tenant-kek:v1';
const MAX_CACHED_TENANT_KEYS = 10_000;

/** An organisation's KEK: HKDF-SHA256 of the master KEK with the tenant id as info (RFC 5869). */
export function deriveTenantKek(master: Uint8Array, tenantId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, HKDF_SALT, `tenant:${tenantId}`, 32));
}

/**
 * Master KEKs from configuration (AUDIT_KEKS, or the single AUDIT_KEK), one of them active. Every wrap
 * is made under the organisation's KEK derived from the active master; an unwrap uses the master its
 * row names. Values wrapped before per-organisation derivation existed were wrapped under the master
 * itself: those still open (GCM authenticates which key sealed them) until `npm run keys -- rotate`
 * re-wraps them.
 */
export class LocalKeyring implements KeyEncryptionKey {
  private readonly masters: Map<string, Buffer>;
  /** (master id, tenant) → derived KEK; derived once per organisation, not per message. */
  private readonly derived = new Map<string, Buffer>();

  constructor(
    readonly id: string,
    masters: readonly MasterKey[],
  ) {
    this.masters = new Map(masters.map((m) => [m.id, m.key]));
    for (const [kekId, key] of this.masters) if (key.length !== 32) throw new Error(`KEK ${kekId} must be 32 bytes`);
    if (!this.masters.has(id)) throw new Error(`the active KEK ${id} is not among the configured KEKs`);
  }

  /** The single-key configuration of old (AUDIT_KEK and AUDIT_KEK_ID). */
  static single(id: string, base64Key: string): LocalKeyring {
    return new LocalKeyring(id, [{ id, key: Buffer.from(base64Key, 'base64') }]);
  }

  holds(kekId: string): boolean {
    return this.masters.has(kekId);
  }

  wrap(tenantId: string, plaintext: Uint8Array, aad: string): Uint8Array<ArrayBuffer> {
    return new Uint8Array(seal(this.tenantKey(this.id, tenantId), plaintext, aad));
  }

  unwrap(tenantId: string, kekId: string, wrapped: Uint8Array, aad: string): Buffer {
    const master = this.masters.get(kekId);
    if (!master) throw new SealOpenError(`KEK ${kekId} is not held by this server`);
    try {
      return open(this.tenantKey(kekId, tenantId), wrapped, aad);
    } catch (error) {
      if (!(error instanceof SealOpenError)) throw error;
      return open(master, wrapped, aad);
    }
  }

  private tenantKey(kekId: string, tenantId: string): Buffer {
    const slot = `${kekId}:${tenantId}`;
    let key = this.derived.get(slot);
    if (!key) {
      if (this.derived.size >= MAX_CACHED_TENANT_KEYS) this.derived.delete(this.derived.keys().next().value!);
      key = deriveTenantKek(this.masters.get(kekId)!, tenantId);
      this.derived.set(slot, key);
    }
    return key;
  }
}

export const KEK = Symbol('KEK');
