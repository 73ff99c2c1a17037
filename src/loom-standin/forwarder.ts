import { loomSignature } from '../zaikio';
import { LoomEvent } from './event-rules';

/** A webhook registered with the stand-in: where accepted events go, signed with `secret`. */
export interface Subscription {
  readonly url: string;
  readonly secret: string;
  /** Full event names to forward; absent forwards every event. */
  readonly events?: readonly string[];
}

/** One attempt to deliver one event to one subscriber. */
export interface ForwardAttempt {
  readonly url: string;
  readonly eventId: string;
  readonly attempt: number;
  /** The subscriber's status, or null when it did not answer in time or at all. */
  readonly status: number | null;
  readonly error: string | null;
}

export interface ForwarderOptions {
  /** Loom gives a subscriber 1 s to answer. */
  readonly timeoutMs: number;
  /** Attempts per event and subscriber (real Loom retries for hours; tests want an end). */
  readonly attempts: number;
  /** Delay before the second attempt; doubles after each further failure. */
  readonly retryMs: number;
}

/**
 * Delivers accepted events to the registered webhooks as real Loom does: a POST of the flat event
 * plus `received_at`, `X-Loom-Signature` the lower-case hex HMAC-SHA256 of the exact body under
 * the subscription's secret; anything but 2xx within the timeout is retried.
 */
export class Forwarder {
  private readonly subscriptions: Subscription[] = [];
  private readonly log: ForwardAttempt[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  constructor(private readonly options: ForwarderOptions) {}

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  get attempts(): readonly ForwardAttempt[] {
    return this.log;
  }

  forward(event: LoomEvent, receivedAt: string): void {
    const body = JSON.stringify({ ...event, received_at: receivedAt });
    for (const subscription of this.subscriptions) {
      if (subscription.events && !subscription.events.includes(event.name)) continue;
      void this.attempt(subscription, event.id, body, 1);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
  }

  private async attempt(
    subscription: Subscription,
    eventId: string,
    body: string,
    attempt: number,
  ): Promise<void> {
    if (this.stopped) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-loom-signature': loomSignature(subscription.secret, body),
        },
        body,
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = controller.signal.aborted ? 'timeout' : String(caught);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (this.stopped) return;
    this.log.push({ url: subscription.url, eventId, attempt, status, error });
    const delivered = status !== null && status >= 200 && status < 300;
    if (delivered || attempt >= this.options.attempts) return;
    const retry = setTimeout(
      () => {
        this.timers.delete(retry);
        void this.attempt(subscription, eventId, body, attempt + 1);
      },
      this.options.retryMs * 2 ** (attempt - 1),
    );
    this.timers.add(retry);
  }
}
