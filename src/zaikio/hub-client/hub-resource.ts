import { Logger } from '@nestjs/common';
import { fetchHubJson, FetchHubJsonOptions } from './fetch-hub-json';

export interface HubResourceOptions<T> extends FetchHubJsonOptions {
  /** For log lines and health, e.g. "jwt_public_keys". */
  readonly name: string;
  readonly url: string;
  /** Validates and converts the body; throws (with a loggable message) when it is unusable. */
  readonly parse: (body: unknown) => T;
  /** Regular refresh period while the hub is healthy. */
  readonly refreshIntervalMs: number;
  /** Retry back-off bounds while the hub fails. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /**
   * The least time between the starts of two fetches that the resource makes by itself (timer,
   * retries, refreshWithin); an explicit refresh() is not held back. Default 0.
   */
  readonly minFetchIntervalMs?: number;
  /** Called with every successfully parsed value. */
  readonly onLoaded?: (value: T) => void;
}

export interface HubResourceStatus {
  readonly name: string;
  readonly loaded: boolean;
  readonly loadedAt: Date | null;
  readonly ageSeconds: number | null;
  readonly lastError: string | null;
  readonly fetches: number;
  readonly failures: number;
}

/**
 * A document read from the hub and kept fresh: refreshed on a timer, retried with back-off while
 * the hub fails, and never replaced by a failed fetch (stale-if-error). Concurrent refresh requests
 * share one in-flight fetch.
 */
export class HubResource<T> {
  private current: T | null = null;
  private loadedAt: number | null = null;
  private lastError: string | null = null;
  private inFlight: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = Infinity;
  private fetchStartedAt = -Infinity;
  private failuresInARow = 0;
  private fetches = 0;
  private failures = 0;
  private stopped = false;
  private readonly logger: Logger;

  constructor(private readonly options: HubResourceOptions<T>) {
    this.logger = new Logger(`HubResource:${options.name}`);
  }

  get value(): T | null {
    return this.current;
  }

  get lastLoadedAt(): number | null {
    return this.loadedAt;
  }

  /** The fetch under way, if any: callers that must not start one can still wait for it. */
  get pending(): Promise<boolean> | null {
    return this.inFlight;
  }

  /** How long until a fetch may start without breaking minFetchIntervalMs; 0 when it may now. */
  nextFetchAllowedIn(now = Date.now()): number {
    return Math.max(0, this.fetchStartedAt + (this.options.minFetchIntervalMs ?? 0) - now);
  }

  /**
   * Brings the next scheduled fetch forward to at most `delayMs` from now (it never moves later),
   * and never closer to the last fetch than minFetchIntervalMs allows.
   */
  refreshWithin(delayMs: number): void {
    if (this.stopped || this.inFlight) return;
    const dueAt = Date.now() + Math.max(delayMs, this.nextFetchAllowedIn());
    if (dueAt < this.timerDueAt) this.setTimer(dueAt);
  }

  /** Makes the first fetch (its failure is logged, not thrown) and starts the refresh timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDueAt = Infinity;
  }

  /** Fetches now unless a fetch is already running; resolves true when a fresh value was loaded. */
  refresh(): Promise<boolean> {
    if (!this.inFlight) {
      this.inFlight = this.fetchOnce().finally(() => {
        this.inFlight = null;
        this.schedule();
      });
    }
    return this.inFlight;
  }

  status(now = Date.now()): HubResourceStatus {
    return {
      name: this.options.name,
      loaded: this.current !== null,
      loadedAt: this.loadedAt === null ? null : new Date(this.loadedAt),
      ageSeconds: this.loadedAt === null ? null : Math.round((now - this.loadedAt) / 1000),
      lastError: this.lastError,
      fetches: this.fetches,
      failures: this.failures,
    };
  }

  private async fetchOnce(): Promise<boolean> {
    this.fetches += 1;
    this.fetchStartedAt = Date.now();
    try {
      const body = await fetchHubJson(this.options.url, this.options);
      const value = this.options.parse(body);
      this.current = value;
      this.loadedAt = Date.now();
      this.lastError = null;
      this.failuresInARow = 0;
      this.options.onLoaded?.(value);
      return true;
    } catch (error) {
      this.failures += 1;
      this.failuresInARow += 1;
      this.lastError = error instanceof Error ? error.message : String(error);
      const keeping = this.current === null ? 'nothing loaded yet' : 'keeping the last good copy';
      this.logger.warn(`refresh failed (${this.lastError}); ${keeping}`);
      return false;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay =
      this.failuresInARow === 0
        ? this.options.refreshIntervalMs
        : Math.min(
            this.options.retryMaxMs,
            this.options.retryMinMs * 2 ** Math.min(this.failuresInARow - 1, 16),
          );
    this.setTimer(Date.now() + Math.max(delay, this.nextFetchAllowedIn()));
  }

  private setTimer(dueAt: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDueAt = Infinity;
      void this.refresh();
    }, dueAt - Date.now());
    // The refresh timer alone must never keep the process (or a test run) alive.
    this.timer.unref();
  }
}
