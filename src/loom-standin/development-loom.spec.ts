// Covers what `npm start` embeds: a stand-in Loom only when events are on without a LOOM_URL,
// and a configuration whose URL and password that stand-in accepts.
import { randomUUID } from 'node:crypto';
import { aTestConfig, testEventsConfig } from '../config/testing';
import { startDevelopmentLoom } from './development-loom';

describe('startDevelopmentLoom', () => {
  it('starts nothing when events are off or go to a configured Loom', async () => {
    expect(await startDevelopmentLoom(aTestConfig())).toBeNull();
    const real = aTestConfig({ events: testEventsConfig({ loomUrl: 'https://loom.zaikio.com' }) });
    expect(await startDevelopmentLoom(real)).toBeNull();
  });

  it('points the configuration at an embedded stand-in that accepts its password', async () => {
    const started = await startDevelopmentLoom(
      aTestConfig({ events: testEventsConfig({ loomUrl: null, password: null }) }),
    );
    if (started === null) throw new Error('expected a stand-in Loom');
    try {
      const events = started.config.events!;
      expect(events.loomUrl).toBe(started.loom.url);
      const response = await fetch(`${events.loomUrl}/api/v1/events`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`warehouse:${events.password}`).toString('base64')}`,
        },
        body: JSON.stringify({
          event: { id: randomUUID(), name: 'warehouse.item_created', subject: 'Org/dev-org' },
        }),
      });
      expect(response.status).toBe(200);
    } finally {
      await started.loom.stop();
    }
  });
});
