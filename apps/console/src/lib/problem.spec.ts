import { describe, expect, it } from '@jest/globals';
import { fieldName, parseRetryAfter, toProblem } from './problem';

describe('toProblem', () => {
  it('keeps an RFC 9457 document with its field errors', () => {
    const problem = toProblem(400, {
      type: 'https://retract.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'The request is not valid',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', message: 'Invalid email', code: 'invalid_format' }, { field: 3 }],
    });
    expect(problem).toEqual({
      type: 'https://retract.dev/problems/validation-failed',
      title: 'Validation failed',
      status: 400,
      detail: 'The request is not valid',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'email', message: 'Invalid email', code: 'invalid_format' }],
    });
  });

  it('synthesizes a problem from a bare status (e.g. a proxy error page)', () => {
    expect(toProblem(502, undefined)).toMatchObject({ status: 502, code: 'INTERNAL', type: 'about:blank' });
    expect(toProblem(401, 'Unauthorized')).toMatchObject({ status: 401, code: 'INTERNAL', title: 'HTTP 401' });
  });

  it('adds the Retry-After delay', () => {
    expect(toProblem(429, { code: 'TOO_MANY_REQUESTS' }, '42').retryAfterSeconds).toBe(42);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120')).toBe(120);
  });

  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores missing or malformed values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });
});

describe('fieldName', () => {
  it.each([
    ['email', 'email'],
    ['body.email', 'email'],
    ['/email', 'email'],
    ['["email"]', 'email'],
    ['user.tenant', 'tenant'],
  ])('maps %s to %s', (field, name) => {
    expect(fieldName(field)).toBe(name);
  });

  it('keeps extension members apart from the standard ones', () => {
    const problem = toProblem(409, { type: 't', title: 'Conflict', status: 409, code: 'LEGAL_HOLD_ACTIVE', auditSeq: 12, holdIds: ['a'] });
    expect(problem.extensions).toEqual({ auditSeq: 12, holdIds: ['a'] });
    expect(toProblem(404, { code: 'NOT_FOUND', title: 'x' }).extensions).toBeUndefined();
  });
});
