// Soak child process: the real application (same createApp as main.ts) against the given hub URL.
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveOverIpc } from '../bench/server/serve-over-ipc';
import { createApp } from '../src/app.factory';
import { aTestConfig } from '../src/config/testing';

serveOverIpc(async () => {
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
      keyFetchMinIntervalMs: 2_000,
      retryMinMs: 100,
      retryMaxMs: 1_000,
    },
  });
  return { app, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
});
