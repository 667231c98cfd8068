import { Inject, Injectable } from '@nestjs/common';
import { bytesEqual, formatVerifierKey, generateNoteSigner, noteKeyId, noteSignerFromPrivateKey, type NoteSignerKey } from '@retract/audit-log';
import type { Tx } from '@retract/db';
import { KEK, type KeyEncryptionKey } from './key-encryption';

const MAX_OPENED_SIGNERS = 10_000;

/** The log's identity in checkpoints: one origin (and key name) per tenant. */
export const logOrigin = (tenantId: string) => `retract/${tenantId}`;

export const sealAad = (tenantId: string, keyName: string, publicKey: Uint8Array) =>
  `retract:signing-key:${tenantId}:${keyName}:${Buffer.from(publicKey).toString('base64')}`;

export interface PublishedKey {
  name: string;
  vkey: string;
  algorithm: 'Ed25519';
  publicKey: string;
  createdAt: string;
  /** False when the stored public key does not match the KEK-sealed private key: someone replaced it. */
  sealIntact: boolean;
}

/**
 * Each tenant's Ed25519 checkpoint key. The private half is sealed with the KEK together with the
 * public key (as AAD), so a database writer without the KEK cannot swap in a key of their own.
 */
@Injectable()
export class SigningKeys {
  /**
   * Signers opened from their stored row, by tenant, with the row's bytes: deriving the public key
   * from the private one is the costly part (pure-JS Ed25519), and the same bytes give the same signer.
   * The row is still read for every checkpoint; any change to it is opened and checked afresh.
   */
  private readonly opened = new Map<string, { kekId: string; sealed: Uint8Array; publicKey: Uint8Array; signer: NoteSignerKey }>();

  constructor(@Inject(KEK) private readonly kek: KeyEncryptionKey) {}

  /** The tenant's signer, created on first use (callers hold the tenant's checkpoint signer lock). */
  async signer(tx: Tx, tenantId: string): Promise<NoteSignerKey> {
    const name = logOrigin(tenantId);
    const stored = await tx.auditSigningKey.findFirst({ where: { tenantId, keyName: name } });
    if (stored) {
      const known = this.opened.get(tenantId);
      if (known && known.kekId === stored.kekId && bytesEqual(known.sealed, stored.privateKeySealed) && bytesEqual(known.publicKey, stored.publicKey)) {
        return known.signer;
      }
      const privateKey = this.kek.unwrap(tenantId, stored.kekId, stored.privateKeySealed, sealAad(tenantId, name, stored.publicKey));
      const signer = noteSignerFromPrivateKey(name, privateKey);
      if (!bytesEqual(signer.publicKey, stored.publicKey)) throw new Error('stored checkpoint public key does not match its sealed private key');
      if (this.opened.size >= MAX_OPENED_SIGNERS) this.opened.delete(this.opened.keys().next().value!);
      this.opened.set(tenantId, {
        kekId: stored.kekId,
        sealed: new Uint8Array(stored.privateKeySealed),
        publicKey: new Uint8Array(stored.publicKey),
        signer,
      });
      return signer;
    }
    const signer = generateNoteSigner(name);
    await tx.auditSigningKey.create({
      data: {
        tenantId,
        keyName: name,
        publicKey: Buffer.from(signer.publicKey),
        privateKeySealed: this.kek.wrap(tenantId, signer.privateKey, sealAad(tenantId, name, signer.publicKey)),
        kekId: this.kek.id,
      },
    });
    return signer;
  }

  async published(tx: Tx, tenantId: string): Promise<PublishedKey[]> {
    const keys = await tx.auditSigningKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
    return keys.map((key) => {
      let sealIntact: boolean;
      try {
        const signer = noteSignerFromPrivateKey(
          key.keyName,
          this.kek.unwrap(tenantId, key.kekId, key.privateKeySealed, sealAad(tenantId, key.keyName, key.publicKey)),
        );
        sealIntact = bytesEqual(signer.publicKey, key.publicKey);
      } catch {
        sealIntact = false;
      }
      const publicKey = new Uint8Array(key.publicKey);
      return {
        name: key.keyName,
        vkey: formatVerifierKey({ name: key.keyName, publicKey, keyId: noteKeyId(key.keyName, publicKey) }),
        algorithm: 'Ed25519' as const,
        publicKey: Buffer.from(publicKey).toString('base64'),
        createdAt: key.createdAt.toISOString(),
        sealIntact,
      };
    });
  }
}
