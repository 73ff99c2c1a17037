import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule } from './database';
import { DocsModule } from './docs';
import { ItemsModule } from './items';
import { PersonSettingsModule } from './person-settings';
import { ProtectedResourceModule } from './resource-metadata';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { HealthModule } from './health/health.module';
import { TokenIntrospectionController } from './introspection/token-introspection.controller';
import { MetricsModule } from './metrics';
import { RateLimitGuard, RateLimitModule } from './rate-limit';
import { REDIS_CONNECTION, RedisConnection, RedisModule } from './redis';
import {
  InMemoryRevocationStore,
  RedisRevocationStore,
  RevocationStore,
  ZaikioAuthGuard,
  ZaikioAuthModule,
  ZaikioAuthOptions,
} from './zaikio';

/** Extra auth tuning, used by tests to shorten refresh intervals and timeouts. */
export type AuthTuning = Partial<Omit<ZaikioAuthOptions, 'hubUrl' | 'appName' | 'audiences'>>;

function authOptions(config: AppConfig, tuning: AuthTuning): ZaikioAuthOptions {
  if (config.hubUrl === null) throw new Error('hubUrl must be resolved before the app is built');
  return {
    hubUrl: config.hubUrl,
    appName: config.appName,
    audiences: config.audiences,
    personalTokens: config.personalTokens,
    clockToleranceSeconds: config.clockToleranceSeconds,
    webhookSecret: config.webhookSecret,
    ...tuning,
  };
}

/** Revocations in Redis (shared by all instances) when it is configured, else in memory. */
async function revocationStore(redis: RedisConnection | null): Promise<RevocationStore> {
  if (!redis) return new InMemoryRevocationStore();
  const store = new RedisRevocationStore({
    client: redis.client,
    subscriber: redis.subscriber,
    keyPrefix: redis.keyPrefix,
  });
  await store.start();
  return store;
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, tuning: AuthTuning = {}): DynamicModule {
    const rateLimit = config.rateLimit ?? null;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        ZaikioAuthModule.forRootAsync({
          useFactory: () => authOptions(config, tuning),
          revocationStore: {
            inject: [REDIS_CONNECTION],
            useFactory: (redis: RedisConnection | null) => revocationStore(redis),
          },
        }),
        DatabaseModule,
        MetricsModule,
        HealthModule,
        ...(rateLimit ? [RateLimitModule.forRoot(rateLimit)] : []),
        ItemsModule,
        PersonSettingsModule,
        DocsModule,
        ProtectedResourceModule,
      ],
      controllers: [TokenIntrospectionController],
      providers: [
        // Registered here, not in main.ts, so every test module built from AppModule gets them.
        // APP_GUARDs run in this order: the rate limit keys on the token the auth guard verified.
        { provide: APP_GUARD, useExisting: ZaikioAuthGuard },
        ...(rateLimit ? [{ provide: APP_GUARD, useExisting: RateLimitGuard }] : []),
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
