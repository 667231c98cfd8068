import {
  encodeLeaf,
  formatExportCheckpoint,
  formatExportTrailer,
  formatProofBundleEntry,
  formatProofBundleHeader,
  formatVerifierKey,
  hashLeaf,
  inclusionProofFromLeafHashes,
  rootFromLeafHashes,
  signCheckpoint,
  type NoteSignerKey,
} from '../index';
import { syntheticEntry, syntheticSigner, SYNTHETIC_ORIGIN, SYNTHETIC_TENANT_ID } from './synthetic-export';

/**
 * A deterministic proof bundle (case.jsonl) for tests: the synthetic log's first `treeSize`
 * entries, a checkpoint signed over them, and the chosen entries each with its inclusion
 * proof — the way the API writes a case export (docs/audit-log.md).
 */
export interface SyntheticProofBundleOptions {
  /** Size of the signed tree the entries are proved in. */
  readonly treeSize: number;
  /** The seqs the bundle carries, ascending. */
  readonly seqs: readonly number[];
  readonly signer?: NoteSignerKey;
}

export function syntheticProofBundleLines({ treeSize, seqs, signer = syntheticSigner() }: SyntheticProofBundleOptions): string[] {
  const leaves = Array.from({ length: treeSize }, (_, seq) => encodeLeaf(syntheticEntry(SYNTHETIC_TENANT_ID, seq, 40)));
  const leafHashes = leaves.map((leaf) => hashLeaf(leaf));
  return [
    formatProofBundleHeader({
      tenantId: SYNTHETIC_TENANT_ID,
      origin: SYNTHETIC_ORIGIN,
      treeSize,
      exportedAt: '2026-12-03T08:00:00.000Z',
      publicKeys: [{ name: signer.name, vkey: formatVerifierKey(signer) }],
    }),
    formatExportCheckpoint(signCheckpoint({ origin: SYNTHETIC_ORIGIN, size: treeSize, rootHash: rootFromLeafHashes(leafHashes) }, signer)),
    ...seqs.map((seq) => formatProofBundleEntry(seq, leaves[seq], leafHashes[seq], inclusionProofFromLeafHashes(leafHashes, seq))),
    formatExportTrailer(seqs.length),
  ];
}
