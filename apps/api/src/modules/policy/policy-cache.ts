import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { SqlTx } from '@retract/db';
import { CACHE_CHANNEL, ChangeFeed } from '../../common/database/change-feed';
import { loadCurrentPolicy, type StoredPolicyVersion } from './policy-store';

/**
 * Each tenant's policy in force, parsed once per replica. A new version (on any replica) sends
 * `policy:<tenant>` at commit and the entry is dropped; while the listener is down nothing is kept.
 * A recall records the version it was decided under, so the few milliseconds a notification takes
 * are visible in the log rather than hidden.
 */
@Injectable()
export class PolicyCache implements OnModuleInit {
  private readonly policies = new Map<string, StoredPolicyVersion>();

  constructor(@Optional() private readonly feed?: ChangeFeed) {}

  onModuleInit(): void {
    this.feed?.subscribe(CACHE_CHANNEL, (payload) => {
      const [kind, tenantId] = payload.split(':');
      if (kind === 'policy') this.policies.delete(tenantId);
    });
    this.feed?.onReconnect(() => this.policies.clear());
  }

  /** The tenant's policy when this replica holds it, without a read: lets a caller send its reads together. */
  peek(tenantId: string): StoredPolicyVersion | undefined {
    return this.policies.get(tenantId);
  }

  async current(tx: SqlTx, tenantId: string): Promise<StoredPolicyVersion> {
    const cached = this.policies.get(tenantId);
    if (cached) return cached;
    const mark = this.feed?.mark(CACHE_CHANNEL);
    const policy = await loadCurrentPolicy(tx, tenantId);
    if (mark !== undefined && this.feed?.unchangedSince(CACHE_CHANNEL, mark)) this.policies.set(tenantId, policy);
    return policy;
  }

  drop(tenantId: string): void {
    this.policies.delete(tenantId);
  }
}
