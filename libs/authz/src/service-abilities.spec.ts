import fc from 'fast-check';
import { ACTIONS, SUBJECTS, asSubject, serviceAbilityFor } from './index';

const tenantId = '00000000-0000-4000-8000-000000000001';
const otherTenant = '00000000-0000-4000-8000-000000000002';
const SCOPE_GRANTS = {
  'recall:decide': ['create', 'RecallDecision'],
  'recall:record': ['create', 'ExternalRecall'],
  'directory:write': ['update', 'DirectoryPerson'],
} as const;
const SCOPES = Object.keys(SCOPE_GRANTS) as (keyof typeof SCOPE_GRANTS)[];

describe('service account abilities (docs/integration.md)', () => {
  it('allow exactly what the scopes grant, in the account’s organisation only', () => {
    fc.assert(
      fc.property(fc.subarray(SCOPES), (scopes) => {
        const ability = serviceAbilityFor({ serviceAccountId: 'a', tenantId, scopes });
        for (const action of ACTIONS) {
          for (const subject of SUBJECTS) {
            const granted = scopes.some((scope) => SCOPE_GRANTS[scope][0] === action && SCOPE_GRANTS[scope][1] === subject);
            expect(ability.can(action, subject)).toBe(granted);
            if (subject !== 'all') {
              expect(ability.can(action, asSubject(subject, { tenantId }))).toBe(granted);
              expect(ability.can(action, asSubject(subject, { tenantId: otherTenant }))).toBe(false);
            }
          }
        }
      }),
    );
  });

  it('ignore scopes they do not know', () => {
    const ability = serviceAbilityFor({ serviceAccountId: 'a', tenantId, scopes: ['directory:read', 'manage:all'] });
    expect(ACTIONS.flatMap((action) => SUBJECTS.filter((subject) => ability.can(action, subject)))).toEqual([]);
  });
});
