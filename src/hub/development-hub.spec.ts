// Covers the development hub's port: the configured one, and a clear error when it is taken.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config';
import { aTestConfig } from '../config/testing';
import { startDevelopmentHub } from './development-hub';

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    }),
  );
}

describe('startDevelopmentHub', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-hub-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('listens where DEV_HUB_PORT says, so its URL is the same on every start', async () => {
    // A port known to be free: taken, released, then handed to the hub.
    const probe = await listenOnFreePort();
    await new Promise((resolve) => probe.server.close(resolve));
    const dev = await startDevelopmentHub(aTestConfig({ dataDir, devHubPort: probe.port }));
    try {
      expect(dev.hub.url).toBe(`http://127.0.0.1:${probe.port}`);
    } finally {
      await dev.hub.stop();
    }
  });

  it('refuses a taken port with a message naming DEV_HUB_PORT', async () => {
    const taken = await listenOnFreePort();
    try {
      const start = startDevelopmentHub(aTestConfig({ dataDir, devHubPort: taken.port }));
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toThrow(
        `Invalid configuration: DEV_HUB_PORT port ${taken.port} is taken on 127.0.0.1`,
      );
    } finally {
      await new Promise((resolve) => taken.server.close(resolve));
    }
  });
});
