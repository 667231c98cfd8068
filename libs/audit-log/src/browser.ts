// Browser entry point: the same API as index.ts with pure-JS SHA-256, so a bundle never
// pulls in node:crypto. Keep the list below identical to index.ts (a test checks it).
import { createAuditLog } from './api';
import { nobleHasher } from './hash';

export * from './portable';

export const {
  hashLeaf,
  hashChildren,
  emptyTreeRoot,
  rootFromLeafHashes,
  leafHashesNodeSource,
  buildInclusionProof,
  buildConsistencyProof,
  inclusionProofFromLeafHashes,
  consistencyProofFromLeafHashes,
  verifyInclusion,
  rootFromInclusionProof,
  verifyConsistency,
  appendToFrontier,
  frontierRoot,
  frontierFromLeafHashes,
  assertConsistentHead,
  verifyExport,
  verifyProofBundle,
} = createAuditLog(nobleHasher);
