// Child process entry: boots one server on loopback and answers the bench over IPC.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaselineApp } from '../baseline/baseline-app';
import { startStockRecipeInApp } from '../baseline/stock-recipe-in-app';
import { benchConfig, startBenchApp } from './bench-app';
import type { ServerKind } from './ipc';
import { serveOverIpc } from './serve-over-ipc';

serveOverIpc(async () => {
  const kind = process.argv[2] as ServerKind;
  const [, , , hubUrl, databaseUrl = null] = process.argv;
  if (!['app', 'baseline', 'stock-in-app'].includes(kind) || !hubUrl) {
    throw new Error('usage: server-main <app|baseline|stock-in-app> <hubUrl> [databaseUrl]');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-bench-'));
  const config = benchConfig(hubUrl, dataDir, databaseUrl);
  const app: INestApplication =
    kind === 'app'
      ? await startBenchApp(config)
      : kind === 'stock-in-app'
        ? await startStockRecipeInApp(config, hubUrl)
        : await startBaselineApp(hubUrl);
  return { app, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
});
