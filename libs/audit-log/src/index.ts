// Node entry point: hashing through node:crypto. Browser bundles import browser.ts.
import { createAuditLog } from './api';
import { nodeCryptoHasher } from './hash-node';

export * from './portable';
export { nodeCryptoHasher };

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
} = createAuditLog(nodeCryptoHasher);
