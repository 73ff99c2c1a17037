import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { armShutdownDeadline } from './common/shutdown-deadline';
import { AppConfig, ConfigError, parseConfig } from './config';
import { DevelopmentHub, startDevelopmentHub } from './hub/development-hub';
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
  const devHub = config.hubUrl === null ? await startDevelopmentHubOrExit(config) : null;
  const resolved: AppConfig = devHub ? { ...config, hubUrl: devHub.hub.url } : config;
  // A person at a terminal gets readable lines; everything else one JSON object per line.
  const forPerson = resolved.zaikioEnv === 'development' && process.stdout.isTTY === true;
  const logStream = forPerson ? prettyLogStream() : productionLogStream().stream;
  const app = await createApp(resolved, { logStream });
  armShutdownDeadline(resolved.shutdownTimeoutSeconds ?? 25);
  await app.listen(resolved.port, '0.0.0.0');
  const base = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.log(`Listening on ${base} (ZAIKIO_ENV=${resolved.zaikioEnv}, hub ${resolved.hubUrl})`);
  if (!devHub) {
    logger.log(`Swagger UI: ${base}/docs`);
    return;
  }
  logger.log(`Embedded stand-in hub on ${devHub.hub.url} (keys in ${devHub.stateFile})`);
  // A development convenience on stdout, never in production: a ready-to-paste request and the
  // Swagger URL, as the last lines a person sees.
  process.stdout.write(
    `\nTry it (organization token, valid 1 h):\n  curl -H "Authorization: Bearer ${devHub.sampleToken()}" ${base}/api/v1/items\n` +
      `Swagger UI: ${base}/docs (Authorize → zaikio_oauth signs in at the hub)\n` +
      `Development hub (DEV_HUB_PORT): ${devHub.hub.url}\n\n`,
  );
}

/** A port that is taken is a configuration problem: one line naming the variable, exit 1. */
async function startDevelopmentHubOrExit(config: AppConfig): Promise<DevelopmentHub> {
  try {
    return await startDevelopmentHub(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

void bootstrap();
