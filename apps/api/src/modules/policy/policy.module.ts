import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PolicyController } from './policy.controller';
import { PolicyCache } from './policy-cache';
import { PolicyService } from './policy.service';

/** The versioned recall policy: read, change (optimistic concurrency), history, simulation. */
@Module({
  imports: [EventsModule],
  controllers: [PolicyController],
  providers: [PolicyService, PolicyCache],
  exports: [PolicyCache],
})
export class PolicyModule {}
