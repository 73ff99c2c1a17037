// Threat: the embedded database's process dies under a running app; covers the 503 callers get
// meanwhile, its restart, and that no data is lost.
import { StandInHub } from '../src/hub';
import { errorCode, startApp, TestApp } from './support/app';
import { embeddedDatabasePids } from '../src/database/testing';
import { startHub } from './support/hub-fixture';
import { eventually } from '../src/testing/eventually';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

describe('embedded database process (e2e)', () => {
  let hub: StandInHub;
  let server: TestApp;

  beforeAll(async () => {
    hub = await startHub();
    server = await startApp(hub);
  });

  afterAll(async () => {
    await server.close();
    await hub.stop();
  });

  it('answers 503 with Retry-After while the process is gone, then serves the same data again', async () => {
    const org = tokens(hub).organization('org-crash').scopes('warehouse.items.rw').mint();
    const item = anItem();
    expect((await server.send('POST', '/api/v1/items', item, org)).status).toBe(201);

    const [pid] = embeddedDatabasePids(server.config.dataDir);
    process.kill(pid, 'SIGKILL');
    // The pool's connection broke; until the supervisor has a new process up, callers are told
    // to come back, not that the server has a bug.
    const during = await server.get('/api/v1/items', org);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('1');
    expect(await errorCode(during)).toBe('database_unavailable');

    let after = during;
    const answered = async (): Promise<boolean> => {
      after = await server.get('/api/v1/items', org);
      return after.status !== 503;
    };
    await eventually(answered, 20_000, 'an answer other than 503');
    expect(after.status).toBe(200);
    const items = (await after.json()) as Array<{ sku: string }>;
    expect(items.map((entry) => entry.sku)).toEqual([item.sku]);
  });
});
