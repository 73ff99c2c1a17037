// Threat: data lost on restart; covers the embedded database surviving a restart of the app.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandInHub } from '../src/hub';
import { startApp } from './support/app';
import { startHub } from './support/hub-fixture';
import { anItem } from './support/items';
import { tokens } from './support/tokens';

describe('restart persistence (e2e)', () => {
  let hub: StandInHub;
  let dataDir: string;

  beforeAll(async () => {
    hub = await startHub();
    dataDir = await mkdtemp(join(tmpdir(), 'warehouse-restart-'));
  });

  afterAll(async () => {
    await hub.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps items and settings in DATA_DIR across a restart', async () => {
    const org = tokens(hub).organization('org-keep').scopes('warehouse.items.rw').mint();
    const person = tokens(hub).person('p-keep').scopes('warehouse.settings.rw').mint();
    const item = anItem();

    const first = await startApp(hub, { dataDir });
    expect((await first.send('POST', '/api/v1/items', item, org)).status).toBe(201);
    const settings = { unit_system: 'imperial', locale: 'fr-CA' };
    expect((await first.send('PUT', '/api/v1/person/settings', settings, person)).status).toBe(200);
    await first.close();

    const second = await startApp(hub, { dataDir });
    try {
      const items = (await (await second.get('/api/v1/items', org)).json()) as Array<{
        sku: string;
      }>;
      expect(items.map((entry) => entry.sku)).toEqual([item.sku]);
      expect(await (await second.get('/api/v1/person/settings', person)).json()).toEqual(settings);
    } finally {
      await second.close();
    }
  });
});
