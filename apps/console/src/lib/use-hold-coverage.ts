'use client';

import type { LegalHoldCoverage } from '@retract/contracts';
import { useEffect, useState } from 'react';
import { callApi } from './client-api';
import { isUuid } from './params';
import type { ProblemDetails } from './problem';

export type HoldCoverageState =
  { state: 'idle' } | { state: 'loading' } | { state: 'done'; coverage: LegalHoldCoverage } | { state: 'failed'; status: number; problem: ProblemDetails };

type Answer = { key: string } & ({ state: 'done'; coverage: LegalHoldCoverage } | { state: 'failed'; status: number; problem: ProblemDetails });

/**
 * Which active legal holds cover a person, and why (`GET /api/v1/legal-holds/coverage`, compliance
 * only). Asked once the id is a whole UUID; `revision` asks again (after a hold or an erasure changed
 * it). An answer for an earlier id or revision is never shown for the current one.
 */
export function useHoldCoverage(subjectUserId: string | null, revision: string | number = 0): HoldCoverageState {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const key = subjectUserId && isUuid(subjectUserId) ? `${subjectUserId}#${revision}` : null;

  useEffect(() => {
    if (!key || !subjectUserId) return;
    const controller = new AbortController();
    callApi<LegalHoldCoverage>(`/api/v1/legal-holds/coverage?subjectUserId=${encodeURIComponent(subjectUserId)}`, { signal: controller.signal }).then(
      (res) => setAnswer(res.ok ? { key, state: 'done', coverage: res.data } : { key, state: 'failed', status: res.status, problem: res.problem }),
      () => undefined, // aborted: a newer id or revision is being asked for
    );
    return () => controller.abort();
  }, [key, subjectUserId]);

  if (!key) return { state: 'idle' };
  if (answer?.key !== key) return { state: 'loading' };
  return answer.state === 'done' ? { state: 'done', coverage: answer.coverage } : { state: 'failed', status: answer.status, problem: answer.problem };
}
