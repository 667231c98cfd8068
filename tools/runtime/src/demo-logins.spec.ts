import { demoLoginLines } from './demo-logins';

describe("npm start's demo logins", () => {
  const tenants = [
    { slug: 'acme', admin: { email: 'admin@acme.test', roles: ['ADMIN'] }, users: [{ email: 'alice@acme.test', roles: ['EMPLOYEE'] }] },
    { slug: 'globex', admin: { email: 'admin@globex.test', roles: ['ADMIN'] }, users: [{ email: 'bob@globex.test', roles: ['EMPLOYEE'] }] },
  ];

  it('lists only administrators, and says why, for an organisation whose password sign-in is off', () => {
    expect(demoLoginLines(tenants, new Set(['globex']))).toEqual([
      '    organisation "acme": admin@acme.test (ADMIN), alice@acme.test (EMPLOYEE)',
      '    organisation "globex": admin@globex.test (ADMIN) (password sign-in is off for everyone else: they sign in through its identity provider)',
    ]);
  });
});
