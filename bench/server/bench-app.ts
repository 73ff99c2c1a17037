import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config';
import { PublicTwinModule } from './public-twin.module';
import { aTestConfig } from '../../src/config/testing';

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
  return createApp(config, { logger: ['error'] });
}

/**
 * Built like the e2e tests build theirs (the embedded database unless `databaseUrl`): no Redis,
 * logging at error level (no request lines), and no rate limit: parseConfig's default (600
 * requests a minute per caller) would answer the bench's single caller 429 within a tenth of a
 * second.
 */
export function benchConfig(
  hubUrl: string,
  dataDir: string,
  databaseUrl: string | null,
): AppConfig {
  return aTestConfig({ hubUrl, clockToleranceSeconds: 30, dataDir, databaseUrl });
}
