import { assertConsistentHead } from './checkpoint';
import { appendToFrontier, frontierFromLeafHashes, frontierRoot } from './compact-range';
import type { Hasher } from './hash';
import { emptyTreeRoot, hashChildren, hashLeaf, leafHashesNodeSource, rootFromLeafHashes } from './merkle';
import { buildConsistencyProof, buildInclusionProof, consistencyProofFromLeafHashes, inclusionProofFromLeafHashes } from './proof-generation';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification';
import { verifyExport } from './verify-export';
import { verifyProofBundle } from './verify-proof-bundle';

type WithoutHasher<F> = F extends (hasher: Hasher, ...args: infer A) => infer R ? (...args: A) => R : never;

function withHasher<F extends (hasher: Hasher, ...args: never[]) => unknown>(fn: F, hasher: Hasher): WithoutHasher<F> {
  return ((...args: unknown[]) => (fn as unknown as (...all: unknown[]) => unknown)(hasher, ...args)) as WithoutHasher<F>;
}

/**
 * Every function that hashes, with the hasher fixed. The Node entry (index.ts) binds
 * node:crypto and the browser entry (browser.ts) binds @noble/hashes; the code behind
 * both is the same.
 */
export function createAuditLog(hasher: Hasher) {
  return {
    hashLeaf: withHasher(hashLeaf, hasher),
    hashChildren: withHasher(hashChildren, hasher),
    emptyTreeRoot: withHasher(emptyTreeRoot, hasher),
    rootFromLeafHashes: withHasher(rootFromLeafHashes, hasher),
    leafHashesNodeSource: withHasher(leafHashesNodeSource, hasher),
    buildInclusionProof: withHasher(buildInclusionProof, hasher),
    buildConsistencyProof: withHasher(buildConsistencyProof, hasher),
    inclusionProofFromLeafHashes: withHasher(inclusionProofFromLeafHashes, hasher),
    consistencyProofFromLeafHashes: withHasher(consistencyProofFromLeafHashes, hasher),
    verifyInclusion: withHasher(verifyInclusion, hasher),
    rootFromInclusionProof: withHasher(rootFromInclusionProof, hasher),
    verifyConsistency: withHasher(verifyConsistency, hasher),
    appendToFrontier: withHasher(appendToFrontier, hasher),
    frontierRoot: withHasher(frontierRoot, hasher),
    frontierFromLeafHashes: withHasher(frontierFromLeafHashes, hasher),
    assertConsistentHead: withHasher(assertConsistentHead, hasher),
    verifyExport: withHasher(verifyExport, hasher),
    verifyProofBundle: withHasher(verifyProofBundle, hasher),
  };
}

export type AuditLogApi = ReturnType<typeof createAuditLog>;
