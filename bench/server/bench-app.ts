import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { AppConfig, ConfigError, parseConfig } from '../../src/config';
import { productionLogStream } from '../../src/logging';
import { PublicTwinModule } from './public-twin.module';

/**
 * The real application, built by the same createApp() as main.ts, plus the bench-only public twin
 * of `GET /api/v1/token`. createApp() takes no extra modules, so AppModule.forRoot is wrapped in
 * this (bench-only) process to import the twin alongside everything else.
 */
export async function startBenchApp(config: AppConfig): Promise<INestApplication> {
  const forRoot = AppModule.forRoot.bind(AppModule);
  AppModule.forRoot = (config, tuning) => {
    const module = forRoot(config, tuning);
    return { ...module, imports: [...(module.imports ?? []), PublicTwinModule] };
  };
  // The stream main.ts gives a server whose stdout is not a terminal.
  return createApp(config, { logStream: productionLogStream() });
}

/**
 * The configuration exactly as main.ts reads it: parseConfig over the environment the bench gave
 * this process (ZAIKIO_ENV=sandbox, the stand-in hub's URL, a scratch DATA_DIR, LOG_LEVEL). Its
 * defaults are production's: request lines at info, rate limiting on, metrics on.
 */
export function benchConfig(env: NodeJS.ProcessEnv): AppConfig {
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new Error(`bench server configuration: ${error.message}`);
    throw error;
  }
}
