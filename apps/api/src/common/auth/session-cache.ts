import { Injectable, type OnModuleInit } from '@nestjs/common';
import { abilityFor, type AppAbility } from '@retract/authz';
import type { TenantScope } from '@retract/db';
import { CACHE_CHANNEL, ChangeFeed } from '../database/change-feed';
import { SessionsRepository, type SessionUser } from './sessions.repository';

export interface CachedSession {
  user: SessionUser;
  ability: AppAbility;
}

const MAX_SESSIONS = 50_000;
/** A safety net only: notifications drop entries at once; nothing stays longer than this unseen. */
const MAX_AGE_MS = 60_000;

/**
 * Sessions this replica has checked, with their user and CASL ability, so the guard needs no
 * database round trip of its own. Exactness does not rest on the cache: every transaction of a
 * request re-checks the session and roles in its first statement (`app_enter`). The cache is
 * dropped per session or user on the `retract_cache` notifications that logout, deactivation, role
 * and profile changes send, and entirely whenever the listener connection is lost.
 */
@Injectable()
export class SessionCache implements OnModuleInit {
  private readonly entries = new Map<string, CachedSession & { at: number; tenantId: string }>();
  /** Bumped by every invalidation: a read that an invalidation overtook is used once, never kept. */
  private generation = 0;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly feed: ChangeFeed,
  ) {}

  onModuleInit(): void {
    this.feed.subscribe(CACHE_CHANNEL, (payload) => this.onInvalidation(payload));
    this.feed.onReconnect(() => {
      this.generation += 1;
      this.entries.clear();
    });
  }

  async get(scope: TenantScope, sessionId: string, userId: string): Promise<CachedSession | null> {
    const cached = this.entries.get(sessionId);
    if (cached && cached.tenantId === scope.tenantId && cached.user.userId === userId && Date.now() - cached.at < MAX_AGE_MS) return cached;
    const generation = this.generation;
    const user = await this.sessions.findLive(scope, sessionId, userId);
    if (!user) {
      this.entries.delete(sessionId);
      return null;
    }
    const entry = { user, ability: abilityFor({ userId: user.userId, tenantId: scope.tenantId, roles: user.roles }), at: Date.now(), tenantId: scope.tenantId };
    // Only what the listener can invalidate is kept.
    if (this.feed.listening && generation === this.generation) {
      if (this.entries.size >= MAX_SESSIONS) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(sessionId, entry);
    }
    return entry;
  }

  drop(sessionId: string): void {
    this.generation += 1;
    this.entries.delete(sessionId);
  }

  private onInvalidation(payload: string): void {
    const [kind, first, second] = payload.split(':');
    if (kind === 'session' || kind === 'user') this.generation += 1;
    if (kind === 'session') this.entries.delete(first);
    if (kind === 'user') for (const [id, entry] of this.entries) if (entry.tenantId === first && entry.user.userId === second) this.entries.delete(id);
  }
}
