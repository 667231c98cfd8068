import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64, encodeBase64 } from './base64';
import { bytesEqual, concatBytes, decodeHex, encodeHex, isBytesOfLength, isWellFormedUnicode, utf8Bytes } from './bytes';
import { AuditLogError } from './errors';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys (signature type
 * 0x01), byte-compatible with Go's golang.org/x/mod/sumdb/note, so checkpoints can be
 * checked by standard witnesses and tools.
 */

const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_LINE_PREFIX = '\u2014 '; // em dash, space
const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';
const KEY_ID_SIZE = 4;
const ED25519_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;

/** Larger notes are refused unread; a checkpoint is a few hundred bytes. */
export const MAX_NOTE_LENGTH = 64 * 1024;
/** The spec asks verifiers to accept at least 16 signatures; Go's package stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;

export interface NoteVerifierKey {
  readonly name: string;
  /** First 4 bytes of SHA-256(name || 0x0A || 0x01 || publicKey). */
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface NoteSignerKey extends NoteVerifierKey {
  /** The 32-byte Ed25519 seed (RFC 8032 private key). */
  readonly privateKey: Uint8Array;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Uint8Array;
  /** The signature bytes after the key ID (64 bytes for Ed25519, other lengths for other types). */
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export type NoteVerificationFailure = 'NOTE_MALFORMED' | 'NOTE_UNKNOWN_KEY' | 'NOTE_BAD_SIGNATURE';

export type NoteVerification =
  | {
      readonly ok: true;
      readonly text: string;
      readonly verifiedBy: readonly NoteVerifierKey[];
      /** Signatures by keys the caller did not pass (witness cosignatures, rotated keys). */
      readonly otherSignatures: readonly NoteSignature[];
    }
  | {
      readonly ok: false;
      readonly code: NoteVerificationFailure;
      readonly message: string;
      readonly signatures?: readonly NoteSignature[];
    };

export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8Bytes(name), new Uint8Array([0x0a, ED25519_SIGNATURE_TYPE]), publicKey)).slice(0, KEY_ID_SIZE);
}

export function generateNoteSigner(name: string): NoteSignerKey {
  return noteSignerFromPrivateKey(name, ed25519.utils.randomSecretKey());
}

/** From a 32-byte Ed25519 seed, e.g. one kept in a KMS or secret store. */
export function noteSignerFromPrivateKey(name: string, privateKey: Uint8Array): NoteSignerKey {
  assertKeyName(name);
  if (!isBytesOfLength(privateKey, ED25519_KEY_SIZE)) throw invalidKey('an Ed25519 private key is 32 bytes');
  const publicKey = ed25519.getPublicKey(privateKey);
  return { name, keyId: noteKeyId(name, publicKey), publicKey, privateKey: Uint8Array.from(privateKey) };
}

/** `<name>+<hex key ID>+<base64(0x01 || public key)>`, the form tools and witnesses exchange. */
export function formatVerifierKey(key: NoteVerifierKey): string {
  return `${key.name}+${encodeHex(key.keyId)}+${encodeBase64(concatBytes(new Uint8Array([ED25519_SIGNATURE_TYPE]), key.publicKey))}`;
}

export function parseVerifierKey(text: string): NoteVerifierKey {
  const { name, keyId, keyMaterial } = splitKey(text);
  const publicKey = keyMaterial;
  if (!isUsablePublicKey(publicKey)) throw invalidKey('not a valid Ed25519 public key');
  if (!bytesEqual(noteKeyId(name, publicKey), keyId)) throw invalidKey('key ID does not match name and public key');
  return { name, keyId, publicKey };
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`, as Go's note.NewSigner reads. */
export function formatSignerKey(signer: NoteSignerKey): string {
  return `${PRIVATE_KEY_PREFIX}${signer.name}+${encodeHex(signer.keyId)}+${encodeBase64(
    concatBytes(new Uint8Array([ED25519_SIGNATURE_TYPE]), signer.privateKey),
  )}`;
}

export function parseSignerKey(text: string): NoteSignerKey {
  if (!text.startsWith(PRIVATE_KEY_PREFIX)) throw invalidKey(`a signer key starts with ${PRIVATE_KEY_PREFIX}`);
  const { name, keyId, keyMaterial } = splitKey(text.slice(PRIVATE_KEY_PREFIX.length));
  const signer = noteSignerFromPrivateKey(name, keyMaterial);
  if (!bytesEqual(signer.keyId, keyId)) throw invalidKey('key ID does not match name and key');
  return signer;
}

export function verifierKeyOf(key: NoteVerifierKey): NoteVerifierKey {
  return { name: key.name, keyId: key.keyId, publicKey: key.publicKey };
}

export function sameVerifierKey(a: NoteVerifierKey, b: NoteVerifierKey): boolean {
  return a.name === b.name && bytesEqual(a.keyId, b.keyId) && bytesEqual(a.publicKey, b.publicKey);
}

/** Signs `text` (which must end in a newline) with every signer, in order. */
export function signNote(text: string, signers: readonly NoteSignerKey[]): string {
  if (signers.length === 0) throw new AuditLogError('NOTE_MALFORMED', 'a note needs at least one signature');
  assertNoteText(text);
  const message = utf8Bytes(text);
  let note = `${text}\n`;
  for (const signer of signers) {
    const signature = ed25519.sign(message, signer.privateKey);
    note += `${SIGNATURE_LINE_PREFIX}${signer.name} ${encodeBase64(concatBytes(signer.keyId, signature))}\n`;
  }
  if (note.length > MAX_NOTE_LENGTH) throw new AuditLogError('NOTE_MALFORMED', 'note is too long');
  return note;
}

/** Splits a note into text and signature lines without checking signatures; throws NOTE_MALFORMED. */
export function parseNote(note: string): ParsedNote {
  if (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH) throw malformed(`longer than ${MAX_NOTE_LENGTH} characters`);
  if (!isWellFormedUnicode(note)) throw malformed('not valid Unicode');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw malformed('control character other than newline');
  if (!note.endsWith('\n')) throw malformed('does not end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

/**
 * Checks the note against `keys`: every signature whose key name and ID match a key
 * must verify (else NOTE_BAD_SIGNATURE), signatures by other keys are ignored as the
 * spec requires, and at least one must verify (else NOTE_UNKNOWN_KEY).
 */
export function verifyNote(note: string, keys: readonly NoteVerifierKey[]): NoteVerification {
  let parsed: ParsedNote;
  try {
    parsed = parseNote(note);
  } catch (error) {
    return { ok: false, code: 'NOTE_MALFORMED', message: (error as Error).message };
  }
  const message = utf8Bytes(parsed.text);
  const verifiedBy: NoteVerifierKey[] = [];
  const otherSignatures: NoteSignature[] = [];
  for (const signature of parsed.signatures) {
    const key = keys.find((candidate) => candidate.name === signature.name && bytesEqual(candidate.keyId, signature.keyId));
    if (!key) {
      otherSignatures.push(signature);
      continue;
    }
    if (verifiedBy.includes(key)) continue;
    if (!isValidEd25519Signature(signature.signature, message, key.publicKey)) {
      return {
        ok: false,
        code: 'NOTE_BAD_SIGNATURE',
        message: `signature by ${key.name}+${encodeHex(key.keyId)} does not verify`,
        signatures: parsed.signatures,
      };
    }
    verifiedBy.push(key);
  }
  if (verifiedBy.length === 0) {
    const signers = parsed.signatures.map((s) => `${s.name}+${encodeHex(s.keyId)}`).join(', ');
    return { ok: false, code: 'NOTE_UNKNOWN_KEY', message: `not signed by any known key (signed by ${signers})`, signatures: parsed.signatures };
  }
  return { ok: true, text: parsed.text, verifiedBy, otherSignatures };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIGNATURE_LINE_PREFIX)) throw malformed('signature line does not start with "— "');
  const rest = line.slice(SIGNATURE_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (space < 0 || !isKeyName(name) || encoded === '') throw malformed('signature line is not "— <name> <base64>"');
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(encoded);
  } catch {
    throw malformed('signature is not base64');
  }
  if (bytes.length <= KEY_ID_SIZE) throw malformed('signature too short');
  return { name, keyId: bytes.slice(0, KEY_ID_SIZE), signature: bytes.slice(KEY_ID_SIZE) };
}

function splitKey(text: string): { name: string; keyId: Uint8Array; keyMaterial: Uint8Array } {
  // The base64 part may itself contain '+', so split at the first two only.
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw invalidKey('expected <name>+<key ID>+<key>');
  const name = text.slice(0, first);
  const keyIdHex = text.slice(first + 1, second);
  if (!isKeyName(name)) throw invalidKey('key name must be non-empty without spaces or "+"');
  if (!/^[0-9a-f]{8}$/.test(keyIdHex)) throw invalidKey('key ID must be 8 lower-case hex digits');
  let typed: Uint8Array;
  try {
    typed = decodeBase64(text.slice(second + 1));
  } catch {
    throw invalidKey('key is not base64');
  }
  if (typed.length !== 1 + ED25519_KEY_SIZE || typed[0] !== ED25519_SIGNATURE_TYPE) {
    throw invalidKey('only Ed25519 keys (type 0x01, 32 bytes) are supported');
  }
  return { name, keyId: decodeHex(keyIdHex), keyMaterial: typed.slice(1) };
}

function isUsablePublicKey(publicKey: Uint8Array): boolean {
  try {
    // Strict RFC 8032 decoding; a small-order key would let one signature match many messages.
    return !ed25519.Point.fromBytes(publicKey, false).isSmallOrder();
  } catch {
    return false;
  }
}

function isValidEd25519Signature(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** Non-empty, well-formed, no Unicode space (Go's unicode.IsSpace: JS \s plus U+0085) and no "+". */
export function isKeyName(name: string): boolean {
  return name.length > 0 && isWellFormedUnicode(name) && !/[\s\u0085+\u0000-\u001f]/u.test(name);
}

function assertKeyName(name: string): void {
  if (!isKeyName(name)) throw invalidKey('key name must be non-empty without spaces or "+"');
}

function assertNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new AuditLogError('NOTE_MALFORMED', 'note text must end with a newline');
  if (!isWellFormedUnicode(text) || /[\u0000-\u0009\u000b-\u001f]/.test(text)) {
    throw new AuditLogError('NOTE_MALFORMED', 'note text must be valid Unicode without control characters other than newline');
  }
}

function malformed(reason: string): AuditLogError {
  return new AuditLogError('NOTE_MALFORMED', `malformed signed note: ${reason}`);
}

function invalidKey(reason: string): AuditLogError {
  return new AuditLogError('KEY_INVALID', `invalid note key: ${reason}`);
}
