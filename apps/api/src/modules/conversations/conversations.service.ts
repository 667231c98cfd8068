import { Injectable } from '@nestjs/common';
import type { ConversationListQuery, ConversationView, CreateConversationRequest, PolicyDocument } from '@retract/contracts';
import { Prisma, type Conversation, type Tx } from '@retract/db';
import { resolveEffectivePolicy } from '@retract/recall-policy';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/endpoint/keyset-cursor';
import { ProblemException } from '../../common/problem/problem';
import { Clock } from '../clock/clock';
import { loadCurrentPolicy } from '../policy/policy-store';

@Injectable()
export class ConversationsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly clock: Clock,
  ) {}

  /** The caller's conversations, newest first, each with its members and the recall rule in force there. */
  list(principal: AuthenticatedPrincipal, query: ConversationListQuery) {
    const cursor = decodeKeysetCursor(query.cursor);
    return this.tenantDb.run(principal, async (tx) => {
      const page = await tx.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM conversations c
          JOIN conversation_members m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.user_id = ${principal.userId}::uuid
         WHERE c.tenant_id = ${principal.tenantId}::uuid
           ${cursor ? Prisma.sql`AND (c.created_at, c.id) < (${cursor.at}, ${cursor.id}::uuid)` : Prisma.empty}
         ORDER BY c.created_at DESC, c.id DESC
         LIMIT ${query.limit + 1}`;
      const ids = page.slice(0, query.limit).map((r) => r.id);
      const views = await this.views(tx, principal.tenantId, ids);
      const last = views[views.length - 1];
      return { items: views, nextCursor: page.length > query.limit && last ? encodeKeysetCursor(new Date(last.createdAt), last.id) : null };
    });
  }

  /**
   * DIRECT: the caller and one other person; asking again for the same pair returns the existing
   * conversation. GROUP: a title and any number of others. Every member must be an active
   * employee of the organisation (unknown ids, including other organisations' users, are refused
   * the same way, by field).
   */
  async create(principal: AuthenticatedPrincipal, request: CreateConversationRequest): Promise<ConversationView> {
    const now = this.clock.now();
    return this.tenantDb.run(principal, async (tx) => {
      const others = request.memberIds.map((id) => id.toLowerCase());
      const selfIndex = others.indexOf(principal.userId);
      if (selfIndex >= 0) throw fieldError(`memberIds.${selfIndex}`, 'list the other members; you are added yourself');
      const users = await tx.user.findMany({
        where: { tenantId: principal.tenantId, id: { in: others }, active: true, roles: { has: 'EMPLOYEE' } },
        select: { id: true },
      });
      const found = new Set(users.map((u) => u.id));
      const missing = others.map((id, index) => ({ id, index })).filter((m) => !found.has(m.id));
      if (missing.length) {
        throw new ProblemException({
          status: 400,
          code: 'VALIDATION_FAILED',
          detail: 'Some members are not active employees of this organisation.',
          errors: missing.map((m) => ({ field: `memberIds.${m.index}`, message: 'no such active employee', code: 'not_found' })),
        });
      }
      if (request.kind === 'DIRECT') {
        const existing = await this.findDirect(tx, principal.tenantId, principal.userId, others[0]);
        if (existing) return (await this.views(tx, principal.tenantId, [existing]))[0];
      }
      const conversation = await tx.conversation.create({
        data: { tenantId: principal.tenantId, kind: request.kind, title: request.title ?? null, createdBy: principal.userId, createdAt: now },
      });
      await tx.conversationMember.createMany({
        data: [principal.userId, ...others].map((userId) => ({ tenantId: principal.tenantId, conversationId: conversation.id, userId, joinedAt: now })),
      });
      return (await this.views(tx, principal.tenantId, [conversation.id]))[0];
    });
  }

  /** The DIRECT conversation of two people, if any; serialized per pair so two requests cannot both create one. */
  private async findDirect(tx: Tx, tenantId: string, a: string, b: string): Promise<string | undefined> {
    const pair = [a, b].sort().join(':');
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`direct:${tenantId}:${pair}`}, 0))`;
    const [row] = await tx.$queryRaw<{ id: string }[]>`
      SELECT c.id FROM conversations c
       WHERE c.tenant_id = ${tenantId}::uuid AND c.kind = 'DIRECT'
         AND EXISTS (SELECT 1 FROM conversation_members m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.user_id = ${a}::uuid)
         AND EXISTS (SELECT 1 FROM conversation_members m WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id AND m.user_id = ${b}::uuid)
       ORDER BY c.created_at LIMIT 1`;
    return row?.id;
  }

  private async views(tx: Tx, tenantId: string, ids: string[]): Promise<ConversationView[]> {
    if (ids.length === 0) return [];
    const conversations = await tx.conversation.findMany({ where: { tenantId, id: { in: ids } } });
    const members = await tx.conversationMember.findMany({ where: { tenantId, conversationId: { in: ids } }, orderBy: { joinedAt: 'asc' } });
    const users = await tx.user.findMany({
      where: { tenantId, id: { in: [...new Set(members.map((m) => m.userId))] } },
      select: { id: true, displayName: true },
    });
    const last = await tx.message.groupBy({ by: ['conversationId'], where: { tenantId, conversationId: { in: ids } }, _max: { sentAt: true } });
    const policy = (await loadCurrentPolicy(tx, tenantId)).document;
    const names = new Map(users.map((u) => [u.id, u.displayName]));
    const lastAt = new Map(last.map((l) => [l.conversationId, l._max.sentAt]));
    const byId = new Map(conversations.map((c) => [c.id, c]));
    return ids.map((id) => {
      const c = byId.get(id)!;
      return toConversationView(c, policy, {
        members: members.filter((m) => m.conversationId === id).map((m) => ({ id: m.userId, displayName: names.get(m.userId) ?? '' })),
        lastMessageAt: lastAt.get(id) ?? null,
      });
    });
  }
}

function toConversationView(
  c: Conversation,
  policy: PolicyDocument,
  extra: { members: { id: string; displayName: string }[]; lastMessageAt: Date | null },
): ConversationView {
  const effective = resolveEffectivePolicy(policy, { id: c.id, kind: c.kind });
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    members: extra.members,
    lastMessageAt: extra.lastMessageAt?.toISOString() ?? null,
    policyRule: effective.rule,
    recallWindowSeconds: effective.settings.windowSeconds,
  };
}

const fieldError = (field: string, message: string) =>
  new ProblemException({ status: 400, code: 'VALIDATION_FAILED', detail: 'Some fields are not valid.', errors: [{ field, message, code: 'invalid_value' }] });
