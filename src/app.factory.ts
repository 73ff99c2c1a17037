import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AuthTuning } from './app.module';
import { installBodyParsers } from './common/body-parsers';
import { AppConfig } from './config';
import { setupDocs } from './docs';

export interface CreateAppOptions {
  readonly tuning?: AuthTuning;
  readonly logger?: LogLevel[] | false;
}

/** Builds the whole application; main.ts and the e2e tests both use it, so they cannot drift. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.tuning),
    { bodyParser: false, logger: options.logger ?? ['log', 'warn', 'error'] },
  );
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  installBodyParsers(app);
  setupDocs(app, config);
  app.enableShutdownHooks();
  return app;
}
