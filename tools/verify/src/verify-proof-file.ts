import { open } from 'node:fs/promises';
import { createAuditLog, isProofBundleHeaderLine, type ProofBundleVerification, type VerifyProofBundleOptions } from '@retract/audit-log';
import { readLines } from './read-lines';
import { sha256Hasher } from './sha256-hasher';

const { verifyProofBundle } = createAuditLog(sha256Hasher);

// A header line is a few hundred bytes per public key; this reads past any real one.
const HEADER_PROBE_BYTES = 64 * 1024;

/** Whether the file is a proof bundle (a case's entries with inclusion proofs) rather than an export. */
export async function isProofBundleFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEADER_PROBE_BYTES), 0, HEADER_PROBE_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return isProofBundleHeaderLine(end < 0 ? text : text.slice(0, end));
  } finally {
    await handle.close();
  }
}

/** Verifies a proof bundle file in one streaming pass (libs/audit-log README, "Proof bundles"). */
export function verifyProofBundleFile(file: string, options: VerifyProofBundleOptions): Promise<ProofBundleVerification> {
  return verifyProofBundle(readLines(file), options);
}
