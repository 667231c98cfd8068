import { abilityFor, asSubject, navigationFor } from './index';

const tenantId = '00000000-0000-4000-8000-000000000001';
const otherTenant = '00000000-0000-4000-8000-000000000002';
const me = '10000000-0000-4000-8000-000000000001';

describe('abilities', () => {
  it('lets an employee recall only their own messages in their own tenant', () => {
    const ability = abilityFor({ userId: me, tenantId, roles: ['EMPLOYEE'] });
    expect(ability.can('recall', asSubject('Message', { tenantId, senderId: me }))).toBe(true);
    expect(ability.can('recall', asSubject('Message', { tenantId, senderId: 'someone-else' }))).toBe(false);
    expect(ability.can('recall', asSubject('Message', { tenantId: otherTenant, senderId: me }))).toBe(false);
  });

  it('keeps recalled content from admins who are not compliance officers', () => {
    const admin = abilityFor({ userId: me, tenantId, roles: ['ADMIN'] });
    expect(admin.can('read', 'AuditEntry')).toBe(true);
    expect(admin.can('readContent', 'AuditEntry')).toBe(false);
    const both = abilityFor({ userId: me, tenantId, roles: ['ADMIN', 'COMPLIANCE'] });
    expect(both.can('readContent', asSubject('AuditEntry', { tenantId }))).toBe(true);
    expect(both.can('readContent', asSubject('AuditEntry', { tenantId: otherTenant }))).toBe(false);
  });

  it('filters navigation by role', () => {
    const keys = (roles: Parameters<typeof abilityFor>[0]['roles']) => navigationFor(abilityFor({ userId: me, tenantId, roles })).map((item) => item.key);
    expect(keys(['EMPLOYEE'])).toEqual(['home', 'messages']);
    expect(keys(['ADMIN'])).toEqual(['home', 'policy', 'users', 'webhooks', 'serviceAccounts', 'sso', 'people', 'insights']);
    expect(keys(['COMPLIANCE'])).toEqual(['home', 'people', 'audit', 'cases', 'integrity', 'exports', 'legalHolds', 'insights']);
  });
});
