import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  readonly url: string;
  /** Every key and channel starts with this, e.g. `warehouse:`. */
  readonly keyPrefix: string;
  /** How long start-up waits for Redis before going on without it. */
  readonly connectWaitMs?: number;
  /** A command that takes longer fails: requests never hang on Redis. */
  readonly commandTimeoutMs?: number;
}

export interface RedisStatus {
  readonly ready: boolean;
  /** ioredis' connection state: ready, connecting, reconnecting, end, … */
  readonly state: string;
  readonly downSinceSeconds: number | null;
  readonly lastError: string | null;
}

/**
 * The two Redis connections an instance keeps: one for commands, one in subscriber mode (pub/sub
 * needs its own). Commands fail at once while Redis is unreachable (no offline queue, one retry,
 * short timeouts), so callers fall back instead of waiting; ioredis reconnects in the background.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly subscriber: Redis;
  readonly keyPrefix: string;
  private readonly logger = new Logger('Redis');
  private downSince: number | null = Date.now();
  private lastError: string | null = null;
  private closed = false;

  private constructor(options: RedisConnectionOptions) {
    this.keyPrefix = options.keyPrefix;
    const common: RedisOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2_000,
      // Reconnect forever, backing off to one attempt every 2 s.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    };
    this.client = new Redis(options.url, { ...common, connectionName: 'warehouse' });
    this.subscriber = new Redis(options.url, {
      ...common,
      connectionName: 'warehouse-sub',
      // The revocation store subscribes again (and re-reads the set) on every 'ready' itself.
      autoResubscribe: false,
      // A subscriber connection must not time out waiting for messages.
      commandTimeout: undefined,
    });
    this.watch(this.client, 'commands');
    this.watch(this.subscriber, 'subscriber');
  }

  /** Connects both clients, waiting a short while; an unreachable Redis is logged, not thrown. */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connection = new RedisConnection(options);
    const wait = options.connectWaitMs ?? 3_000;
    const connected = Promise.all([
      connection.client.connect(),
      connection.subscriber.connect(),
    ]).then(
      () => true,
      () => false,
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, wait, false)));
    const ok = await Promise.race([connected, timedOut]);
    clearTimeout(timer);
    if (!ok) {
      connection.logger.warn(
        'Redis is not reachable; starting without it (revocations from the local mirror and the ' +
          'hub, rate limiting open) and reconnecting in the background',
      );
    }
    return connection;
  }

  get ready(): boolean {
    return this.client.status === 'ready' && this.subscriber.status === 'ready';
  }

  status(now = Date.now()): RedisStatus {
    return {
      ready: this.ready,
      state: this.client.status === 'ready' ? this.subscriber.status : this.client.status,
      downSinceSeconds: this.downSince === null ? null : Math.round((now - this.downSince) / 1000),
      lastError: this.lastError,
    };
  }

  /** Round trip for health checks; rejects when Redis does not answer in time. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.client, this.subscriber].map((redis) => quitOrDisconnect(redis)));
  }

  private watch(redis: Redis, role: string): void {
    // Without an 'error' listener ioredis would print every failed reconnect attempt.
    redis.on('error', (error: Error) => {
      this.lastError = `${role}: ${error.message}`;
    });
    redis.on('ready', () => {
      if (!this.ready) return;
      if (this.downSince !== null) {
        this.logger.log('Redis connection ready');
        this.downSince = null;
        this.lastError = null;
      }
    });
    redis.on('close', () => {
      if (this.closed || this.downSince !== null) return;
      this.downSince = Date.now();
      this.logger.warn(
        `Redis connection lost (${role}); serving from local state, rate limiting open, reconnecting`,
      );
    });
  }
}

async function quitOrDisconnect(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      redis.quit().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
  }
  redis.disconnect(false);
}
