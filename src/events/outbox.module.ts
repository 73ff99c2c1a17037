import { Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxMonitor } from './outbox-monitor';
import { OutboxSignal } from './outbox-signal';

/**
 * The outbox: its write side for feature modules whose writes announce events, and the
 * dispatcher that delivers them (one per application: Nest makes this module a singleton), and
 * its metrics and health.
 */
@Module({
  providers: [EventOutbox, OutboxSignal, OutboxDispatcher, OutboxMonitor],
  exports: [EventOutbox, OutboxDispatcher, OutboxMonitor],
})
export class OutboxModule {}
