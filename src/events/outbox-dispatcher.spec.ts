// Covers delivery of the outbox to a real (stand-in) Loom over HTTP from a real (in-memory
// PGlite) database: commit order per organization, retries, dead letters, repeated ids,
// timeouts, leases, pruning, and a clean stop.
import { Logger } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { AppConfig, EventsConfig } from '../config';
import { aTestConfig, testEventsConfig } from '../config/testing';
import { Database } from '../database';
import { createTestDatabase } from '../database/testing';
import { ItemsRepository, ItemsService } from '../items';
import { anItemInput, aTenant } from '../items/testing/builders';
import { StandInLoom } from '../loom-standin';
import { eventually } from '../testing/eventually';
import { EventOutbox } from './event-outbox';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxSignal } from './outbox-signal';

jest.setTimeout(30_000);

const PASSWORD = 'test-event-password';

describe('OutboxDispatcher', () => {
  let db: Kysely<Database>;
  let loom: StandInLoom;
  const acme = aTenant('org-acme');
  const beta = aTenant('org-beta');

  const rows = () =>
    db
      .selectFrom('event_outbox')
      .select(['seq', 'id', 'organization_id', 'status', 'attempts', 'last_error', 'claimed_by'])
      .orderBy('seq')
      .execute();

  /** A dispatcher and an items service writing to its outbox, with these event settings. */
  function setUp(events: Partial<EventsConfig> = {}) {
    const config: AppConfig = aTestConfig({
      events: testEventsConfig({ loomUrl: loom.url, password: PASSWORD, ...events }),
    });
    const signal = new OutboxSignal();
    const items = new ItemsService(new ItemsRepository(db), new EventOutbox(db, config, signal));
    return { items, dispatcher: new OutboxDispatcher(db, config, signal) };
  }

  /** Passes until one claims nothing (events waiting for a retry are not due yet). */
  async function drain(dispatcher: OutboxDispatcher): Promise<void> {
    while ((await dispatcher.pass()) > 0);
  }

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.destroy();
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  beforeEach(async () => {
    await db.deleteFrom('items').execute();
    await db.deleteFrom('event_outbox').execute();
    loom = await StandInLoom.start({ apps: { warehouse: PASSWORD } });
  });

  afterEach(() => loom.stop());

  it('posts each event as zaikio-loom does and marks it delivered', async () => {
    const { items, dispatcher } = setUp();
    const item = await items.create(acme, anItemInput({ sku: 'A4' }));
    await items.remove(acme, item.id);
    await drain(dispatcher);
    const [created, deleted] = await db
      .selectFrom('event_outbox')
      .selectAll()
      .orderBy('seq')
      .execute();
    expect(loom.events.map((received) => received.event)).toEqual([
      {
        id: created.id,
        name: 'warehouse.item_created',
        subject: 'Org/org-acme',
        timestamp: created.occurred_at.toISOString(),
        version: '1.0',
        payload: { id: item.id, sku: 'A4' },
        link: `http://api.test/api/v1/items/${item.id}`,
      },
      {
        id: deleted.id,
        name: 'warehouse.item_deleted',
        subject: 'Org/org-acme',
        timestamp: deleted.occurred_at.toISOString(),
        version: '1.0',
        payload: { id: item.id, sku: 'A4' },
      },
    ]);
    for (const row of [created, deleted]) {
      expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
      expect(row.delivered_at).not.toBeNull();
    }
    expect(dispatcher.deliveries()).toEqual({ delivered: 2, duplicate: 0, retry: 0, dead: 0 });
  });

  it("claims only each organization's oldest pending event, and nothing claimed twice", async () => {
    const { items, dispatcher } = setUp();
    for (const tenant of [acme, beta, acme, beta]) await items.create(tenant, anItemInput());
    const [a1, b1] = await rows();
    const first = await dispatcher.store.claim('instance-1', 10, 30);
    expect(first.map((row) => row.seq)).toEqual([a1.seq, b1.seq]);
    expect(await dispatcher.store.claim('instance-2', 10, 30)).toEqual([]);
  });

  it('claims again an event whose lease ran out (its instance died)', async () => {
    const { items, dispatcher } = setUp();
    await items.create(acme, anItemInput());
    expect(await dispatcher.store.claim('dead-instance', 10, 30)).toHaveLength(1);
    await sql`update event_outbox set claimed_until = now() - interval '1 second'`.execute(db);
    const [claimed] = await dispatcher.store.claim('instance-2', 10, 30);
    expect(claimed.claimed_by).toBe('instance-2');
  });

  it('retries a failing Loom with backoff, holding back the organization’s later events', async () => {
    const { items, dispatcher } = setUp({ retryBaseMs: 200, retryMaxMs: 400 });
    loom.setFault({ type: 'status', status: 500 }, 2);
    await items.create(acme, anItemInput({ sku: 'FIRST' }));
    await items.create(acme, anItemInput({ sku: 'SECOND' }));
    await items.create(beta, anItemInput({ sku: 'OTHER-ORG' }));
    expect(await dispatcher.pass()).toBe(2);
    const [failed] = await rows();
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, claimed_by: null });
    expect(failed.last_error).toMatch(/^HTTP 500/);
    // Not due yet, and acme's second event waits for its first.
    expect(await dispatcher.pass()).toBe(0);
    await eventually(
      async () => {
        await drain(dispatcher);
        return (await rows()).every((row) => row.status === 'delivered');
      },
      5_000,
      'every event delivered',
    );
    const acmeSkus = loom.events
      .filter((received) => received.event.subject === 'Org/org-acme')
      .map((received) => received.event.payload?.sku);
    expect(acmeSkus).toEqual(['FIRST', 'SECOND']);
    expect(loom.events).toHaveLength(3);
  });

  it('dead-letters an answer that retrying cannot fix, with its error, and moves on', async () => {
    const { items, dispatcher } = setUp();
    loom.setFault({ type: 'status', status: 401 }, 1);
    await items.create(acme, anItemInput({ sku: 'REFUSED' }));
    await items.create(acme, anItemInput({ sku: 'NEXT' }));
    await drain(dispatcher);
    const [dead, next] = await rows();
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.last_error).toMatch(/^HTTP 401: /);
    expect(dead.last_error).not.toContain(PASSWORD);
    expect(next).toMatchObject({ status: 'delivered' });
    expect(loom.events.map((received) => received.event.payload?.sku)).toEqual(['NEXT']);
  });

  it('counts as delivered an event Loom already holds (the answer was lost)', async () => {
    const { items, dispatcher } = setUp({ retryBaseMs: 1, retryMaxMs: 1 });
    loom.setFault({ type: 'lose-answer' }, 1);
    await items.create(acme, anItemInput());
    await eventually(
      async () => {
        await drain(dispatcher);
        return (await rows())[0].status === 'delivered';
      },
      3_000,
      'the re-send counted delivered',
    );
    expect(loom.events).toHaveLength(1);
    expect(loom.answers.map((answer) => answer.status)).toEqual(['reset', 422]);
    expect(dispatcher.deliveries()).toMatchObject({ retry: 1, duplicate: 1 });
  });

  it('gives up on a Loom that does not answer within the timeout and retries', async () => {
    const { items, dispatcher } = setUp({ timeoutMs: 200 });
    loom.setFault({ type: 'hang' }, 1);
    await items.create(acme, anItemInput());
    await dispatcher.pass();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', last_error: 'no answer within 200 ms' });
  });

  it('prunes delivered rows after the retention period and keeps dead letters', async () => {
    const { items, dispatcher } = setUp();
    loom.setFault({ type: 'status', status: 400 }, 1);
    await items.create(acme, anItemInput({ sku: 'DEAD' }));
    await items.create(acme, anItemInput({ sku: 'OLD' }));
    await items.create(acme, anItemInput({ sku: 'RECENT' }));
    await drain(dispatcher);
    const [, old] = await rows();
    await sql`update event_outbox set delivered_at = now() - interval '2 hours' where seq = ${old.seq}`.execute(
      db,
    );
    expect(await dispatcher.store.prune(3600)).toBe(1);
    expect((await rows()).map((row) => row.status)).toEqual(['dead', 'delivered']);
  });

  it('runs on its own once booted and, stopping, finishes the delivery in flight', async () => {
    const { items, dispatcher } = setUp({ timeoutMs: 300, pollMs: 5_000 });
    dispatcher.onApplicationBootstrap();
    await items.create(acme, anItemInput());
    await items.create(beta, anItemInput());
    // Woken by the commits, not by its five-second poll.
    await eventually(() => loom.events.length === 2, 3_000, 'both events delivered');
    loom.setFault({ type: 'hang' });
    await items.create(acme, anItemInput());
    await eventually(() => loom.answers.some((a) => a.status === 'hang'), 3_000, 'in flight');
    await dispatcher.beforeApplicationShutdown();
    const last = (await rows()).at(-1);
    expect(last).toMatchObject({ status: 'pending', attempts: 1, claimed_by: null });
    expect(loom.answers.filter((a) => a.status === 'hang')).toHaveLength(1);
  });

  it('does nothing with EVENTS=off', async () => {
    const dispatcher = new OutboxDispatcher(db, aTestConfig(), new OutboxSignal());
    dispatcher.onApplicationBootstrap();
    await dispatcher.beforeApplicationShutdown();
    await expect(dispatcher.pass()).rejects.toThrow('events are off');
  });
});
