import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import type { AuthTuning } from '../../src/app.module';
import { AppConfig } from '../../src/config';
import { StandInHub } from '../../src/hub';
import { aTestConfig } from '../../src/config/testing';
import { holdToServedContract } from './contract';

export const WEBHOOK_SECRET = 'e2e-loom-secret';

/** Short intervals so key refreshes, retries and refetch limits show up within a test. */
export const FAST_TUNING: AuthTuning = {
  hubTimeoutMs: 500,
  retryMinMs: 50,
  retryMaxMs: 200,
  // Short, so a test can wait out the interval; tests of the production bound set their own.
  keyFetchMinIntervalMs: 250,
};

export interface TestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: AppConfig;
  /** fetch() against the app with an optional bearer token. */
  get(path: string, token?: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, path: string, body: unknown, token?: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly config?: Partial<AppConfig>;
  readonly tuning?: AuthTuning;
  /** Reuse a data directory (restart tests); otherwise a fresh temporary one, removed on close. */
  readonly dataDir?: string;
}

/** Boots the real application (same factory as main.ts) against a stand-in hub on loopback. */
export async function startApp(hub: StandInHub, options: TestAppOptions = {}): Promise<TestApp> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'warehouse-e2e-')));
  const config = aTestConfig({
    hubUrl: hub.url,
    personalTokens: 'allow',
    clockToleranceSeconds: 30,
    webhookSecret: WEBHOOK_SECRET,
    dataDir,
    ...options.config,
  });
  const app = await createApp(config, {
    tuning: { ...FAST_TUNING, ...options.tuning },
    logger: process.env.E2E_LOGS ? ['log', 'warn', 'error'] : ['error'],
  });
  await app.listen(0, '127.0.0.1');
  const httpServer = app.getHttpServer() as { address(): AddressInfo };
  const address = httpServer.address();
  const url = `http://127.0.0.1:${address.port}`;
  await holdToServedContract(app.getHttpServer() as Server, url);
  const authorization = (token?: string): Record<string, string> =>
    token === undefined ? {} : { authorization: `Bearer ${token}` };
  return {
    app,
    url,
    config,
    get: (path, token, headers = {}) =>
      fetch(`${url}${path}`, { headers: { ...authorization(token), ...headers } }),
    send: (method, path, body, token) =>
      fetch(`${url}${path}`, {
        method,
        headers: { ...authorization(token), 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      await app.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Reads `errors[0]` of a Zaikio error body. */
export async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { errors: unknown };
  return Array.isArray(body.errors) ? String(body.errors[0]) : JSON.stringify(body.errors);
}

export interface HubAndApp {
  readonly hub: StandInHub;
  readonly server: TestApp;
}

/**
 * Registers beforeAll/afterAll that start a stand-in hub and the app against it, shared by the
 * tests of one describe block. Read `hub` and `server` inside tests, not at describe time.
 */
export function useHubAndApp(options: TestAppOptions = {}): HubAndApp {
  let hub: StandInHub | undefined;
  let server: TestApp | undefined;
  beforeAll(async () => {
    hub = await StandInHub.start();
    server = await startApp(hub, options);
  });
  afterAll(async () => {
    await server?.close();
    await hub?.stop();
  });
  return {
    get hub(): StandInHub {
      if (!hub) throw new Error('the hub starts in beforeAll');
      return hub;
    },
    get server(): TestApp {
      if (!server) throw new Error('the app starts in beforeAll');
      return server;
    },
  };
}
