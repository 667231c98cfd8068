import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { MessagesModule } from '../messages/messages.module';
import { PolicyModule } from '../policy/policy.module';
import { RecallController } from './recall.controller';
import { RecallSteps } from './recall-steps';
import { ReEditMessage } from './use-cases/re-edit-message';
import { RecallMessages } from './use-cases/recall-messages';

/** Recall (single, batch, forced) and re-edit after recall. */
@Module({
  imports: [EventsModule, MessagesModule, PolicyModule],
  controllers: [RecallController],
  providers: [RecallSteps, RecallMessages, ReEditMessage],
  exports: [RecallMessages, ReEditMessage],
})
export class RecallModule {}
