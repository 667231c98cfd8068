import { randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client';

export const PASSWORD = 'reliability-password-1234';

export interface Person {
  id: string;
  email: string;
  token: string;
}

export interface Employee extends Person {
  /** A DIRECT conversation with the next employee of the organisation. */
  conversationId: string;
}

export interface Organisation {
  id: string;
  slug: string;
  admin: Person;
  compliance: Person;
  employees: Employee[];
}

async function login(api: ApiClient, slug: string, email: string): Promise<string> {
  const { accessToken } = await api.json<{ accessToken: string }>('POST', '/api/v1/auth/login', undefined, { tenant: slug, email, password: PASSWORD });
  return accessToken;
}

/** A password an administrator sets must be replaced at the first sign-in (docs/architecture.md, "Password resets"). */
const ADMIN_SET_PASSWORD = `${PASSWORD}-set-by-admin`;

async function createUser(api: ApiClient, slug: string, adminToken: string, localPart: string, role: 'EMPLOYEE'): Promise<Person> {
  const email = `${localPart}@${slug}.test`;
  const user = await api.json<{ id: string }>('POST', '/api/v1/users', adminToken, {
    email,
    displayName: localPart,
    roles: [role],
    password: ADMIN_SET_PASSWORD,
  });
  const { accessToken } = await api.json<{ accessToken: string }>('POST', '/api/v1/auth/login', undefined, {
    tenant: slug,
    email,
    password: ADMIN_SET_PASSWORD,
  });
  await api.json('PUT', '/api/v1/me/password', accessToken, { currentPassword: ADMIN_SET_PASSWORD, newPassword: PASSWORD }, [204]);
  return { id: user.id, email, token: accessToken };
}

/**
 * An organisation provisioned the way an operator does it (POST /api/v1/platform/tenants), its
 * people created by its admin, and each employee in a direct conversation with the next one.
 */
export async function createOrganisation(api: ApiClient, platformToken: string, employees: number): Promise<Organisation> {
  if (employees < 2) throw new Error('an organisation needs two employees to converse');
  const slug = `rel-${randomBytes(4).toString('hex')}`;
  const created = await api.json<{ tenant: { id: string }; admin: { id: string; email: string }; compliance: { id: string; email: string } }>(
    'POST',
    '/api/v1/platform/tenants',
    platformToken,
    {
      slug,
      name: `Reliability ${slug}`,
      adminEmail: `admin@${slug}.test`,
      adminPassword: PASSWORD,
      complianceEmail: `compliance@${slug}.test`,
      compliancePassword: PASSWORD,
    },
  );
  const admin: Person = { id: created.admin.id, email: created.admin.email, token: await login(api, slug, created.admin.email) };
  // The first compliance officer is named at provisioning: COMPLIANCE granted later waits for one's approval.
  const compliance: Person = { id: created.compliance.id, email: created.compliance.email, token: await login(api, slug, created.compliance.email) };
  const people: Person[] = [];
  for (let i = 0; i < employees; i++) people.push(await createUser(api, slug, admin.token, `employee${i}`, 'EMPLOYEE'));
  const staff: Employee[] = [];
  for (const [i, person] of people.entries()) {
    const peer = people[(i + 1) % people.length];
    const conversation = await api.json<{ id: string }>('POST', '/api/v1/conversations', person.token, { kind: 'DIRECT', memberIds: [peer.id] });
    staff.push({ ...person, conversationId: conversation.id });
  }
  return { id: created.tenant.id, slug, admin, compliance, employees: staff };
}

/** Sends a text message; resolves its id. */
export async function sendText(api: ApiClient, employee: Employee, body: string): Promise<string> {
  const message = await api.json<{ id: string }>('POST', `/api/v1/conversations/${employee.conversationId}/messages`, employee.token, { type: 'TEXT', body });
  return message.id;
}
