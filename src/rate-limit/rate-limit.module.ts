import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { RateLimitConfig } from '../config';
import { MetricsService } from '../metrics';
import { REDIS_CONNECTION, RedisConnection } from '../redis';
import { RateLimitGuard } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/**
 * @nestjs/throttler with one window per caller. Counters live in Redis when REDIS_URL is set (shared
 * by all instances), in process memory otherwise. The application registers RateLimitGuard as an
 * APP_GUARD after the auth guard.
 */
@Module({})
export class RateLimitModule {
  static forRoot(rateLimit: RateLimitConfig): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [REDIS_CONNECTION, MetricsService],
          useFactory: (redis: RedisConnection | null, metrics: MetricsService) => ({
            throttlers: [
              { name: 'default', limit: rateLimit.limit, ttl: rateLimit.windowSeconds * 1000 },
            ],
            storage: redis
              ? new RedisThrottlerStorage(
                  redis.client,
                  () => metrics.rateLimitFailedOpen(),
                  redis.keyPrefix,
                )
              : undefined,
          }),
        }),
      ],
      providers: [RateLimitGuard],
      exports: [RateLimitGuard],
    };
  }
}
