import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ZaikioHubService } from './hub-client/zaikio-hub.service';
import {
  InMemoryRevocationStore,
  REVOCATION_STORE,
  RevocationStore,
} from './revocation/revocation-store';
import { RouteRuleTable } from './rules/route-rule-table';
import { ZaikioAuthGuard } from './rules/zaikio-auth.guard';
import { TokenVerifier } from './token/token-verifier';
import { LoomWebhookController } from './webhook/loom-webhook.controller';
import { ZAIKIO_AUTH_OPTIONS, ZaikioAuthOptions } from './zaikio-auth.options';

export interface ZaikioAuthAsyncOptions {
  readonly imports?: DynamicModule['imports'];
  readonly inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  readonly useFactory: (...args: never[]) => ZaikioAuthOptions;
  /** Where revocations live; default in process memory (one instance). */
  readonly revocationStore?: {
    readonly inject?: ZaikioAuthAsyncOptions['inject'];
    readonly useFactory: (...args: never[]) => RevocationStore | Promise<RevocationStore>;
  };
}

/**
 * Zaikio JWT authentication and authorization. The application registers ZaikioAuthGuard as its
 * APP_GUARD and maps ZaikioAuthError through its exception filter.
 */
@Module({})
export class ZaikioAuthModule {
  static forRootAsync(options: ZaikioAuthAsyncOptions): DynamicModule {
    return {
      module: ZaikioAuthModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      controllers: [LoomWebhookController],
      providers: [
        {
          provide: ZAIKIO_AUTH_OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory,
        },
        options.revocationStore
          ? {
              provide: REVOCATION_STORE,
              inject: options.revocationStore.inject ?? [],
              useFactory: options.revocationStore.useFactory,
            }
          : { provide: REVOCATION_STORE, useClass: InMemoryRevocationStore },
        ZaikioHubService,
        TokenVerifier,
        RouteRuleTable,
        ZaikioAuthGuard,
      ],
      exports: [
        ZAIKIO_AUTH_OPTIONS,
        REVOCATION_STORE,
        ZaikioHubService,
        TokenVerifier,
        ZaikioAuthGuard,
      ],
    };
  }
}
