/** What the guard learns from one counted request. */
export interface RateLimitRecord {
  totalHits: number;
  /** Seconds until the window resets (at least 1). */
  timeToExpire: number;
  isBlocked: boolean;
  /** True when the store was unreachable and the request was let through uncounted. */
  failedOpen?: boolean;
}

/**
 * Counts a request in the caller's fixed window. The in-memory store answers synchronously, so a
 * request pays no promise hop for it; Redis answers with a promise.
 */
export interface RateLimitStore {
  increment(
    key: string,
    windowMs: number,
    limit: number,
  ): RateLimitRecord | Promise<RateLimitRecord>;
}

export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

interface Window {
  hits: number;
  /** Epoch milliseconds when this window ends. */
  endsAt: number;
}

/**
 * Fixed windows in process memory, for a single instance (REDIS_URL unset). A window starts with
 * a caller's first request and lasts windowMs, as in Redis (INCR + PEXPIRE). Ended windows are
 * swept once per window length, so the table holds only callers seen within the last two windows.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), windowMs);
    this.sweeper.unref();
  }

  increment(key: string, windowMs: number, limit: number): RateLimitRecord {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      // Map.set on a present key would keep the old key string, made for whichever token opened the
      // first window (a token's first request is not a cache hit, so that is another object than
      // the one every later request brings). With this request's string stored, a cached token's
      // look-ups find the very same string and compare no characters (BENCHMARKS.md, fifth round).
      this.windows.delete(key);
      this.windows.set(key, window);
    }
    window.hits += 1;
    return {
      totalHits: window.hits,
      timeToExpire: Math.max(1, Math.ceil((window.endsAt - now) / 1000)),
      isBlocked: window.hits > limit,
    };
  }

  get size(): number {
    return this.windows.size;
  }

  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
