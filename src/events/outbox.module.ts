import { Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxSignal } from './outbox-signal';

/**
 * The outbox: its write side for feature modules whose writes announce events, and the
 * dispatcher that delivers them (one per application: Nest makes this module a singleton).
 */
@Module({
  providers: [EventOutbox, OutboxSignal, OutboxDispatcher],
  exports: [EventOutbox, OutboxDispatcher],
})
export class OutboxModule {}
