/**
 * The browser's own check of one audit entry (imported lazily by the audit detail panel, so the
 * hashing and Ed25519 code load only when an entry is opened):
 *  1. hash the entry's leaf bytes here (RFC 9162: SHA-256(0x00 || leaf)) and compare with the
 *     leaf hash the log claims;
 *  2. verify the checkpoint's Ed25519 signature (C2SP signed note) against the published keys;
 *  3. verify the inclusion proof from that leaf hash to the checkpoint's root.
 * "Verified" is shown only when all three pass.
 */
import { bytesEqual, decodeBase64, hashLeaf, verifyCheckpoint, verifyInclusion } from '@retract/audit-log/browser';

export type StepState = 'ok' | 'failed' | 'skipped';

export interface EntryVerification {
  verified: boolean;
  leaf: StepState;
  signature: StepState;
  inclusion: StepState;
  treeSize?: number;
  keyName?: string;
  message?: string;
}

export interface VerificationInput {
  seq: number;
  /** base64 leaf bytes and leaf hash, from GET /audit/:seq */
  leaf: string;
  leafHash: string;
  /** from GET /audit/proofs/inclusion */
  proof: { seq: number; treeSize: number; leafHash: string; proof: string[]; checkpoint: { note: string } | null };
  /** from GET /audit/public-keys */
  keys: { origin: string; keys: { vkey: string; name: string }[] };
}

export function verifyEntry(input: VerificationInput): EntryVerification {
  const result: EntryVerification = { verified: false, leaf: 'skipped', signature: 'skipped', inclusion: 'skipped' };
  let computed: Uint8Array;
  try {
    computed = hashLeaf(decodeBase64(input.leaf));
    const claimed = decodeBase64(input.leafHash);
    const proofLeaf = decodeBase64(input.proof.leafHash);
    result.leaf = bytesEqual(computed, claimed) && bytesEqual(computed, proofLeaf) && input.proof.seq === input.seq ? 'ok' : 'failed';
  } catch (error) {
    result.leaf = 'failed';
    result.message = (error as Error).message;
    return result;
  }

  const note = input.proof.checkpoint?.note;
  if (!note || input.keys.keys.length === 0) return result;
  const checkpoint = verifyCheckpoint(
    note,
    input.keys.keys.map((k) => k.vkey),
    { origin: input.keys.origin },
  );
  if (!checkpoint.ok) {
    result.signature = 'failed';
    result.message = checkpoint.message;
    return result;
  }
  result.signature = 'ok';
  result.treeSize = checkpoint.checkpoint.size;
  result.keyName = checkpoint.verifiedBy[0]?.name;

  let included = false;
  try {
    included =
      checkpoint.checkpoint.size === input.proof.treeSize &&
      verifyInclusion({
        leafHash: computed,
        leafIndex: input.seq,
        treeSize: checkpoint.checkpoint.size,
        proof: input.proof.proof.map((p) => decodeBase64(p)),
        rootHash: checkpoint.checkpoint.rootHash,
      });
  } catch (error) {
    result.message = (error as Error).message;
  }
  result.inclusion = included ? 'ok' : 'failed';
  result.verified = result.leaf === 'ok' && result.signature === 'ok' && result.inclusion === 'ok';
  return result;
}
