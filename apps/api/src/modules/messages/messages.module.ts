import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { MessageSeal } from './message-seal';
import { MessagesController } from './messages.controller';
import { MessagesService } from './messages.service';

/** Sending and reading messages, receipts, delete-for-me. */
@Module({
  imports: [EventsModule],
  controllers: [MessagesController],
  providers: [MessagesService, MessageSeal],
  exports: [MessagesService, MessageSeal],
})
export class MessagesModule {}
