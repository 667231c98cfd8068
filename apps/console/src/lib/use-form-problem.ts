'use client';

import { useCallback, useState } from 'react';
import { fieldErrorsOf } from './describe-problem';
import type { ProblemDetails } from './problem';

/**
 * A form's submit state: field errors, the request's problem and whether it is busy.
 * `fail` shows a refused request both as a problem and as errors on the fields it names.
 */
export function useFormProblem() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = useCallback((next: ProblemDetails) => {
    setProblem(next);
    setErrors(fieldErrorsOf(next));
  }, []);
  return { errors, setErrors, problem, setProblem, busy, setBusy, fail };
}
