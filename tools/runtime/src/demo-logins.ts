import { Client } from 'pg';

interface DemoLoginTenant {
  slug: string;
  admin: { email: string; roles: readonly string[] };
  users: { email: string; roles: readonly string[] }[];
}

/**
 * The banner's demo logins per organisation. Where the organisation turned password sign-in off
 * (docs/identity.md), only administrators keep a password: the others are left out and the line says so.
 */
export function demoLoginLines(tenants: readonly DemoLoginTenant[], passwordOff: ReadonlySet<string>): string[] {
  return tenants.map((tenant) => {
    const off = passwordOff.has(tenant.slug);
    const people = [tenant.admin, ...tenant.users].filter((user) => !off || user.roles.includes('ADMIN'));
    const list = people.map((user) => `${user.email} (${user.roles.join('+')})`).join(', ');
    return `    organisation "${tenant.slug}": ${list}${off ? ' (password sign-in is off for everyone else: they sign in through its identity provider)' : ''}`;
  });
}

/** The organisations among `slugs` whose people other than administrators may not use a password. */
export async function passwordSignInOff(appUrl: string, slugs: readonly string[]): Promise<Set<string>> {
  const client = new Client({ connectionString: appUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const off = new Set<string>();
    for (const slug of slugs) {
      const { rows } = await client.query<{ password_login: boolean }>('SELECT password_login FROM sso_sign_in_options($1)', [slug]);
      if (rows[0] && !rows[0].password_login) off.add(slug);
    }
    return off;
  } finally {
    await client.end();
  }
}
