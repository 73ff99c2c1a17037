import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisConnection } from './redis-connection';

/** Injection token for `RedisConnection | null` (null when REDIS_URL is not set). */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

/** Opens Redis when REDIS_URL is configured; closes it after the HTTP server stopped. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<RedisConnection> | null =>
        config.redisUrl
          ? RedisConnection.open({
              url: config.redisUrl,
              keyPrefix: config.redisKeyPrefix ?? `${config.appName}:`,
            })
          : null,
    },
  ],
  exports: [REDIS_CONNECTION],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly redis: RedisConnection | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
