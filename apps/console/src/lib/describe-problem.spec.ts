import { describe, expect, it } from '@jest/globals';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';
import { describeProblem, fieldErrorsOf } from './describe-problem';
import { toProblem } from './problem';

describe('describeProblem', () => {
  it('says a refused erasure in words, in both languages, and keeps the server detail', () => {
    const problem = toProblem(409, { code: 'LEGAL_HOLD_ACTIVE', title: 'Conflict', status: 409, detail: 'A legal hold covers this person', auditSeq: 9 });
    expect(describeProblem(problem, en.problems, 'en', en.duration).message).toMatch(/^Refused: a legal hold covers this person/);
    expect(describeProblem(problem, zhCN.problems, 'zh-CN', zhCN.duration).message).toMatch(/^已拒绝/);
    expect(describeProblem(problem, en.problems, 'en', en.duration).detail).toBe('A legal hold covers this person');
  });

  it('adds the wait to rate limits and falls back on the status for unknown codes', () => {
    const limited = toProblem(429, { code: 'RATE_LIMITED', title: 'x' }, '42');
    expect(describeProblem(limited, en.problems, 'en', en.duration).message).toBe(
      'You have recalled too many messages in the last hour. Try again in 42 seconds.',
    );
    expect(describeProblem(toProblem(403, { code: 'SOMETHING_NEW', title: 'x' }), en.problems, 'en', en.duration).message).toBe(en.problems.codes.FORBIDDEN);
    expect(describeProblem(toProblem(418, { code: 'SOMETHING_NEW', title: 'x' }), en.problems, 'en', en.duration).message).toBe(
      'The request failed (HTTP 418). Try again in a moment.',
    );
    expect(describeProblem(toProblem(401, {}), en.problems, 'en', en.duration).message).toBe(en.problems.session);
  });

  it('maps field errors by full path and by last segment', () => {
    const problem = toProblem(400, {
      code: 'VALIDATION_FAILED',
      title: 'x',
      errors: [{ field: 'settings.windowSeconds', message: 'must be at most 86400', code: 'too_big' }],
    });
    expect(fieldErrorsOf(problem)).toEqual({ 'settings.windowSeconds': 'must be at most 86400', windowSeconds: 'must be at most 86400' });
  });
});
