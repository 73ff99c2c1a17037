export { RateLimitModule } from './rate-limit.module';
export { RateLimitGuard, callerKey } from './rate-limit.guard';
export { RateLimitedError } from './rate-limited.error';
export { RedisThrottlerStorage } from './redis-throttler-storage';
