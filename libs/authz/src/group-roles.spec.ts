import fc from 'fast-check';
import { ROLES, type Role } from '@retract/contracts';
import { groupRoleChange, rolesForGroups } from './group-roles';

const groupNames = fc.constantFrom('admins', 'compliance', 'staff', 'sales', 'ops');
const mapping = fc.array(fc.record({ group: groupNames, role: fc.constantFrom(...ROLES) }), { maxLength: 6 });
const groups = fc.uniqueArray(groupNames, { maxLength: 5 });
const roles = fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: ROLES.length });

describe('group-to-role mapping (docs/identity.md)', () => {
  it('always gives EMPLOYEE, and a role only through a group the person is in', () => {
    fc.assert(
      fc.property(mapping, groups, (m, g) => {
        const given = rolesForGroups(m, g);
        expect(given).toContain('EMPLOYEE');
        for (const role of given) if (role !== 'EMPLOYEE') expect(m.some((x) => x.role === role && g.includes(x.group))).toBe(true);
      }),
    );
  });

  it('changes nothing when the groups do not change, and touches only roles the mapping ties to the groups that changed', () => {
    fc.assert(
      fc.property(mapping, groups, groups, roles, (m, before, after, held) => {
        expect(groupRoleChange(m, before, before, held)).toEqual({ add: [], remove: [] });
        const { add, remove } = groupRoleChange(m, before, after, held);
        for (const role of add) expect(held).not.toContain(role);
        for (const role of remove) expect(held).toContain(role);
        expect(remove).not.toContain('EMPLOYEE');
        for (const role of [...add, ...remove]) expect(m.some((x) => x.role === role) || role === 'EMPLOYEE').toBe(true);
      }),
    );
  });

  it('joining then leaving gives back the roles held before, when none was held through the groups already', () => {
    fc.assert(
      fc.property(mapping, groups, roles, (m, joined, held0) => {
        const held: Role[] = held0.filter((role) => !m.some((x) => x.role === role));
        const join = groupRoleChange(m, [], joined, held);
        const during = [...held, ...join.add];
        const leave = groupRoleChange(m, joined, [], during);
        expect(during.filter((role) => !leave.remove.includes(role)).sort()).toEqual([...held].sort());
      }),
    );
  });
});
