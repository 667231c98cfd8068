import { Injectable } from '@nestjs/common';
import { asSubject } from '@retract/authz';
import { isPlaceholderEmail, isStorableText, type PeopleList, type PeopleQuery, type PersonView } from '@retract/contracts';
import type { Prisma, User } from '@retract/db';
import type { AuthenticatedPrincipal } from '../../common/auth/principal';
import { TenantDb } from '../../common/database/database.module';
import { invalidCursor } from '../../common/endpoint/keyset-cursor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keyset by (display name, id): the directory reads in name order, and two people may share a name. */
const encodeCursor = (user: Pick<User, 'displayName' | 'id'>) => Buffer.from(JSON.stringify([user.displayName, user.id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string | undefined): { displayName: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string' && isStorableText(part))) {
      const [displayName, id] = value as [string, string];
      if (UUID.test(id)) return { displayName, id: id.toLowerCase() };
    }
  } catch {
    // Not a cursor this API returned.
  }
  throw invalidCursor();
}

/** A part of a name or email, or an id pasted from an audit entry. */
function matchesText(q: string): Prisma.UserWhereInput[] {
  const text: Prisma.UserWhereInput[] = [{ displayName: { contains: q, mode: 'insensitive' } }, { email: { contains: q, mode: 'insensitive' } }];
  return UUID.test(q.trim()) ? [...text, { id: q.trim().toLowerCase() }] : text;
}

/**
 * The people directory (docs/architecture.md, "Who can do what"): name, email, roles, whether the
 * account is active or erased, and — for those who may read legal holds — how many active holds
 * name the person or the whole organisation. Read under the caller's tenant (RLS), filtered by it too.
 */
@Injectable()
export class PeopleDirectory {
  constructor(private readonly tenantDb: TenantDb) {}

  search(principal: AuthenticatedPrincipal, query: PeopleQuery): Promise<PeopleList> {
    const { tenantId } = principal;
    const after = decodeCursor(query.cursor);
    const seesHolds = principal.ability.can('read', asSubject('LegalHold', { tenantId }));
    return this.tenantDb.run(principal, async (tx) => {
      const rows = await tx.user.findMany({
        where: {
          tenantId,
          AND: [
            query.personId ? { id: query.personId } : {},
            after ? { OR: [{ displayName: { gt: after.displayName } }, { displayName: after.displayName, id: { gt: after.id } }] } : {},
            query.q ? { OR: matchesText(query.q) } : {},
          ],
        },
        orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      let holdsOf = (_id: string): number | null => null;
      if (seesHolds) {
        const holds = await tx.legalHold.findMany({
          where: { tenantId, releasedAt: null, OR: [{ scope: 'TENANT' }, { scope: 'USER', subjectUserId: { in: page.map((user) => user.id) } }] },
          select: { scope: true, subjectUserId: true },
        });
        const organisation = holds.filter((hold) => hold.scope === 'TENANT').length;
        holdsOf = (id) => organisation + holds.filter((hold) => hold.subjectUserId === id).length;
      }
      const items = page.map((user): PersonView => ({
        id: user.id,
        displayName: user.displayName,
        email: isPlaceholderEmail(user.email) ? null : user.email,
        roles: user.roles,
        active: user.active,
        erased: user.erasedAt !== null,
        activeHolds: holdsOf(user.id),
        createdAt: user.createdAt.toISOString(),
      }));
      return { items, nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : null };
    });
  }
}
