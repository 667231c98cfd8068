import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { PolicyModule } from '../policy/policy.module';
import { IdempotencyKeyExpiry } from './idempotency-key-expiry';
import { IntegrationController } from './integration.controller';
import { DecideExternalRecall } from './use-cases/decide-external-recall';
import { PutDirectoryPerson } from './use-cases/put-directory-person';
import { RecordExternalRecall } from './use-cases/record-external-recall';

/** Integration mode: recall decisions, recorded recalls and the directory for chat systems (docs/integration.md). */
@Module({
  imports: [EventsModule, PolicyModule],
  controllers: [IntegrationController],
  providers: [DecideExternalRecall, RecordExternalRecall, PutDirectoryPerson, IdempotencyKeyExpiry],
})
export class IntegrationModule {}
