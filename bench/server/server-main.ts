// Child process entry: boots one server on loopback and answers the bench over IPC.
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBaselineApp } from '../baseline/baseline-app';
import type { FromServer, ServerKind, ToServer } from './ipc';
import { startStockRecipeInApp } from '../baseline/stock-recipe-in-app';
import { benchConfig, startBenchApp } from './bench-app';

function send(message: FromServer): void {
  process.send?.(message);
}

async function main(): Promise<void> {
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
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;

  process.on('message', (message: ToServer) => {
    if (message.type === 'rss') {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (message.gc && gc) gc();
      send({ type: 'rss', usage: process.memoryUsage() });
    } else if (message.type === 'stop') {
      void app
        .close()
        .then(() => rm(dataDir, { recursive: true, force: true }))
        .finally(() => process.exit(0));
    }
  });
  // The bench going away (even killed) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port });
}

main().catch((error: unknown) => {
  send({
    type: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
});
