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
import { insertMessage } from '../../apps/api/src/modules/messages/message-store';
import { MessagesService } from '../../apps/api/src/modules/messages/messages.service';
import { PolicyCache } from '../../apps/api/src/modules/policy/policy-cache';
import { PolicyService } from '../../apps/api/src/modules/policy/policy.service';
import { RecallSteps } from '../../apps/api/src/modules/recall/recall-steps';
import { RecallMessages } from '../../apps/api/src/modules/recall/use-cases/recall-messages';
import { provisionTenant } from '../../apps/api/src/modules/tenants/provision-tenant';
import { TENANT_INITIALIZERS } from '../../apps/api/src/modules/tenants/tenant-initializers';
import { monthOfChat, type MonthConversation } from './demo-month';

export const DEMO_PASSWORD = 'retract-demo';

interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
  /** Default: the organisation's. */
  locale?: Locale;
}

interface DemoTenant {
  slug: string;
  name: string;
  locale: Locale;
  admin: DemoUser;
  users: DemoUser[];
  conversations: { kind: 'GROUP' | 'DIRECT'; title?: string; members: string[]; history: [string, string][] }[];
  /** The month before today, played through the services (demo-month.ts). */
  month: { seed: number; currency: string; compliance: string; conversations: MonthConversation[] };
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
      { email: 'sato@acme.test', name: '佐藤 花子', roles: ['EMPLOYEE'], locale: 'ja' },
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
    month: {
      seed: 20261,
      currency: 'USD',
      compliance: 'compliance@acme.test',
      conversations: [
        {
          key: 'sales',
          kind: 'GROUP',
          title: 'Sales pipeline',
          members: ['alice@acme.test', 'bob@acme.test', 'carol@acme.test', 'sato@acme.test'],
          hoursUtc: [8, 18],
          perDay: 4,
          lines: [
            { from: 'alice@acme.test', body: 'Globex renewal call moved to 15:00.' },
            { from: 'alice@acme.test', body: 'Can someone send me the Q4 forecast sheet?' },
            { from: 'alice@acme.test', body: 'Discount approved up to 12% for the Initech deal.' },
            { from: 'bob@acme.test', body: 'Initech signed! 240 seats from January.' },
            { from: 'bob@acme.test', body: 'Pricing deck v3 is in the shared drive.' },
            { from: 'bob@acme.test', body: 'Their procurement wants net 60, not net 30.' },
            { from: 'carol@acme.test', body: 'Demo environment is reset for tomorrow.' },
            { from: 'carol@acme.test', body: '上海的客户想下周来访，谁有空？' },
            { from: 'carol@acme.test', body: 'Updated the pipeline: 3 deals in legal review.' },
            { from: 'sato@acme.test', body: '東京の見込み客リストを更新しました。' },
            { from: 'sato@acme.test', body: 'Tokyo pilot starts Monday, 20 seats.' },
            { from: 'sato@acme.test', body: '見積書を送付しました。ご確認ください。' },
          ],
        },
        {
          key: 'tokyo',
          kind: 'GROUP',
          title: '東京オフィス',
          members: ['sato@acme.test', 'carol@acme.test', 'alice@acme.test'],
          hoursUtc: [0, 9],
          perDay: 3,
          lines: [
            { from: 'sato@acme.test', body: 'おはようございます。本日の定例は10時からです。' },
            { from: 'sato@acme.test', body: '資料を共有フォルダに格納しました。' },
            { from: 'sato@acme.test', body: '先方から契約書の修正版が届きました。' },
            { from: 'carol@acme.test', body: 'ありがとうございます、確認します。' },
            { from: 'carol@acme.test', body: '来週の出張の件、了解しました。' },
            { from: 'alice@acme.test', body: 'Thanks Sato-san, I will review the contract tonight.' },
          ],
        },
        {
          key: 'support',
          kind: 'DIRECT',
          members: ['bob@acme.test', 'carol@acme.test'],
          hoursUtc: [9, 17],
          perDay: 2,
          lines: [
            { from: 'bob@acme.test', body: 'The customer’s admin password is in the ticket, not here.' },
            { from: 'bob@acme.test', body: 'Can you take the Globex escalation?' },
            { from: 'carol@acme.test', body: 'On it. Their SSO certificate expired.' },
            { from: 'carol@acme.test', body: 'Fixed, closing the ticket.' },
          ],
        },
      ],
    },
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
      { email: 'zhao@globex.test', name: '赵敏', roles: ['EMPLOYEE'] },
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
    month: {
      seed: 86021,
      currency: 'CNY',
      compliance: 'compliance@globex.test',
      conversations: [
        {
          key: 'team',
          kind: 'GROUP',
          title: '华东销售',
          members: ['wang@globex.test', 'li@globex.test', 'zhao@globex.test'],
          hoursUtc: [1, 10],
          perDay: 3,
          lines: [
            { from: 'wang@globex.test', body: '明天上午十点和客户开会，资料我来准备。' },
            { from: 'wang@globex.test', body: '合同已经盖章，扫描件发到邮箱了。' },
            { from: 'li@globex.test', body: '本月业绩目标完成了 85%。' },
            { from: 'li@globex.test', body: '客户要求延期付款，请财务确认。' },
            { from: 'zhao@globex.test', body: '发票已经开好，请查收。' },
            { from: 'zhao@globex.test', body: '周五团建，地点待定。' },
          ],
        },
        {
          key: 'pair',
          kind: 'DIRECT',
          members: ['li@globex.test', 'zhao@globex.test'],
          hoursUtc: [1, 10],
          perDay: 2,
          lines: [
            { from: 'li@globex.test', body: '报价单你再核对一下数字。' },
            { from: 'zhao@globex.test', body: '好的，马上看。' },
            { from: 'zhao@globex.test', body: '客户的身份证号码不要发在群里。' },
          ],
        },
      ],
    },
  },
];

async function seedTenantContent(tx: Tx, seal: MessageSeal, tenantId: string, tenant: DemoTenant, passwordHash: string): Promise<void> {
  const ids = new Map<string, string>();
  const admin = await tx.user.findFirstOrThrow({ where: { tenantId, email: tenant.admin.email } });
  ids.set(admin.email, admin.id);
  for (const user of tenant.users) {
    const created = await tx.user.create({
      data: { tenantId, email: user.email, displayName: user.name, roles: user.roles, locale: user.locale ?? tenant.locale, passwordHash },
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

/** The seed's clock: the times of the month's history while it is played, then the wall clock again. */
class DemoClock extends Clock {
  at: number | null = null;

  override now(): Date {
    return new Date(this.at ?? Date.now());
  }
}

/** The API's own services as the seed uses them, all on one clock (audit entries take their time from it too). */
function demoServices(db: Db, pool: SqlPool, keyring: LocalKeyring) {
  const tenantDb = new TenantDb(db, pool);
  const { log: audit, sequencer } = standaloneAuditLog(pool, keyring);
  const clock = new DemoClock();
  sequencer.time = () => clock.now().getTime();
  const events = new EventLog();
  const seal = new MessageSeal(keyring);
  return {
    clock,
    tenantDb,
    seal,
    messages: new MessagesService(tenantDb, events, clock, seal),
    recalls: new RecallMessages(tenantDb, new RecallSteps(audit, events, seal), clock, new PolicyCache()),
    policy: new PolicyService(tenantDb, audit, events, clock, new PolicyCache()),
  };
}
type DemoServices = ReturnType<typeof demoServices>;

async function principals(db: Db, tenantId: string): Promise<(email: string) => AuthenticatedPrincipal> {
  const users = await inTenant(db, { tenantId }, (tx) => tx.user.findMany({ where: { tenantId } }));
  return (email) => {
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
}

/** A refusal is part of the story: the service throws it as a problem after recording it. */
async function refused(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
  }
}

const DAY_MS = 24 * 3600_000;
/** The month ends this long before the seed runs: the story of today (seedRecallHistory) comes after it. */
const MONTH_ENDS_BEFORE_NOW_MS = 90 * 60_000;

/**
 * The last 30 days of the organisation (demo-month.ts), played in time order with the clock set to
 * each step's time, so messages, recalls, refusals and their audit entries carry their own times and
 * the log's times never run backwards (docs/audit-log.md, "Demo history"). Shows progress per week.
 */
async function seedMonth(db: Db, services: DemoServices, tenantId: string, tenant: DemoTenant, log: (line: string) => void): Promise<void> {
  const until = Date.now() - MONTH_ENDS_BEFORE_NOW_MS;
  const as = await principals(db, tenantId);
  const conversationIds = new Map<string, string>();
  await inTenant(db, { tenantId }, async (tx) => {
    const ids = new Map((await tx.user.findMany({ where: { tenantId } })).map((u) => [u.email, u.id]));
    for (const conversation of tenant.month.conversations) {
      const memberIds = conversation.members.map((email) => ids.get(email)!);
      // Older than the hand-written conversations, so those stay first in everyone's list.
      const createdAt = new Date(until - 31 * DAY_MS);
      const created = await tx.conversation.create({
        data: { tenantId, kind: conversation.kind, title: conversation.title ?? null, createdBy: memberIds[0], createdAt },
      });
      await tx.conversationMember.createMany({ data: memberIds.map((userId) => ({ tenantId, conversationId: created.id, userId, joinedAt: createdAt })) });
      conversationIds.set(conversation.key, created.id);
    }
  });
  const steps = monthOfChat(tenant.month.conversations, {
    until,
    compliance: tenant.month.compliance,
    seed: tenant.month.seed,
    currency: tenant.month.currency,
  });
  // Messages nobody acts on again need no service: written at their times in one transaction, sealed as the API seals them.
  const messageIds = new Map<number, string>();
  await services.tenantDb.sql({ tenantId }, async (tx) => {
    for (const step of steps) {
      if (step.kind !== 'send') continue;
      const row = await insertMessage(tx, services.seal, {
        tenantId,
        conversationId: conversationIds.get(step.conversation)!,
        senderId: as(step.from).userId,
        type: step.type,
        body: step.body,
        extras: step.payment ? { payment: step.payment } : null,
        sentAt: new Date(step.at),
      });
      messageIds.set(step.ref, row.id);
    }
  });
  log(`  ${tenant.slug}: ${messageIds.size} messages over the last 30 days`);
  // Recalls and refusals leave audit entries: played in time order on the clock.
  const tally = { recalls: 0, refusals: 0 };
  let week = -1;
  for (const step of steps) {
    if (step.kind === 'send') continue;
    services.clock.at = step.at;
    const weekOf = Math.floor((until - step.at) / (7 * DAY_MS));
    if (weekOf !== week && week !== -1)
      log(`  ${tenant.slug}: up to ${new Date(step.at).toISOString().slice(0, 10)} — ${tally.recalls} recalls, ${tally.refusals} refusals`);
    week = weekOf;
    const message = messageIds.get(step.ref)!;
    if (step.kind === 'recall') {
      await services.recalls.recallOne(as(step.by), message, { force: false });
      if (step.appliedBy) await services.messages.receipt(as(step.appliedBy), message, 'RECALL_APPLIED');
      tally.recalls += 1;
    } else if (step.kind === 'forced') {
      await services.recalls.recallOne(as(step.by), message, { force: true, reason: step.reason });
      tally.recalls += 1;
    } else {
      await refused(services.recalls.recallOne(as(step.by), message, { force: false }));
      tally.refusals += 1;
    }
  }
  services.clock.at = null;
  log(`  ${tenant.slug}: the last 30 days — ${messageIds.size} messages, ${tally.recalls} recalls, ${tally.refusals} refusals`);
}

/**
 * Today's recall history, through the API's own services (so every audit entry, event and receipt is
 * what a real recall leaves): in acme, alice recalls a message in "Launch" that bob's device then
 * removes, tries too late on an old one, recalls a picture bob had already downloaded, and
 * compliance force-recalls a password carol posted; in globex, 王伟 recalls a message to 李娜.
 */
async function seedRecallHistory(db: Db, services: DemoServices, tenantId: string, tenant: DemoTenant): Promise<void> {
  const { messages, recalls, policy } = services;
  const as = await principals(db, tenantId);
  const conversations = await inTenant(db, { tenantId }, (tx) => tx.conversation.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' } }));
  const group = conversations.find((c) => c.kind === 'GROUP' && c.title === 'Launch');
  const direct = conversations.find((c) => c.kind === 'DIRECT')!;

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
    await refused(recalls.recallOne(alice, old.id, { force: false }));
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
    const services = demoServices(db, pool, keyring);
    await seedMonth(db, services, created.id, tenant, log);
    await seedRecallHistory(db, services, created.id, tenant);
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
