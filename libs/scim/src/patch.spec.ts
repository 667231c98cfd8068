import fc from 'fast-check';
import type { GroupAttributes, UserAttributes } from './attributes';
import { applyGroupPatch, applyUserPatch, parsePatchPath, patchOperations, type PatchOperation } from './patch';
import { SCIM } from './scim-schemas';

const user: UserAttributes = {
  userName: 'bjensen@example.com',
  externalId: 'ext-1',
  displayName: 'Barbara Jensen',
  email: 'bjensen@example.com',
  active: true,
};
const ops = (...operations: { op: string; path?: string; value?: unknown }[]) => patchOperations({ schemas: [SCIM.patchOp], Operations: operations });
const ids = fc.uniqueArray(fc.uuid(), { maxLength: 12 });
const group = (members: string[]): GroupAttributes => ({ displayName: 'Sales', externalId: null, members });
const sameSet = (a: readonly string[], b: readonly string[]) => expect([...a].sort()).toEqual([...b].sort());

describe('SCIM PATCH (RFC 7644 §3.5.2)', () => {
  describe('users', () => {
    it('deactivates in Okta’s shape and in Entra ID’s shape alike', () => {
      const okta = applyUserPatch(user, ops({ op: 'replace', value: { active: false } }));
      const entra = applyUserPatch(user, ops({ op: 'Replace', path: 'active', value: 'False' }));
      expect(okta).toEqual({ ...user, active: false });
      expect(entra).toEqual(okta);
    });

    it('reads every spelling of a boolean the same way: true/false, "True"/"FALSE", with any case of op', () => {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.constantFrom('replace', 'Replace', 'REPLACE', 'add', 'Add'),
          fc.constantFrom('bool', 'lower', 'title', 'upper'),
          (active, op, spelling) => {
            const value =
              spelling === 'bool'
                ? active
                : spelling === 'lower'
                  ? String(active)
                  : spelling === 'upper'
                    ? String(active).toUpperCase()
                    : active
                      ? 'True'
                      : 'False';
            expect(applyUserPatch({ ...user, active: !active }, ops({ op, path: 'active', value })).active).toBe(active);
          },
        ),
      );
    });

    it('is the same whether attributes come one path each or in one value object', () => {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
          fc.option(fc.string({ minLength: 1, maxLength: 40 })),
          (active, displayName, externalId) => {
            const values = { active, displayName, externalId };
            const onePerPath = applyUserPatch(user, ops(...Object.entries(values).map(([path, value]) => ({ op: 'replace', path, value }))));
            const oneObject = applyUserPatch(user, ops({ op: 'replace', value: values }));
            expect(oneObject).toEqual(onePerPath);
          },
        ),
      );
    });

    it('replaces the email through Entra ID’s emails[type eq "work"].value and ignores attributes Retract does not keep', () => {
      const patched = applyUserPatch(
        user,
        ops(
          { op: 'Replace', path: 'emails[type eq "work"].value', value: 'Barbara@Example.com' },
          { op: 'Replace', path: 'name.familyName', value: 'Jensen-Smith' },
          { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: '42' },
          { op: 'Replace', path: 'title', value: 'Tour guide' },
        ),
      );
      expect(patched).toEqual({ ...user, email: 'barbara@example.com' });
    });

    it('removes externalId, and refuses to remove what Retract requires', () => {
      expect(applyUserPatch(user, ops({ op: 'remove', path: 'externalId' })).externalId).toBeNull();
      for (const path of ['userName', 'active', 'displayName', 'emails']) {
        expect(() => applyUserPatch(user, ops({ op: 'remove', path }))).toThrow(expect.objectContaining({ status: 400, scimType: 'mutability' }));
      }
    });

    it('refuses what is not a PatchOp: another op, no schema, a remove without path, a value that is not a boolean', () => {
      expect(() => ops({ op: 'move', path: 'active', value: true })).toThrow(expect.objectContaining({ scimType: 'invalidSyntax' }));
      expect(() => patchOperations({ schemas: [SCIM.user], Operations: [{ op: 'replace', path: 'active', value: false }] })).toThrow(
        expect.objectContaining({ scimType: 'invalidSyntax' }),
      );
      expect(() => ops({ op: 'remove' })).toThrow(expect.objectContaining({ scimType: 'noTarget' }));
      expect(() => applyUserPatch(user, ops({ op: 'replace', path: 'active', value: 'no' }))).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
      expect(() => applyUserPatch(user, ops({ op: 'replace', path: 'emails[type eq work].value', value: 'a@b.c' }))).toThrow(
        expect.objectContaining({ scimType: 'invalidPath' }),
      );
    });
  });

  describe('groups', () => {
    it('adding members then removing them (Entra ID’s value list, or Okta’s members[value eq] one by one) gives the group back', () => {
      fc.assert(
        fc.property(ids, ids, fc.boolean(), (start, more, oneByOne) => {
          const fresh = more.filter((id) => !start.includes(id));
          const added = applyGroupPatch(group(start), ops({ op: 'Add', path: 'members', value: fresh.map((value) => ({ value })) }));
          sameSet(added.members, [...start, ...fresh]);
          const removal = oneByOne
            ? ops(...(fresh.length ? fresh.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })) : [{ op: 'remove', path: 'members', value: [] }]))
            : ops({ op: 'Remove', path: 'members', value: fresh.map((value) => ({ value })) });
          sameSet(applyGroupPatch(added, removal).members, start);
        }),
      );
    });

    it('adding is idempotent and never repeats a member', () => {
      fc.assert(
        fc.property(ids, ids, (start, named) => {
          const add: PatchOperation[] = ops({ op: 'add', path: 'members', value: named.map((value) => ({ value })) });
          const once = applyGroupPatch(group(start), add);
          expect(applyGroupPatch(once, add)).toEqual(once);
          expect(new Set(once.members).size).toBe(once.members.length);
        }),
      );
    });

    it('replace sets the members; remove without a value empties the group', () => {
      fc.assert(
        fc.property(ids, ids, (start, next) => {
          sameSet(applyGroupPatch(group(start), ops({ op: 'replace', path: 'members', value: next.map((value) => ({ value })) })).members, next);
          expect(applyGroupPatch(group(start), ops({ op: 'remove', path: 'members' })).members).toEqual([]);
        }),
      );
    });

    it('renames in Okta’s shape (id in the value is ignored) and in Entra ID’s', () => {
      expect(applyGroupPatch(group([]), ops({ op: 'replace', value: { id: 'x', displayName: 'Sales EMEA' } })).displayName).toBe('Sales EMEA');
      expect(applyGroupPatch(group([]), ops({ op: 'Replace', path: 'displayName', value: 'Sales EMEA' })).displayName).toBe('Sales EMEA');
    });
  });

  it('parses paths with core URNs, filters and sub-attributes', () => {
    expect(parsePatchPath('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toEqual({ attribute: 'username', extension: false });
    expect(parsePatchPath('members[value eq "2819c223"]')).toEqual({
      attribute: 'members',
      filter: { attribute: 'value', value: '2819c223' },
      extension: false,
    });
    expect(parsePatchPath('emails[primary eq true].value')).toEqual({
      attribute: 'emails',
      filter: { attribute: 'primary', value: true },
      sub: 'value',
      extension: false,
    });
    expect(parsePatchPath('name.givenName')).toEqual({ attribute: 'name', sub: 'givenname', extension: false });
  });
});
