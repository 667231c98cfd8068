import { CreateTenantRequestSchema } from '@retract/contracts';
import { createDb } from '@retract/db';
import { parseArgs } from 'node:util';
import { localAppDatabase } from './local-app-url';
import { ProblemException } from '../../../apps/api/src/common/problem/problem';
import { provisionTenant } from '../../../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../../../apps/api/src/modules/tenants/tenant-initializers';

const USAGE = `usage: npm run tenant -- create <slug> --name "Name" --admin-email admin@example.com --compliance-email officer@example.com [--locale en|zh-CN|ja] [--admin-name "Name"] [--admin-password …] [--compliance-name "Name"] [--compliance-password …]
Connects with APP_DATABASE_URL (the retract_app role), or to the embedded database of a running "npm start". Prints a one-time password for the admin and the compliance officer when none is given.`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'admin-password': { type: 'string' },
      'compliance-email': { type: 'string' },
      'compliance-name': { type: 'string' },
      'compliance-password': { type: 'string' },
      locale: { type: 'string', default: 'en' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'create' || !positionals[1]) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const parsed = CreateTenantRequestSchema.safeParse({
    slug: positionals[1],
    name: values.name,
    locale: values.locale,
    adminEmail: values['admin-email'],
    adminName: values['admin-name'],
    adminPassword: values['admin-password'],
    complianceEmail: values['compliance-email'],
    complianceName: values['compliance-name'],
    compliancePassword: values['compliance-password'],
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) process.stderr.write(`${issue.path.join('.') || 'input'}: ${issue.message}\n`);
    return 2;
  }
  const url = localAppDatabase(process.env)?.url;
  if (!url) {
    process.stderr.write('APP_DATABASE_URL is required (the retract_app connection string), or run `npm start` first to use the embedded database\n');
    return 2;
  }
  const db = createDb({ connectionString: url, maxConnections: 1 });
  try {
    const result = await provisionTenant(db, parsed.data, TENANT_INITIALIZERS);
    process.stdout.write(`created organisation ${result.tenant.slug} (${result.tenant.id})\nadmin: ${result.admin.email}\n`);
    if (result.generatedPassword)
      process.stdout.write(
        `initial admin password (shown once): ${result.generatedPassword}\n(it is not stored anywhere; change it after logging in: PUT /api/v1/me/password)\n`,
      );
    if (result.compliance) process.stdout.write(`compliance officer: ${result.compliance.email}\n`);
    if (result.complianceGeneratedPassword) process.stdout.write(`initial compliance officer password (shown once): ${result.complianceGeneratedPassword}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof ProblemException ? error.message : (error as Error).message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

void main().then((code) => process.exit(code));
