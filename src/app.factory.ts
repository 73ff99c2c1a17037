import { INestApplication, LogLevel } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, AuthTuning } from './app.module';
import { installBodyParsers } from './common/body-parsers';
import { PrototypedExpressAdapter } from './common/express-adapter';
import { requestBatch } from './common/request-batch';
import { AppConfig } from './config';
import { setupDocs } from './docs';
import { createLoggers, levelFromNestOption, PinoNestLogger, requestLogger } from './logging';
import { MetricsService } from './metrics';

export interface CreateAppOptions {
  readonly tuning?: AuthTuning;
  /** Nest-style levels, used when the config has no logLevel (tests pass ['error']). */
  readonly logger?: LogLevel[] | false;
  /** Where log lines go; pino's synchronous stdout unless given (main.ts picks one per setting). */
  readonly logStream?: DestinationStream;
}

/** Builds the whole application; main.ts and the e2e tests both use it, so they cannot drift. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  // JSON lines through pino, for Nest's own messages and for one line per request.
  const level = config.logLevel ?? levelFromNestOption(options.logger);
  const loggers = createLoggers(level, options.logStream);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, options.tuning),
    new PrototypedExpressAdapter(),
    { bodyParser: false, logger: new PinoNestLogger(loggers.root) },
  );
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestLogger(loggers.root, loggers.requests));
  app.use(app.get(MetricsService).httpMiddleware());
  // On unless REQUEST_BATCHING=off: less CPU per request under load (BENCHMARKS.md).
  if (config.requestBatching) app.use(requestBatch());
  installBodyParsers(app);
  setupDocs(app, config);
  app.enableShutdownHooks();
  return app;
}
