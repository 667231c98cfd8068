import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { logBackgroundFailure } from '../../common/database/background-failure';
import { TenantDb } from '../../common/database/database.module';
import { CONFIG, type Config } from '../../config/config';
import { AuditSequencer } from './audit-sequencer';
import { Checkpoints } from './checkpoints';

/**
 * Signs a checkpoint whenever a tenant's log crosses a multiple of AUDIT_CHECKPOINT_EVERY entries,
 * in the background: no request waits on a signature. One signing per tenant at a time; growth
 * during a signing asks for one more afterwards. (The every-T-seconds checkpoint is AuditJobs'.)
 */
@Injectable()
export class CheckpointSigner implements OnModuleInit {
  private readonly logger = new Logger('CheckpointSigner');
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly sequencer: AuditSequencer,
    private readonly checkpoints: Checkpoints,
    private readonly tenantDb: TenantDb,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onModuleInit(): void {
    const every = this.config.AUDIT_CHECKPOINT_EVERY;
    this.sequencer.onGrowth((tenantId, from, to) => {
      if (Math.floor(from / every) !== Math.floor(to / every)) this.request(tenantId);
    });
  }

  /** Resolves when every signing asked for so far has finished (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  request(tenantId: string): void {
    if (this.running.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    const run = this.sign(tenantId).finally(() => {
      this.running.delete(tenantId);
      if (this.again.delete(tenantId)) this.request(tenantId);
    });
    this.running.set(tenantId, run);
  }

  private async sign(tenantId: string): Promise<void> {
    try {
      const checkpoint = await this.tenantDb.run({ tenantId }, (tx) => this.checkpoints.issue(tx, tenantId));
      await this.checkpoints.witness(tenantId, checkpoint);
    } catch (error) {
      logBackgroundFailure(this.logger, 'error', 'checkpoint not signed; the next one will cover these entries', error, { tenantId });
    }
  }
}
