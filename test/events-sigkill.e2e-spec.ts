// Threat: a server killed (SIGKILL, no shutdown hooks) while it posts events to Loom loses the
// events it had committed but not yet delivered. src/main.ts in a child process, as an operator
// runs it, against a stand-in hub and a stand-in Loom; restarted on the same embedded database.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDatabasePids } from '../src/database/testing';
import { StandInHub } from '../src/hub';
import { StandInLoom } from '../src/loom-standin';
import { eventually } from '../src/testing/eventually';
import {
  EVENT_PASSWORD,
  eventsFor,
  ExpectedEvent,
  httpWriter,
  makeChanges,
  receivedFor,
  startLoom,
} from './support/outbox';
import { killServersAndRemove, SpawnedServer, spawnServer } from './support/server-process';
import { tokens } from './support/tokens';

// Two boots of the real entry point (TypeScript loader, embedded database): seconds each.
jest.setTimeout(90_000);

const ORGANIZATIONS = ['org-kill-a', 'org-kill-b', 'org-kill-c'];

describe('events survive SIGKILL mid-delivery (e2e, src/main.ts)', () => {
  let hub: StandInHub;
  let loom: StandInLoom;
  let dataDir: string;
  const children: SpawnedServer[] = [];

  function startMain(): Promise<SpawnedServer> {
    const started = spawnServer({
      args: ['src/main.ts'],
      env: {
        ZAIKIO_ENV: 'test',
        ZAIKIO_HUB_URL: hub.url,
        LOOM_URL: loom.url,
        ZAIKIO_EVENT_PASSWORD: EVENT_PASSWORD,
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        // A short lease, so the killed instance's claims run out within the test.
        EVENTS_TIMEOUT_MS: '1500',
        EVENTS_LEASE: '2',
        EVENTS_RETRY_BASE_MS: '20',
        EVENTS_RETRY_MAX_MS: '200',
        EVENTS_POLL_MS: '50',
      },
      listening: /Listening on http:\/\/[^:/]+:(\d+)/,
    });
    void started.then((child) => children.push(child));
    return started;
  }

  beforeAll(async () => {
    hub = await StandInHub.start();
    loom = await startLoom();
    dataDir = await mkdtemp(join(tmpdir(), 'warehouse-sigkill-'));
  });

  afterAll(async () => {
    await killServersAndRemove(children, dataDir);
    await loom.stop();
    await hub.stop();
  });

  it('delivers every committed event after a restart, in order per organization', async () => {
    const first = await startMain();
    // Loom stops answering: each organization's first event hangs in flight when the kill comes.
    loom.setFault({ type: 'hang' });
    const writer = httpWriter(first.url);
    const expected: ExpectedEvent[][] = [];
    for (const org of ORGANIZATIONS) {
      const token = tokens(hub).organization(org).scopes('warehouse.items.rw').mint();
      expected.push(await makeChanges([writer], token, 4));
    }
    await eventually(
      () => loom.answers.filter((answer) => answer.status === 'hang').length >= 2,
      10_000,
      'deliveries in flight',
    );
    first.process.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await eventually(() => embeddedDatabasePids(dataDir).length === 0, 10_000, 'database gone');

    loom.setFault(null);
    await startMain();
    const total = expected.flat().length;
    await eventually(
      () => ORGANIZATIONS.every((org, i) => eventsFor(loom, org).length === expected[i].length),
      20_000,
      `all ${total} events at Loom`,
    );
    ORGANIZATIONS.forEach((org, i) => expect(receivedFor(loom, org)).toEqual(expected[i]));
    // Loom holds each event once; a re-send of one it already had was refused by its id.
    const ids = loom.events.map((received) => received.event.id);
    expect(new Set(ids).size).toBe(total);
  });
});
