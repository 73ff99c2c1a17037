// `npm start` prints a sample token and `npm run token` mints more: both must be tokens the server
// accepts under its own configuration, also with another app name and a credentials audience.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aTestConfig } from '../src/config/testing';
import { DevelopmentHub, startDevelopmentHub } from '../src/hub/development-hub';
import { main as tokenCli } from '../src/hub/token-cli';
import { startApp, TestApp } from './support/app';

const APP = { appName: 'depot', audiences: ['depot/prod'] };

describe('development tokens (e2e)', () => {
  let dataDir: string;
  let devHub: DevelopmentHub;
  let server: TestApp;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-tokens-'));
    devHub = await startDevelopmentHub(aTestConfig({ ...APP, dataDir }));
    server = await startApp(devHub.hub, { config: APP });
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await devHub.hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const describeToken = async (token: string) => {
    const response = await server.get('/api/v1/token', token);
    expect(response.status).toBe(200);
    return (await response.json()) as { audiences: Array<{ value: string }>; scopes: string[] };
  };

  it("accepts the start-up sample token, minted for the server's app and audience", async () => {
    const described = await describeToken(devHub.sampleToken());
    expect(described.audiences.map((audience) => audience.value)).toEqual(['depot/prod']);
    expect(described.scopes).toEqual(['depot.items.rw', 'depot.settings.rw']);
  });

  it('accepts a token from the token CLI run with the same environment', async () => {
    const written: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const env = { DATA_DIR: dataDir, ZAIKIO_APP_NAME: 'depot', ZAIKIO_AUDIENCES: 'depot/prod' };
      expect(await tokenCli(['--org', 'dev-org'], env)).toBe(0);
    } finally {
      write.mockRestore();
    }
    const described = await describeToken(written.join('').trim());
    expect(described.scopes).toEqual(['depot.items.rw', 'depot.settings.rw']);
  });
});
