// Soak child process: the real application (same createApp as main.ts) against the given hub URL.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import type { FromServer, ToServer } from './ipc';
import { aTestConfig } from '../src/config/testing';

function send(message: FromServer): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const hubUrl = process.argv[2];
  if (!hubUrl) throw new Error('usage: soak/server.ts <hubUrl>');
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-soak-'));
  const config = aTestConfig({
    hubUrl,
    clockToleranceSeconds: 30,
    webhookSecret: 'soak-secret',
    dataDir,
  });
  // Production code paths with refresh intervals short enough that every flap of the hub is felt:
  // keys, roles and revocations are all re-read every second while healthy.
  const app = await createApp(config, {
    logger: ['error'],
    tuning: {
      hubTimeoutMs: 500,
      keyRefreshIntervalMs: 1_000,
      rolesRefreshIntervalMs: 1_000,
      revocationRefreshIntervalMs: 1_000,
      unknownKidRefetchIntervalMs: 2_000,
      retryMinMs: 100,
      retryMaxMs: 1_000,
    },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  process.on('message', (message: ToServer) => {
    if (message.type === 'memory') {
      // With --expose-gc the heap is measured after a full collection: live objects only.
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed });
    } else if (message.type === 'stop') {
      void app
        .close()
        .then(() => rm(dataDir, { recursive: true, force: true }))
        .finally(() => process.exit(0));
    }
  });
  // The driver going away (even killed) must not leave a server behind.
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
