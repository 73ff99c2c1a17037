import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../config';
import { MetricsService } from '../metrics';
import { DELIVERY_RESULTS } from './delivery-policy';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxDepth } from './outbox-store';

/** What GET /health says of the outbox. */
export type OutboxHealth =
  | { readonly status: 'off' }
  | { readonly status: 'unknown'; readonly last_error: string }
  | {
      /** `stale`: the oldest pending event waited longer than EVENTS_STALE_AFTER. */
      readonly status: 'ok' | 'stale';
      readonly pending: number;
      readonly dead: number;
      readonly oldest_pending_seconds: number | null;
      readonly stale_after_seconds: number;
    };

/** One depth query serves every gauge of a scrape. */
const DEPTH_REUSE_MS = 1_000;

/**
 * The outbox seen from outside: its depth, the age of its oldest pending event, dead letters and
 * deliveries by result as Prometheus metrics, and its state for GET /health.
 */
@Injectable()
export class OutboxMonitor {
  private readonly staleAfterSeconds: number | null;
  private lastDepth: { at: number; depth: Promise<OutboxDepth> } | null = null;

  constructor(
    private readonly dispatcher: OutboxDispatcher,
    @Inject(APP_CONFIG) config: AppConfig,
    // Absent in feature-module specs that do not load the metrics.
    @Optional() @Inject(MetricsService) metrics?: MetricsService,
  ) {
    this.staleAfterSeconds = config.events?.staleAfterSeconds ?? null;
    if (this.staleAfterSeconds !== null && metrics) this.register(metrics);
  }

  async health(): Promise<OutboxHealth> {
    if (this.staleAfterSeconds === null) return { status: 'off' };
    let depth: OutboxDepth;
    try {
      depth = await this.depth();
    } catch (error) {
      return {
        status: 'unknown',
        last_error: error instanceof Error ? error.message : String(error),
      };
    }
    const stale = (depth.oldestPendingSeconds ?? 0) > this.staleAfterSeconds;
    return {
      status: stale ? 'stale' : 'ok',
      pending: depth.pending,
      dead: depth.dead,
      oldest_pending_seconds: depth.oldestPendingSeconds,
      stale_after_seconds: this.staleAfterSeconds,
    };
  }

  private depth(): Promise<OutboxDepth> {
    const now = Date.now();
    if (this.lastDepth === null || now - this.lastDepth.at > DEPTH_REUSE_MS) {
      const depth = this.dispatcher.store.depth();
      // A failed query is not reused.
      depth.catch(() => (this.lastDepth = null));
      this.lastDepth = { at: now, depth };
    }
    return this.lastDepth.depth;
  }

  private register(metrics: MetricsService): void {
    const registers = [metrics.registry];
    const depth = () => this.depth();
    const gauge = (name: string, help: string, read: (depth: OutboxDepth) => number | null) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.reset();
          const value = read(await depth());
          if (value !== null) this.set(value);
        },
      });
    gauge(
      'events_outbox_pending',
      'Events in the outbox not yet delivered (dead letters excluded)',
      (d) => d.pending,
    );
    gauge(
      'events_outbox_oldest_pending_age_seconds',
      'Age of the oldest pending event (absent when none is pending)',
      (d) => d.oldestPendingSeconds,
    );
    gauge(
      'events_outbox_dead_letters',
      'Events Loom refused for good, kept with their last error',
      (d) => d.dead,
    );
    const dispatcher = this.dispatcher;
    new Counter({
      name: 'events_deliveries_total',
      help: 'Attempts to post an event to Loom by result (delivered, duplicate: Loom had it, retry, dead)',
      labelNames: ['result'],
      registers,
      collect() {
        this.reset();
        const counts = dispatcher.deliveries();
        for (const result of DELIVERY_RESULTS) this.inc({ result }, counts[result]);
      },
    });
  }
}
