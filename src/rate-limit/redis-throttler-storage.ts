import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type Redis from 'ioredis';

/** What the guard needs to know besides the counts: whether the store could count at all. */
export interface RateLimitRecord {
  totalHits: number;
  /** Seconds until the window resets. */
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
  /** True when the store was unreachable and the request was let through uncounted. */
  failedOpen?: boolean;
}

/**
 * Fixed window in one round trip: INCR, and PEXPIRE when the key is new (or lost its expiry), so
 * two instances counting at once can never leave a counter without a window.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
`;

const WARN_EVERY_MS = 30_000;

/**
 * @nestjs/throttler storage on Redis, shared by every instance. Fails open: when Redis does not
 * answer (commands fail fast, see RedisConnection), the request is allowed, counted in the
 * `rate_limit_fail_open_total` metric and logged at most every 30 s.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly onFailOpen: () => void = () => undefined,
    /** Prepended to every key, e.g. `warehouse:`. */
    private readonly keyPrefix = '',
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    _throttlerName: string,
  ): Promise<RateLimitRecord> {
    try {
      const [hits, pttl] = (await this.redis.eval(
        INCREMENT,
        1,
        this.keyPrefix + key,
        String(ttl),
      )) as [number, number];
      const timeToExpire = Math.max(1, Math.ceil(pttl / 1000));
      const isBlocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire,
        isBlocked,
        timeToBlockExpire: isBlocked ? timeToExpire : 0,
      };
    } catch (error) {
      this.onFailOpen();
      const now = Date.now();
      if (now - this.lastWarning >= WARN_EVERY_MS) {
        this.lastWarning = now;
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn(`rate limiting is open: Redis unreachable (${reason})`);
      }
      return {
        totalHits: 0,
        timeToExpire: Math.ceil(ttl / 1000),
        isBlocked: false,
        timeToBlockExpire: 0,
        failedOpen: true,
      };
    }
  }
}
