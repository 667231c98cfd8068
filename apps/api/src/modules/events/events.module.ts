import { Module } from '@nestjs/common';
import { SessionsRepository } from '../../common/auth/sessions.repository';
import { EventLog } from './event-log';
import { EventsController } from './events.controller';
import { EventsHub } from './events-hub';
import { StreamQuota } from './stream-quota';

/** The per-tenant event log (written by the recall flows) and its live delivery over SSE. */
@Module({
  controllers: [EventsController],
  providers: [EventLog, EventsHub, SessionsRepository, StreamQuota],
  exports: [EventLog, EventsHub],
})
export class EventsModule {}
