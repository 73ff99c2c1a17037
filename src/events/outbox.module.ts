import { Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox';

/** The write side of the outbox, for feature modules whose writes announce events. */
@Module({
  providers: [EventOutbox],
  exports: [EventOutbox],
})
export class OutboxModule {}
