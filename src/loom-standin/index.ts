// The stand-in Loom: what `npm start` embeds in development and what the tests post events to.
export { StandInLoom, LOOM_EVENTS_PATH } from './stand-in-loom';
export type { LoomAnswer, ReceivedLoomEvent, StandInLoomOptions } from './stand-in-loom';
export type { LoomEvent, LoomErrors } from './event-rules';
export { LOOM_PAYLOAD_LIMIT_BYTES } from './event-rules';
export type { ForwardAttempt, Subscription } from './forwarder';
export type { LoomFault } from './loom-faults';
