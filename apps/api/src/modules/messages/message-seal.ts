import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { open, seal } from '../audit/aead';
import { KEK, type KeyEncryptionKey } from '../audit/key-encryption';
import type { StoredExtras } from './message-store';

/** A message's content as stored: ciphertext under the message's own data key, and that key wrapped by the organisation's KEK. */
export interface SealedMessageContent {
  sealed: Buffer;
  wrappedKey: Uint8Array;
  kekId: string;
}

export interface PlainMessageContent {
  body: string | null;
  extras: StoredExtras | null;
}

// The tenant and message are in both AADs: content or a key copied into another row does not open there.
const contentAad = (tenantId: string, messageId: string) => `retract:message:${tenantId}:${messageId.toLowerCase()}`;
const keyAad = (tenantId: string, messageId: string) => `retract:message-key:${tenantId}:${messageId.toLowerCase()}`;

/**
 * Seals a message's body and extras (attachment name and URL, location, payment) at rest under a
 * fresh random data key per message (docs/keys.md). A recall sets the ciphertext and the wrapped key
 * to NULL in the statement that marks the message recalled; the key was never stored unwrapped, so
 * what dead row versions, WAL and backups keep is ciphertext and a wrap under a KEK that the next
 * rotation retires.
 */
@Injectable()
export class MessageSeal {
  constructor(@Inject(KEK) private readonly kek: KeyEncryptionKey) {}

  seal(tenantId: string, messageId: string, content: PlainMessageContent): SealedMessageContent {
    const dataKey = randomBytes(32);
    try {
      const plaintext = Buffer.from(JSON.stringify({ body: content.body, extras: content.extras }), 'utf8');
      return {
        sealed: seal(dataKey, plaintext, contentAad(tenantId, messageId)),
        wrappedKey: this.kek.wrap(tenantId, dataKey, keyAad(tenantId, messageId)),
        kekId: this.kek.id,
      };
    } finally {
      dataKey.fill(0);
    }
  }

  /** Throws SealOpenError when the content or its key was altered, or moved from another message. */
  open(tenantId: string, messageId: string, stored: SealedMessageContent): PlainMessageContent {
    const dataKey = this.kek.unwrap(tenantId, stored.kekId, stored.wrappedKey, keyAad(tenantId, messageId));
    try {
      const parsed = JSON.parse(open(dataKey, stored.sealed, contentAad(tenantId, messageId)).toString('utf8')) as PlainMessageContent;
      return { body: parsed.body ?? null, extras: parsed.extras ?? null };
    } finally {
      dataKey.fill(0);
    }
  }

  /** The same data key wrapped under the active KEK (key rotation); the content is not touched. */
  rewrap(tenantId: string, messageId: string, stored: Pick<SealedMessageContent, 'wrappedKey' | 'kekId'>): { wrappedKey: Uint8Array; kekId: string } {
    const dataKey = this.kek.unwrap(tenantId, stored.kekId, stored.wrappedKey, keyAad(tenantId, messageId));
    try {
      return { wrappedKey: this.kek.wrap(tenantId, dataKey, keyAad(tenantId, messageId)), kekId: this.kek.id };
    } finally {
      dataKey.fill(0);
    }
  }
}
