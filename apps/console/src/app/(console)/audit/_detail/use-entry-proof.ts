import type { AuditEntryDetail } from '@retract/contracts';
import { useCallback, useState } from 'react';
import type { ProblemDetails } from '../../../../lib/problem';
import type { EntryVerification } from '../../../../lib/verify-entry';
import { loadInclusionProof, loadKeys, signCheckpoint } from './entry-requests';

export type Proof =
  | { state: 'loading' }
  | { state: 'uncovered' }
  | { state: 'withheld' }
  | { state: 'failed'; problem: ProblemDetails }
  | { state: 'checked'; result: EntryVerification; keyName?: string };

/**
 * Checks an entry in the browser: its leaf against its hash, an inclusion proof to the latest
 * signed checkpoint, and the checkpoint's signature against the organisation's published keys.
 * An entry newer than every checkpoint is "uncovered" until someone signs one (`sign`).
 */
export function useEntryProof(seq: number) {
  const [proof, setProof] = useState<Proof>({ state: 'loading' });
  const [signing, setSigning] = useState(false);
  const [signProblem, setSignProblem] = useState<ProblemDetails | null>(null);

  const check = useCallback(
    async (entry: AuditEntryDetail, refreshKeys = false) => {
      if (entry.leaf === null) {
        setProof({ state: 'withheld' });
        return;
      }
      const leaf = entry.leaf;
      setProof({ state: 'loading' });
      const [proofRes, keysRes, lib] = await Promise.all([loadInclusionProof(seq), loadKeys(refreshKeys), import('../../../../lib/verify-entry')]);
      if (!proofRes.ok) {
        // 400 on `seq`: the entry is newer than the latest signed checkpoint; 404: no checkpoint yet.
        const uncovered = proofRes.status === 400 && proofRes.problem.errors?.some((e) => e.field.endsWith('seq'));
        setProof(uncovered || proofRes.status === 404 ? { state: 'uncovered' } : { state: 'failed', problem: proofRes.problem });
        return;
      }
      if (!keysRes.ok) {
        setProof({ state: 'failed', problem: keysRes.problem });
        return;
      }
      if (!proofRes.data.checkpoint) {
        setProof({ state: 'uncovered' });
        return;
      }
      const result = lib.verifyEntry({ seq, leaf, leafHash: entry.leafHash, proof: proofRes.data, keys: keysRes.data });
      setProof({ state: 'checked', result, keyName: result.keyName ?? keysRes.data.keys[0]?.vkey });
    },
    [seq],
  );

  const sign = useCallback(
    async (entry: AuditEntryDetail) => {
      setSigning(true);
      setSignProblem(null);
      const res = await signCheckpoint();
      setSigning(false);
      if (!res.ok) {
        setSignProblem(res.problem);
        return;
      }
      await check(entry, true);
    },
    [check],
  );

  return { proof, check, sign, signing, signProblem };
}
