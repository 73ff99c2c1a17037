// Threat: a shutdown that never ends (a client holding a request open keeps the server draining
// until the supervisor kills it silently); covers src/main.ts's shutdown deadline, and that the
// embedded database's process goes with the server.
import { killServersAndRemove, SpawnedServer, spawnServer } from './support/server-process';
import { mkdtemp } from 'node:fs/promises';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandInHub } from '../src/hub';
import { embeddedDatabasePids } from '../src/database/testing';
import { eventually } from '../src/testing/eventually';
import { startHub } from './support/hub-fixture';

// Each test boots the real entry point (TypeScript loader, embedded database): seconds.
jest.setTimeout(60_000);

interface Server extends SpawnedServer {
  readonly dataDir: string;
}

/** `npm start` as an operator runs it, on a random port, against the stand-in hub. */
async function startMain(hub: StandInHub, shutdownTimeout: string): Promise<Server> {
  const dataDir = await mkdtemp(join(tmpdir(), 'warehouse-shutdown-'));
  const server = await spawnServer({
    args: ['src/main.ts'],
    env: {
      ZAIKIO_ENV: 'test',
      ZAIKIO_HUB_URL: hub.url,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT: shutdownTimeout,
    },
    listening: /Listening on http:\/\/[^:/]+:(\d+)/,
  });
  return { ...server, dataDir };
}

/** Whether an embedded database process still serves `dataDir`. */
function embeddedDatabaseRunning(dataDir: string): boolean {
  return embeddedDatabasePids(dataDir).length > 0;
}

describe('shutdown (e2e, src/main.ts)', () => {
  let hub: StandInHub;
  const servers: Server[] = [];

  beforeAll(async () => {
    hub = await startHub();
  });

  afterAll(async () => {
    for (const server of servers) await killServersAndRemove([server], server.dataDir);
    await hub.stop();
  });

  it('exits on SIGTERM, taking the embedded database process with it', async () => {
    const server = await startMain(hub, '25');
    servers.push(server);
    expect(embeddedDatabaseRunning(server.dataDir)).toBe(true);

    server.process.kill('SIGTERM');
    const { code, signal } = await server.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(server.output()).not.toMatch(/did not finish/);
    await eventually(
      () => !embeddedDatabaseRunning(server.dataDir),
      10_000,
      'the embedded database process to end',
    );
  });

  it('gives up draining after SHUTDOWN_TIMEOUT when a client holds a request open', async () => {
    const server = await startMain(hub, '1');
    servers.push(server);
    // A request whose body never arrives keeps its connection busy: Node would wait for it
    // until its request timeout (five minutes).
    const socket: Socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /api/v1/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
    socket.write('Content-Length: 1000\r\n\r\n{"sku":');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const signalledAt = Date.now();
    server.process.kill('SIGTERM');
    const { code } = await server.exited;
    socket.destroy();
    expect(code).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(server.output()).toMatch(/Shutdown after SIGTERM did not finish within 1 s; exiting/);
    await eventually(
      () => !embeddedDatabaseRunning(server.dataDir),
      10_000,
      'the embedded database process to end',
    );
  });
});
