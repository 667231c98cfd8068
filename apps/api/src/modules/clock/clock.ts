import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Server time for every decision the recall flows make (sentAt, recall windows, re-edit
 * deadlines, receipts, webhook schedules). Read once per request and passed down, never from
 * a client. Tests replace `now` (`jest.spyOn(app.get(Clock), 'now')`) to cross a window
 * without sleeping.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
