import type { Locale, Role } from '@retract/contracts';
import { createDb, inTenant, Prisma, type Db, type Tx } from '@retract/db';
import { hashPassword } from '../../apps/api/src/modules/auth/passwords';
import { provisionTenant } from '../../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../../apps/api/src/modules/tenants/tenant-initializers';

export const DEMO_PASSWORD = 'retract-demo';

interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
}

interface DemoTenant {
  slug: string;
  name: string;
  locale: Locale;
  admin: DemoUser;
  users: DemoUser[];
  conversations: { kind: 'GROUP' | 'DIRECT'; title?: string; members: string[]; history: [string, string][] }[];
}

export const DEMO_TENANTS: DemoTenant[] = [
  {
    slug: 'acme',
    name: 'Acme Corporation',
    locale: 'en',
    admin: { email: 'admin@acme.test', name: 'Ada Admin', roles: ['ADMIN'] },
    users: [
      { email: 'compliance@acme.test', name: 'Cora Compliance', roles: ['COMPLIANCE'] },
      { email: 'alice@acme.test', name: 'Alice Anders', roles: ['EMPLOYEE'] },
      { email: 'bob@acme.test', name: 'Bob Brown', roles: ['EMPLOYEE'] },
      { email: 'carol@acme.test', name: 'Carol Chen', roles: ['EMPLOYEE'] },
    ],
    conversations: [
      {
        kind: 'GROUP',
        title: 'Launch',
        members: ['alice@acme.test', 'bob@acme.test', 'carol@acme.test'],
        history: [
          ['alice@acme.test', 'Launch checklist is in the shared drive.'],
          ['bob@acme.test', 'Thanks! Press release goes out Tuesday 9:00.'],
          ['carol@acme.test', 'Pricing page is ready for review.'],
          ['alice@acme.test', 'Great, I will review it this afternoon.'],
        ],
      },
      {
        kind: 'DIRECT',
        members: ['alice@acme.test', 'bob@acme.test'],
        history: [
          ['bob@acme.test', 'Do you have a minute to go over the budget?'],
          ['alice@acme.test', 'Sure, call me after lunch.'],
        ],
      },
    ],
  },
  {
    slug: 'globex',
    name: 'Globex 环球',
    locale: 'zh-CN',
    admin: { email: 'admin@globex.test', name: '管理员', roles: ['ADMIN'] },
    users: [
      { email: 'compliance@globex.test', name: '合规专员', roles: ['COMPLIANCE'] },
      { email: 'wang@globex.test', name: '王伟', roles: ['EMPLOYEE'] },
      { email: 'li@globex.test', name: '李娜', roles: ['EMPLOYEE'] },
    ],
    conversations: [
      {
        kind: 'DIRECT',
        members: ['wang@globex.test', 'li@globex.test'],
        history: [
          ['wang@globex.test', '下午三点开会，别忘了。'],
          ['li@globex.test', '好的，我会准时到。'],
        ],
      },
    ],
  },
];

async function seedTenantContent(tx: Tx, tenantId: string, tenant: DemoTenant, passwordHash: string): Promise<void> {
  const ids = new Map<string, string>();
  const admin = await tx.user.findFirstOrThrow({ where: { tenantId, email: tenant.admin.email } });
  ids.set(admin.email, admin.id);
  for (const user of tenant.users) {
    const created = await tx.user.create({
      data: { tenantId, email: user.email, displayName: user.name, roles: user.roles, locale: tenant.locale, passwordHash },
    });
    ids.set(user.email, created.id);
  }
  // History starts a day ago, a few minutes apart, so every demo message is already outside the default window.
  let sentAt = Date.now() - 24 * 3600_000;
  for (const conversation of tenant.conversations) {
    const memberIds = conversation.members.map((email) => ids.get(email)!);
    const created = await tx.conversation.create({
      data: { tenantId, kind: conversation.kind, title: conversation.title ?? null, createdBy: memberIds[0] },
    });
    await tx.conversationMember.createMany({ data: memberIds.map((userId) => ({ tenantId, conversationId: created.id, userId })) });
    for (const [email, body] of conversation.history) {
      sentAt += 7 * 60_000;
      await tx.message.create({
        data: { tenantId, conversationId: created.id, senderId: ids.get(email)!, type: 'TEXT', body, sentAt: new Date(sentAt) },
      });
    }
  }
}

/** Seeds the demo tenants of DESIGN §7 unless they exist; safe to run again. */
export async function seedDemo(db: Db, log: (line: string) => void = () => undefined): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const tenant of DEMO_TENANTS) {
    const [existing] = await db.$queryRaw<{ id: string | null }[]>(Prisma.sql`SELECT tenant_id_for_slug(${tenant.slug}) AS id`);
    if (existing?.id) {
      log(`demo tenant ${tenant.slug} already present`);
      continue;
    }
    const { tenant: created } = await provisionTenant(
      db,
      { slug: tenant.slug, name: tenant.name, locale: tenant.locale, adminEmail: tenant.admin.email, adminName: tenant.admin.name, adminPassword: DEMO_PASSWORD },
      TENANT_INITIALIZERS,
    );
    await inTenant(db, { tenantId: created.id }, (tx) => seedTenantContent(tx, created.id, tenant, passwordHash), { timeoutMs: 60_000 });
    log(`seeded demo tenant ${tenant.slug}`);
  }
}

if (require.main === module) {
  const url = process.env.APP_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('seed: set APP_DATABASE_URL (or DATABASE_URL)\n');
    process.exit(2);
  }
  const db = createDb({ connectionString: url });
  seedDemo(db, (line) => process.stdout.write(`${line}\n`))
    .then(() => db.$disconnect())
    .catch((error) => {
      process.stderr.write(`seed failed: ${(error as Error).message}\n`);
      process.exit(1);
    });
}
