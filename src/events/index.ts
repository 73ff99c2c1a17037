export { OutboxModule } from './outbox.module';
export { EventOutbox } from './event-outbox';
export type { Outcome } from './event-outbox';
export { fittedPayload, itemEvent, PAYLOAD_LIMIT_BYTES } from './item-events';
export type { ItemEventKind, OutboxEvent } from './item-events';
export { OutboxDispatcher } from './outbox-dispatcher';
export type { DeliveryResult } from './delivery-policy';
export type { OutboxDepth } from './outbox-store';
