import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PolicyController } from './policy.controller';
import { PolicyCache } from './policy-cache';
import { PolicyService } from './policy.service';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

/** The versioned recall policy: read, change (optimistic concurrency), history, simulation; audit retention, owned by compliance. */
@Module({
  imports: [EventsModule],
  controllers: [PolicyController, RetentionController],
  providers: [PolicyService, PolicyCache, RetentionService],
  exports: [PolicyCache],
})
export class PolicyModule {}
