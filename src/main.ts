import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createApp } from './app.factory';
import { memoryAllocator } from './common/memory-allocator';
import { armShutdownDeadline } from './common/shutdown-deadline';
import { startDevelopmentLoom } from './loom-standin/development-loom';
import { AppConfig, ConfigError, parseConfig } from './config';
import { DevelopmentHub, startDevelopmentHub } from './hub/development-hub';
import type { HubLoomOptions } from './hub/revocation-events';
import { prettyLogStream, productionLogStream } from './logging';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const logger = new Logger('Bootstrap');
  // Events on without LOOM_URL (development, test): post them to an embedded stand-in Loom.
  const devLoom = await startDevelopmentLoom(config);
  if (devLoom) {
    config = devLoom.config;
    logger.log(`Embedded stand-in Loom on ${devLoom.loom.url} (events: GET /_standin/events)`);
  }
  const devHub =
    config.hubUrl === null ? await startDevelopmentHubOrExit(config, devLoom?.hubLoom) : null;
  const resolved: AppConfig = devHub ? { ...config, hubUrl: devHub.hub.url } : config;
  // A person at a terminal gets readable lines; everything else one JSON object per line.
  const forPerson = resolved.zaikioEnv === 'development' && process.stdout.isTTY === true;
  const logStream = forPerson ? prettyLogStream() : productionLogStream();
  const app = await createApp(resolved, { logStream });
  armShutdownDeadline(resolved.shutdownTimeoutSeconds ?? 25);
  await app.listen(resolved.port, '0.0.0.0');
  // The embedded Loom forwards the hub's revocation events to our webhook, as Zaikio's Loom does.
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
  devLoom?.deliverTo(`http://127.0.0.1:${port}`);
  const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.log(`Listening on ${base} (ZAIKIO_ENV=${resolved.zaikioEnv}, hub ${resolved.hubUrl})`);
  logger.log(`Memory allocator: ${memoryAllocator('self')}`);
  if (!devHub) {
    logger.log(`Swagger UI: ${base}/docs`);
    return;
  }
  logger.log(`Embedded stand-in hub on ${devHub.hub.url} (keys in ${devHub.stateFile})`);
  // A development convenience on stdout, never in production: a ready-to-paste request and the
  // Swagger URL, as the last lines a person sees.
  process.stdout.write(
    `\nDevelopment hub (DEV_HUB_PORT): ${devHub.hub.url}\n` +
      `Try it (organization token, valid 1 h):\n  curl -H "Authorization: Bearer ${devHub.sampleToken()}" ${base}/api/v1/items\n` +
      `Swagger UI: ${base}/docs (Authorize → zaikio_oauth signs in at the hub)\n\n`,
  );
}

/** A port that is taken is a configuration problem: one line naming the variable, exit 1. */
async function startDevelopmentHubOrExit(
  config: AppConfig,
  loom: HubLoomOptions | null | undefined,
): Promise<DevelopmentHub> {
  try {
    return await startDevelopmentHub(config, { loom });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

void bootstrap();
