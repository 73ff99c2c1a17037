import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RateLimitRecord, RateLimitStore } from './rate-limit-store';

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
 * Rate-limit windows in Redis, shared by every instance. Fails open: when Redis does not
 * answer (commands fail fast, see RedisConnection), the request is allowed, counted in the
 * `rate_limit_fail_open_total` metric and logged at most every 30 s.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly onFailOpen: () => void = () => undefined,
    /** Prepended to every key, e.g. `warehouse:`. */
    private readonly keyPrefix = '',
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    try {
      const [hits, pttl] = (await this.redis.eval(
        INCREMENT,
        1,
        this.keyPrefix + key,
        String(ttl),
      )) as [number, number];
      const timeToExpire = Math.max(1, Math.ceil(pttl / 1000));
      return { totalHits: hits, timeToExpire, isBlocked: hits > limit };
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
        failedOpen: true,
      };
    }
  }
}
