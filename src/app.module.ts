import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule } from './database';
import { DocsModule } from './docs';
import { ItemsModule } from './items';
import { PersonSettingsModule } from './person-settings';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { HealthController } from './health/health.controller';
import { TokenIntrospectionController } from './introspection/token-introspection.controller';
import { ZaikioAuthGuard, ZaikioAuthModule, ZaikioAuthOptions } from './zaikio';

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

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, tuning: AuthTuning = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ZaikioAuthModule.forRootAsync({ useFactory: () => authOptions(config, tuning) }),
        DatabaseModule,
        ItemsModule,
        PersonSettingsModule,
        DocsModule,
      ],
      controllers: [HealthController, TokenIntrospectionController],
      providers: [
        // Registered here, not in main.ts, so every test module built from AppModule gets them.
        { provide: APP_GUARD, useExisting: ZaikioAuthGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}
