import { DynamicModule, Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { RateLimitConfig } from '../config';
import { MetricsService } from '../metrics';
import { REDIS_CONNECTION, RedisConnection } from '../redis';
import { RATE_LIMIT_CONFIG, RateLimitGuard } from './rate-limit.guard';
import { MemoryRateLimitStore, RATE_LIMIT_STORE, RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit-store';

/**
 * One window per caller. Counters live in Redis when REDIS_URL is set (shared by all instances),
 * in process memory otherwise. The application registers RateLimitGuard as an APP_GUARD after the
 * auth guard.
 */
@Module({})
export class RateLimitModule implements OnModuleDestroy {
  constructor(@Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore) {}

  static forRoot(rateLimit: RateLimitConfig): DynamicModule {
    return {
      module: RateLimitModule,
      providers: [
        { provide: RATE_LIMIT_CONFIG, useValue: rateLimit },
        {
          provide: RATE_LIMIT_STORE,
          inject: [REDIS_CONNECTION, MetricsService],
          useFactory: (redis: RedisConnection | null, metrics: MetricsService): RateLimitStore =>
            redis
              ? new RedisRateLimitStore(
                  redis.client,
                  () => metrics.rateLimitFailedOpen(),
                  redis.keyPrefix,
                )
              : new MemoryRateLimitStore(rateLimit.windowSeconds * 1000),
        },
        RateLimitGuard,
      ],
      exports: [RateLimitGuard],
    };
  }

  onModuleDestroy(): void {
    if (this.store instanceof MemoryRateLimitStore) this.store.close();
  }
}
