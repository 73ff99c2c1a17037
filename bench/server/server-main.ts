// Child process entry: boots one server on loopback and answers the bench over IPC.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaselineApp } from '../baseline/baseline-app';
import { startItemsTwin } from '../baseline/items-twin';
import { startStockRecipeInApp } from '../baseline/stock-recipe-in-app';
import { benchConfig, startBenchApp } from './bench-app';
import { SERVER_KINDS, ServerKind } from './ipc';
import { ServableApp, serveOverIpc } from './serve-over-ipc';

serveOverIpc(async () => {
  const kind = process.argv[2] as ServerKind;
  const hubUrl = process.env.ZAIKIO_HUB_URL;
  if (!SERVER_KINDS.includes(kind) || !hubUrl) {
    throw new Error(`usage: ZAIKIO_HUB_URL=... server-main <${SERVER_KINDS.join('|')}>`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-bench-'));
  const env = { ...process.env, DATA_DIR: dataDir };
  const start = (): Promise<ServableApp> => {
    switch (kind) {
      case 'app':
        return startBenchApp(benchConfig(env));
      case 'stock-in-app':
        return startStockRecipeInApp(benchConfig(env), hubUrl);
      case 'baseline':
        return startBaselineApp(hubUrl);
      case 'items-twin':
        return startItemsTwin(env);
    }
  };
  return { app: await start(), cleanup: () => rm(dataDir, { recursive: true, force: true }) };
});
