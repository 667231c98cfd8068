import { describe, expect, it } from '@jest/globals';
import { dayParam, enumParam, intListParam, intParam, patternParam, textParam, uuidParam } from './params';

describe('query parameters', () => {
  it('drops anything malformed instead of passing it on to the API', () => {
    const params = { id: 'not-a-uuid', seq: '12x', day: '2026-13-45', kind: 'DROP TABLE', trail: '0,50,abc,100' };
    expect(uuidParam(params, 'id')).toBeUndefined();
    expect(intParam(params, 'seq')).toBeUndefined();
    expect(dayParam(params, 'day')).toBeUndefined();
    expect(enumParam(params, 'kind', ['A', 'B'] as const)).toBeUndefined();
    expect(intListParam(params, 'trail')).toEqual([0, 50, 100]);
    expect(patternParam({ source: 'rocket chat' }, 'source', /^[a-z0-9][a-z0-9._-]{0,31}$/)).toBeUndefined();
  });

  it('reads well-formed values (first of repeated ones), trimmed and bounded', () => {
    expect(uuidParam({ id: ['0F8FAD5B-D9CB-469F-A165-70867728950E', 'x'] }, 'id')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(intParam({ seq: '41' }, 'seq', 1)).toBe(41);
    expect(intParam({ seq: '0' }, 'seq', 1)).toBeUndefined();
    expect(dayParam({ day: '2026-11-28' }, 'day')).toBe('2026-11-28');
    expect(textParam({ q: `  ${'x'.repeat(300)} ` }, 'q')).toHaveLength(200);
    expect(patternParam({ source: [' RocketChat ', 'x'] }, 'source', /^[a-z0-9][a-z0-9._-]{0,31}$/)).toBe('rocketchat');
  });
});
