import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Config } from '../../config/config';

/**
 * Open event streams per user on this process (EVENT_STREAMS_PER_USER). A stream past the limit is
 * refused rather than the oldest one closed: browsers reconnect a closed EventSource by themselves,
 * so closing the oldest would have a user's tabs take turns closing each other, for ever.
 */
@Injectable()
export class StreamQuota {
  private readonly open = new Map<string, number>();

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  get limit(): number {
    return this.config.EVENT_STREAMS_PER_USER;
  }

  /** A release function for the new stream (safe to call more than once), or null when the user is at the limit. */
  take(tenantId: string, userId: string): (() => void) | null {
    const key = `${tenantId}:${userId}`;
    const count = this.open.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left > 0) this.open.set(key, left);
      else this.open.delete(key);
    };
  }
}
