export { RateLimitModule } from './rate-limit.module';
export { RateLimitGuard, callerKey } from './rate-limit.guard';
export { RateLimitedError } from './rate-limited.error';
export { MemoryRateLimitStore } from './rate-limit-store';
export type { RateLimitRecord, RateLimitStore } from './rate-limit-store';
export { RedisRateLimitStore } from './redis-rate-limit-store';
