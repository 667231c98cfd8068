// Everything that does not hash, shared verbatim by the Node and browser entry points.
export { createAuditLog, type AuditLogApi } from './api';
export { decodeBase64, encodeBase64 } from './base64';
export { bytesEqual, decodeHex, encodeHex } from './bytes';
export { canonicalJson, canonicalJsonBytes, type JsonObject, type JsonPrimitive, type JsonValue } from './canonical-json';
export {
  formatCheckpointBody,
  MAX_CHECKPOINT_EXTENSIONS,
  MAX_ORIGIN_LENGTH,
  parseCheckpoint,
  parseCheckpointBody,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointInput,
  type CheckpointVerification,
} from './checkpoint';
export {
  EMPTY_FRONTIER,
  frontierFromNodeSource,
  frontierNodeRefs,
  parseFrontier,
  serializeFrontier,
  type CompletedNode,
  type Frontier,
  type SerializedFrontier,
} from './compact-range';
export { AuditLogError } from './errors';
export {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  formatExportCheckpoint,
  formatExportEntry,
  formatExportHeader,
  formatExportTrailer,
  parseExportLine,
  type ExportCheckpoint,
  type ExportEntry,
  type ExportHeader,
  type ExportHeaderInput,
  type ExportLine,
  type ExportPublicKey,
  type ExportTrailer,
} from './export-format';
export { nobleHasher, type Hasher } from './hash';
export {
  decodeLeaf,
  encodeLeaf,
  isTenantId,
  isUtcMillisTimestamp,
  LEAF_VERSION,
  LEAF_VERSIONS,
  type AuditEntry,
  type AuditEntryFields,
  type AuditLeaf,
  type LeafVersion,
} from './leaf';
export { fillLeafTemplate, leafTemplate, type LeafTemplate, type UnplacedEntry } from './leaf-template';
export { HASH_SIZE, type NodeSource } from './merkle';
export { consistencyProofPlan, inclusionProofPlan, type ProofPlan } from './proof-generation';
export type { ConsistencyClaim, InclusionClaim } from './proof-verification';
export {
  formatSignerKey,
  formatVerifierKey,
  generateNoteSigner,
  MAX_NOTE_LENGTH,
  MAX_NOTE_SIGNATURES,
  noteKeyId,
  noteSignerFromPrivateKey,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  sameVerifierKey,
  signNote,
  verifierKeyOf,
  verifyNote,
  type NoteSignature,
  type NoteSignerKey,
  type NoteVerification,
  type NoteVerifierKey,
  type ParsedNote,
} from './signed-note';
export type { NodeRef } from './tree-math';
export {
  collectCheckpointNotes,
  type ExportProblem,
  type ExportProblemCode,
  type ExportVerification,
  type ExportWarning,
  type ExportWarningCode,
  type VerifyExportOptions,
  type VerifyProgress,
} from './verify-export';
export {
  formatProofBundleEntry,
  formatProofBundleHeader,
  isProofBundleHeaderLine,
  parseProofBundleLine,
  PROOF_BUNDLE_FORMAT,
  PROOF_BUNDLE_FORMAT_VERSION,
  type ProofBundleEntry,
  type ProofBundleHeader,
  type ProofBundleHeaderInput,
  type ProofBundleLine,
} from './proof-bundle';
export type { ProofBundleProblem, ProofBundleProblemCode, ProofBundleVerification, VerifyProofBundleOptions } from './verify-proof-bundle';
