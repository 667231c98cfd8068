import fc from 'fast-check';
import { userFromResource } from './attributes';
import { MAX_PAGE_SIZE, pageWindow } from './pagination';
import { excludesMembers, ifMatchHolds, toScimGroup, toScimUser, type StoredUser } from './resources';

const base = 'https://retract.example/scim/v2';
const stored: StoredUser = {
  id: '2819c223-7f76-453a-919d-413861904646',
  userName: 'bjensen@example.com',
  externalId: null,
  displayName: 'Barbara Jensen',
  email: 'bjensen@example.com',
  active: true,
  createdAt: new Date('2026-12-01T00:00:00Z'),
  updatedAt: new Date('2026-12-02T00:00:00Z'),
};

describe('SCIM resources', () => {
  it('changes meta.version with any attribute a client sees, and only then', () => {
    fc.assert(
      fc.property(fc.constantFrom('userName', 'displayName', 'email', 'externalId', 'active'), fc.string({ minLength: 1, maxLength: 30 }), (field, text) => {
        const changed = { ...stored, [field]: field === 'active' ? !stored.active : `${text}@x` };
        expect(toScimUser(changed, base).meta.version).not.toBe(toScimUser(stored, base).meta.version);
        const touched = { ...stored, updatedAt: new Date(stored.updatedAt.getTime() + 1000) };
        expect(toScimUser(touched, base).meta.version).toBe(toScimUser(stored, base).meta.version);
      }),
    );
  });

  it('matches If-Match weakly, with * and lists', () => {
    const { version } = toScimUser(stored, base).meta;
    expect(ifMatchHolds(undefined, version)).toBe(true);
    expect(ifMatchHolds('*', version)).toBe(true);
    expect(ifMatchHolds(version, version)).toBe(true);
    expect(ifMatchHolds(version.replace('W/', ''), version)).toBe(true);
    expect(ifMatchHolds(`W/"other", ${version}`, version)).toBe(true);
    expect(ifMatchHolds('W/"other"', version)).toBe(false);
  });

  it('leaves members out only when asked, with the same version', () => {
    const group = {
      id: 'g1',
      displayName: 'Sales',
      externalId: 'e',
      members: [{ id: 'u1', display: 'a@b.c' }],
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
    const full = toScimGroup(group, base);
    const bare = toScimGroup(group, base, false);
    expect(full.members).toEqual([{ value: 'u1', display: 'a@b.c', $ref: `${base}/Users/u1` }]);
    expect(bare).not.toHaveProperty('members');
    expect(bare.meta.version).toBe(full.meta.version);
    expect(excludesMembers({ excludedAttributes: 'members' })).toBe(true);
    expect(excludesMembers({ attributes: 'displayName' })).toBe(true);
    expect(excludesMembers({ attributes: 'displayName,members' })).toBe(false);
    expect(excludesMembers({})).toBe(false);
  });

  it('pages with startIndex and count as RFC 7644 §3.4.2.4 says, whatever is asked', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: -1000, max: 100000 }), { nil: undefined }),
        fc.option(fc.integer({ min: -1000, max: 100000 }), { nil: undefined }),
        (start, count) => {
          const page = pageWindow(start, count);
          expect(page.startIndex).toBe(start !== undefined && start > 1 ? start : 1);
          expect(page.offset).toBe(page.startIndex - 1);
          expect(page.limit).toBeGreaterThanOrEqual(0);
          expect(page.limit).toBeLessThanOrEqual(MAX_PAGE_SIZE);
          if (count !== undefined && count >= 0 && count <= MAX_PAGE_SIZE) expect(page.limit).toBe(count);
        },
      ),
    );
  });

  it('takes the email and name from Okta’s and Entra ID’s user documents', () => {
    // Okta's "Create the user" request (developer.okta.com, SCIM 2.0 protocol reference).
    expect(
      userFromResource({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'test.user@okta.local',
        name: { givenName: 'Test', familyName: 'User' },
        emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
        displayName: 'Test User',
        externalId: '00ujl29u0le5T6Aj10h7',
        active: true,
      }),
    ).toEqual({ userName: 'test.user@okta.local', externalId: '00ujl29u0le5T6Aj10h7', displayName: 'Test User', email: 'test.user@okta.local', active: true });
    // Entra ID's "Create User" request (learn.microsoft.com, SCIM endpoint tutorial): no displayName.
    expect(
      userFromResource({
        userName: 'Test_User_ab6490ee@testuser.com',
        active: true,
        emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b@testuser.com' }],
        name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      }),
    ).toMatchObject({ displayName: 'givenName familyName', email: 'test_user_fd0ea19b@testuser.com', externalId: null });
    expect(() => userFromResource({ userName: 'no-address' })).toThrow(expect.objectContaining({ scimType: 'invalidValue' }));
  });
});

describe('what Retract stores', () => {
  it('takes any display name as storable text within the bound, never half a surrogate pair', () => {
    const nearTheBound = fc
      .tuple(fc.integer({ min: 100, max: 130 }), fc.array(fc.constantFrom('😀', 'a', 'é'), { minLength: 1, maxLength: 20 }))
      .map(([k, tail]) => 'x'.repeat(k) + tail.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), nearTheBound), (name) => {
        try {
          const { displayName } = userFromResource({ userName: 'a@b.c', displayName: name });
          expect(displayName.length).toBeLessThanOrEqual(120);
          expect(/^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(displayName)).toBe(true);
        } catch (error) {
          expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' });
        }
      }),
    );
  });
});
