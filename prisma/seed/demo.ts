import { abilityFor } from '@retract/authz';
import type { Locale, Role } from '@retract/contracts';
import { createDb, createSqlPool, inTenant, Prisma, type Db, type SqlPool, type Tx } from '@retract/db';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthenticatedPrincipal } from '../../apps/api/src/common/auth/principal';
import { TenantDb } from '../../apps/api/src/common/database/database.module';
import { ProblemException } from '../../apps/api/src/common/problem/problem';
import { ConfigSchema, masterKeks } from '../../apps/api/src/config/config';
import { LocalKeyring } from '../../apps/api/src/modules/audit/key-encryption';
import { standaloneAuditLog } from '../../apps/api/src/modules/audit/standalone-audit-log';
import { hashPassword } from '../../apps/api/src/modules/auth/passwords';
import { Clock } from '../../apps/api/src/modules/clock/clock';
import { EventLog } from '../../apps/api/src/modules/events/event-log';
import { MessageSeal } from '../../apps/api/src/modules/messages/message-seal';
import { MessagesService } from '../../apps/api/src/modules/messages/messages.service';
import { PolicyCache } from '../../apps/api/src/modules/policy/policy-cache';
import { PolicyService } from '../../apps/api/src/modules/policy/policy.service';
import { RecallSteps } from '../../apps/api/src/modules/recall/recall-steps';
import { RecallMessages } from '../../apps/api/src/modules/recall/use-cases/recall-messages';
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

async function seedTenantContent(tx: Tx, seal: MessageSeal, tenantId: string, tenant: DemoTenant, passwordHash: string): Promise<void> {
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
      const id = randomUUID();
      const sealed = seal.seal(tenantId, id, { body, extras: null });
      await tx.message.create({
        data: {
          tenantId,
          id,
          conversationId: created.id,
          senderId: ids.get(email)!,
          type: 'TEXT',
          sentAt: new Date(sentAt),
          contentSealed: new Uint8Array(sealed.sealed),
          contentKey: new Uint8Array(sealed.wrappedKey),
          contentKekId: sealed.kekId,
        },
      });
    }
  }
}

/** The KEKs the API will run with (AUDIT_KEKS, or one key), so the demo's messages and recalled content are readable. */
function demoKeyring(explicit?: string): LocalKeyring {
  if (!explicit && process.env.AUDIT_KEKS) {
    const config = ConfigSchema.pick({ AUDIT_KEK: true, AUDIT_KEKS: true, AUDIT_KEK_ID: true }).parse(process.env);
    return new LocalKeyring(config.AUDIT_KEK_ID, masterKeks(config));
  }
  const kek = demoAuditKek(explicit);
  return LocalKeyring.single(kek.id, kek.key);
}

function demoAuditKek(explicit?: string): { id: string; key: string } {
  const id = process.env.AUDIT_KEK_ID ?? 'local-1';
  if (explicit) return { id, key: explicit };
  if (process.env.AUDIT_KEK) return { id, key: process.env.AUDIT_KEK };
  const file = join(__dirname, '..', '..', '.data', 'secrets.json');
  if (existsSync(file)) return { id, key: (JSON.parse(readFileSync(file, 'utf8')) as { AUDIT_KEK: string }).AUDIT_KEK };
  // No key known: the history is still real and verifies, but its content cannot be opened by this API.
  return { id, key: randomBytes(32).toString('base64') };
}

/**
 * Recall history made through the API's own services (so every audit entry, event and receipt is
 * what a real recall leaves): in acme, alice recalls a message in "Launch" that bob's device then
 * removes, tries too late on an old one, recalls a picture bob had already downloaded, and
 * compliance force-recalls a password carol posted; in globex, 王伟 recalls a message to 李娜.
 */
async function seedRecallHistory(db: Db, pool: SqlPool, tenantId: string, tenant: DemoTenant, keyring: LocalKeyring): Promise<void> {
  const tenantDb = new TenantDb(db, pool);
  const { log: audit } = standaloneAuditLog(pool, keyring);
  const events = new EventLog();
  const clock = new Clock();
  const seal = new MessageSeal(keyring);
  const messages = new MessagesService(tenantDb, events, clock, seal);
  const recalls = new RecallMessages(tenantDb, new RecallSteps(audit, events, seal), clock, new PolicyCache());
  const policy = new PolicyService(tenantDb, audit, events, clock, new PolicyCache());
  const users = await inTenant(db, { tenantId }, (tx) => tx.user.findMany({ where: { tenantId } }));
  const as = (email: string): AuthenticatedPrincipal => {
    const user = users.find((u) => u.email === email)!;
    return {
      userId: user.id,
      tenantId,
      roles: user.roles,
      sessionId: '00000000-0000-4000-8000-000000000000',
      email: user.email,
      displayName: user.displayName,
      locale: user.locale as Locale,
      ability: abilityFor({ userId: user.id, tenantId, roles: user.roles }),
    };
  };
  const conversations = await inTenant(db, { tenantId }, (tx) => tx.conversation.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } }));
  const group = conversations.find((c) => c.kind === 'GROUP');
  const direct = conversations.find((c) => c.kind === 'DIRECT')!;
  const denied = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      if (!(error instanceof ProblemException)) throw error;
    }
  };

  if (tenant.slug === 'acme' && group) {
    const alice = as('alice@acme.test');
    const bob = as('bob@acme.test');
    await policy.update(as(tenant.admin.email), { expectedVersion: 1, settings: { ...(await policy.current({ tenantId })).settings, maxRecallsPerHour: 20 } });
    const typo = await messages.send(alice, group.id, { type: 'TEXT', body: 'Launch moves to Thursday 9:00 — pricing stays at $49/seat.' });
    await recalls.recallOne(alice, typo.id, { force: false });
    await messages.receipt(bob, typo.id, 'RECALL_APPLIED');
    const old = await inTenant(db, { tenantId }, (tx) =>
      tx.message.findFirstOrThrow({ where: { tenantId, conversationId: group.id, senderId: alice.userId }, orderBy: { sentAt: 'asc' } }),
    );
    await denied(recalls.recallOne(alice, old.id, { force: false }));
    const picture = await messages.send(alice, direct.id, {
      type: 'IMAGE',
      body: 'Budget draft',
      attachment: { name: 'budget-draft.png', size: 48_213, mimeType: 'image/png', sha256: '3f'.repeat(32), url: 'https://files.acme.test/budget-draft.png' },
    });
    await messages.receipt(bob, picture.id, 'DOWNLOADED');
    await recalls.recallOne(alice, picture.id, { force: false });
    const leak = await messages.send(as('carol@acme.test'), group.id, { type: 'TEXT', body: 'Guest Wi-Fi for the launch event: acme-launch / hunter2!' });
    await recalls.recallOne(as('compliance@acme.test'), leak.id, { force: true, reason: 'Credential posted in a group conversation' });
  }
  if (tenant.slug === 'globex') {
    const wang = as('wang@globex.test');
    const sent = await messages.send(wang, direct.id, { type: 'TEXT', body: '报价单发错了，是 12,000 元不是 1,200 元。' });
    await recalls.recallOne(wang, sent.id, { force: false });
    await messages.receipt(as('li@globex.test'), sent.id, 'RECALL_APPLIED');
  }
}

/** Seeds the demo tenants of DESIGN §7 unless they exist; safe to run again. */
export async function seedDemo(connectionString: string, log: (line: string) => void = () => undefined, options: { auditKek?: string } = {}): Promise<void> {
  const db = createDb({ connectionString, maxConnections: 2 });
  const pool = createSqlPool({ connectionString, maxConnections: 2, applicationName: 'retract-seed' });
  try {
    await seedTenants(db, pool, log, options);
  } finally {
    await Promise.all([db.$disconnect(), pool.end()]);
  }
}

async function seedTenants(db: Db, pool: SqlPool, log: (line: string) => void, options: { auditKek?: string }): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const keyring = demoKeyring(options.auditKek);
  for (const tenant of DEMO_TENANTS) {
    const [existing] = await db.$queryRaw<{ id: string | null }[]>(Prisma.sql`SELECT tenant_id_for_slug(${tenant.slug}) AS id`);
    if (existing?.id) {
      log(`demo tenant ${tenant.slug} already present`);
      continue;
    }
    const { tenant: created } = await provisionTenant(
      db,
      {
        slug: tenant.slug,
        name: tenant.name,
        locale: tenant.locale,
        adminEmail: tenant.admin.email,
        adminName: tenant.admin.name,
        adminPassword: DEMO_PASSWORD,
      },
      TENANT_INITIALIZERS,
    );
    await inTenant(db, { tenantId: created.id }, (tx) => seedTenantContent(tx, new MessageSeal(keyring), created.id, tenant, passwordHash), {
      timeoutMs: 60_000,
    });
    await seedRecallHistory(db, pool, created.id, tenant, keyring);
    log(`seeded demo tenant ${tenant.slug}`);
  }
}

if (require.main === module) {
  const url = process.env.APP_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('seed: set APP_DATABASE_URL (or DATABASE_URL)\n');
    process.exit(2);
  }
  seedDemo(url, (line) => process.stdout.write(`${line}\n`)).catch((error) => {
    process.stderr.write(`seed failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
