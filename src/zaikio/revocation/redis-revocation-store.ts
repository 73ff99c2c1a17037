import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RevocationStore } from './revocation-store';

export interface RedisRevocationStoreOptions {
  /** Connection for commands (ZADD, ZRANGE, PUBLISH). */
  readonly client: Redis;
  /** A second connection, used only in subscriber mode. */
  readonly subscriber: Redis;
  /** e.g. `warehouse:`; the set is `<prefix>revoked_access_tokens`, the channel the same + `:events`. */
  readonly keyPrefix: string;
  /** Full re-read of the shared set, in case a message was missed. Default 5 minutes. */
  readonly resyncIntervalMs?: number;
  /** Entries older than this are dropped from Redis (no token lives longer). Default 400 days. */
  readonly retentionMs?: number;
}

export interface RevocationSyncStatus {
  readonly size: number;
  /** Revocations known here but not yet written to Redis (it was unreachable). */
  readonly pending: number;
  readonly lastSyncAt: Date | null;
}

const DAY = 86_400_000;

/**
 * Revocations shared by every instance through Redis: a sorted set (jti → time revoked) that
 * survives restarts, and a pub/sub channel announcing new ones. Each instance answers isRevoked
 * from a local mirror, loaded at start, updated by messages, and re-read whenever the subscriber
 * (re)connects, so a revocation reaches every instance within milliseconds.
 *
 * The mirror only grows. When Redis is down the instance keeps enforcing what it knew, applies new
 * revocations locally at once and writes them to Redis when it is back.
 */
export class RedisRevocationStore implements RevocationStore {
  private readonly mirror = new Set<string>();
  private readonly pending = new Set<string>();
  private readonly logger = new Logger('RedisRevocationStore');
  private readonly key: string;
  private readonly channel: string;
  private readonly resyncIntervalMs: number;
  private readonly retentionMs: number;
  private timer: NodeJS.Timeout | null = null;
  private lastSyncAt: number | null = null;
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private stopped = false;

  constructor(private readonly options: RedisRevocationStoreOptions) {
    this.key = `${options.keyPrefix}revoked_access_tokens`;
    this.channel = `${this.key}:events`;
    this.resyncIntervalMs = options.resyncIntervalMs ?? 5 * 60_000;
    this.retentionMs = options.retentionMs ?? 400 * DAY;
  }

  /** Subscribes and loads the shared set (when Redis is up); re-does both on every reconnect. */
  async start(): Promise<void> {
    const { client, subscriber } = this.options;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    subscriber.on('ready', () => void this.sync());
    client.on('ready', () => void this.sync());
    this.timer = setInterval(() => void this.sync(), this.resyncIntervalMs);
    this.timer.unref();
    await this.sync();
  }

  /** Nest calls this on shutdown (the store is a provider instance). */
  onApplicationShutdown(): void {
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  isRevoked(jti: string): boolean {
    return this.mirror.has(jti);
  }

  /** Enforced here at once; shared through Redis now or, if it is down, as soon as it is back. */
  async revoke(jtis: Iterable<string>): Promise<void> {
    let added = false;
    for (const jti of jtis) {
      if (this.mirror.has(jti)) continue;
      this.mirror.add(jti);
      this.pending.add(jti);
      added = true;
    }
    if (added) await this.flush();
  }

  size(): number {
    return this.mirror.size;
  }

  syncStatus(): RevocationSyncStatus {
    return {
      size: this.mirror.size,
      pending: this.pending.size,
      lastSyncAt: this.lastSyncAt === null ? null : new Date(this.lastSyncAt),
    };
  }

  /**
   * Subscribe, write what is pending, read the whole set. A call during a run makes it run once
   * more (a connection may have become ready after the run looked), never twice at the same time.
   */
  private sync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && !this.stopped);
    })().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const { client, subscriber } = this.options;
    if (client.status !== 'ready') return;
    try {
      // Subscribe before reading, so nothing revoked in between is missed.
      if (subscriber.status === 'ready') await subscriber.subscribe(this.channel);
      await this.flush();
      await client.zremrangebyscore(this.key, '-inf', Date.now() - this.retentionMs);
      const ids = await client.zrange(this.key, 0, -1);
      for (const id of ids) this.mirror.add(id);
      this.lastSyncAt = Date.now();
    } catch (error) {
      this.logger.warn(`revocation sync with Redis failed: ${messageOf(error)}`);
    }
  }

  private async flush(): Promise<void> {
    if (this.pending.size === 0 || this.options.client.status !== 'ready') return;
    const ids = [...this.pending];
    const now = Date.now();
    try {
      await this.options.client
        .multi()
        .zadd(this.key, 'NX', ...ids.flatMap((id) => [now, id]))
        .publish(this.channel, JSON.stringify(ids))
        .exec()
        .then(failOnCommandError);
      for (const id of ids) this.pending.delete(id);
    } catch (error) {
      this.logger.warn(
        `could not share ${ids.length} revocation(s) through Redis yet (${messageOf(error)}); ` +
          'enforced on this instance, retrying when Redis is back',
      );
    }
  }

  private receive(message: string): void {
    let ids: unknown;
    try {
      ids = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids) if (typeof id === 'string') this.mirror.add(id);
  }
}

function failOnCommandError(results: Array<[Error | null, unknown]> | null): void {
  if (results === null) throw new Error('transaction aborted');
  const failed = results.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
