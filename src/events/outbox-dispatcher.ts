import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig, EventsConfig } from '../config';
import { Database, DATABASE, OutboxRow } from '../database';
import { DELIVERY_RESULTS, DeliveryResult, retryDelayMs } from './delivery-policy';
import { LoomClient } from './loom-client';
import { OutboxSignal } from './outbox-signal';
import { OutboxStore } from './outbox-store';

/** Pruning needs no precision: at most once a minute. */
const PRUNE_EVERY_MS = 60_000;

/**
 * The read side of the outbox: claims due events (see OutboxStore.claim for the order and the
 * lease), posts them to Loom, and records each outcome: delivered (a repeated id included),
 * retried with exponential backoff and jitter, or dead-lettered with Loom's answer. Starts when
 * the application has booted and, on shutdown, lets the deliveries in flight finish, then gives
 * up its remaining claims. With EVENTS=off it does nothing.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Names this instance's claims in `claimed_by`. */
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private readonly logger = new Logger('OutboxDispatcher');
  private readonly settings: EventsConfig | null;
  private readonly client: LoomClient | null;
  readonly store: OutboxStore;
  private readonly results = new Map<DeliveryResult, number>();
  private running: Promise<void> | null = null;
  private stopping = false;
  private lastPruneAt = 0;

  constructor(
    @Inject(DATABASE) db: Kysely<Database>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly signal: OutboxSignal,
  ) {
    this.store = new OutboxStore(db);
    this.settings = config.events ?? null;
    this.client = this.settings && loomClient(config, this.settings);
  }

  onApplicationBootstrap(): void {
    if (this.client !== null && this.running === null) this.running = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signal.notify();
    await this.running;
    this.running = null;
    if (this.client === null) return;
    await this.store.release(this.owner).catch((error: unknown) => {
      this.logger.warn(`could not release claims (their lease will run out): ${describe(error)}`);
    });
  }

  /** Attempts so far by result, for the metrics. */
  deliveries(): Record<DeliveryResult, number> {
    return Object.fromEntries(
      DELIVERY_RESULTS.map((result) => [result, this.results.get(result) ?? 0]),
    ) as Record<DeliveryResult, number>;
  }

  /** One round: claims due events, sends them side by side, records each outcome. */
  async pass(): Promise<number> {
    const settings = this.settingsOrThrow();
    await this.pruneWhenDue(settings);
    const rows = await this.store.claim(this.owner, settings.batchSize, settings.leaseSeconds);
    const settled = await Promise.allSettled(rows.map((row) => this.deliver(row, settings)));
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    return rows.length;
  }

  private async run(): Promise<void> {
    const settings = this.settingsOrThrow();
    while (!this.stopping) {
      let claimed = 0;
      try {
        claimed = await this.pass();
      } catch (error) {
        this.logger.warn(`delivering events failed, trying again: ${describe(error)}`);
      }
      if (claimed === 0 && !this.stopping) await this.signal.wait(settings.pollMs);
    }
  }

  private async deliver(row: OutboxRow, settings: EventsConfig): Promise<void> {
    const outcome = await this.client!.send(row);
    this.results.set(outcome.result, (this.results.get(outcome.result) ?? 0) + 1);
    const attempt = row.attempts + 1;
    switch (outcome.result) {
      case 'delivered':
      case 'duplicate':
        await this.store.markDelivered(this.owner, row.seq);
        return;
      case 'dead':
        this.logger.error(
          `event ${row.id} (${row.name}) refused by Loom, dead letter: ${outcome.error}`,
        );
        await this.store.markDead(this.owner, row.seq, outcome.error ?? 'refused');
        return;
      case 'retry': {
        const delay = Math.max(retryDelayMs(attempt, settings), outcome.retryAfterMs ?? 0);
        this.logger.warn(
          `event ${row.id} (${row.name}) attempt ${attempt} failed, next in ${delay} ms: ${outcome.error}`,
        );
        await this.store.scheduleRetry(this.owner, row.seq, outcome.error ?? 'failed', delay);
        return;
      }
    }
  }

  private async pruneWhenDue(settings: EventsConfig): Promise<void> {
    if (Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    const pruned = await this.store.prune(settings.retentionSeconds);
    if (pruned > 0) this.logger.log(`pruned ${pruned} delivered events`);
  }

  private settingsOrThrow(): EventsConfig {
    if (this.settings === null) throw new Error('events are off');
    return this.settings;
  }
}

function loomClient(config: AppConfig, events: EventsConfig): LoomClient {
  if (events.loomUrl === null || events.password === null) {
    throw new Error('LOOM_URL and the event password must be resolved before the app is built');
  }
  return new LoomClient({
    loomUrl: events.loomUrl,
    appName: config.appName,
    password: events.password,
    timeoutMs: events.timeoutMs,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
