// Covers the write side of the outbox on a real (in-memory PGlite) database: each item write
// commits with exactly one event, a refused or failed write leaves none, EVENTS=off writes none.
import { Kysely } from 'kysely';
import { aTestConfig, testEventsConfig } from '../config/testing';
import { Database } from '../database';
import { createTestDatabase } from '../database/testing';
import { ItemsRepository, ItemsService } from '../items';
import { anItemInput, aTenant } from '../items/testing/builders';
import { EventOutbox } from './event-outbox';

jest.setTimeout(30_000);

describe('EventOutbox with ItemsService', () => {
  let db: Kysely<Database>;
  let service: ItemsService;
  const acme = aTenant('org-acme');
  const config = aTestConfig({ events: testEventsConfig({ publicUrl: 'https://wh.test' }) });

  const events = () =>
    db
      .selectFrom('event_outbox')
      .select(['id', 'name', 'subject', 'payload', 'link', 'status', 'organization_id'])
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new ItemsService(new ItemsRepository(db), new EventOutbox(db, config));
  });

  afterAll(() => db.destroy());

  beforeEach(async () => {
    await db.deleteFrom('items').execute();
    await db.deleteFrom('event_outbox').execute();
  });

  it('writes one pending event per create, update and delete, in commit order', async () => {
    const item = await service.create(acme, anItemInput({ sku: 'A4' }));
    await service.update(acme, item.id, { quantity: 5, name: 'Renamed' });
    await service.remove(acme, item.id);
    const written = await events();
    expect(
      written.map(({ name, subject, link, status }) => ({ name, subject, link, status })),
    ).toEqual([
      {
        name: 'warehouse.item_created',
        subject: 'Org/org-acme',
        link: `https://wh.test/api/v1/items/${item.id}`,
        status: 'pending',
      },
      {
        name: 'warehouse.item_updated',
        subject: 'Org/org-acme',
        link: `https://wh.test/api/v1/items/${item.id}`,
        status: 'pending',
      },
      { name: 'warehouse.item_deleted', subject: 'Org/org-acme', link: null, status: 'pending' },
    ]);
    expect(written.map((event) => JSON.parse(event.payload) as unknown)).toEqual([
      { id: item.id, sku: 'A4' },
      { id: item.id, sku: 'A4', changed_fields: ['name', 'quantity'] },
      { id: item.id, sku: 'A4' },
    ]);
    expect(new Set(written.map((event) => event.id)).size).toBe(3);
  });

  it('writes nothing for a refused write: duplicate SKU, unknown item, empty update', async () => {
    const item = await service.create(acme, anItemInput({ sku: 'TAKEN' }));
    await db.deleteFrom('event_outbox').execute();
    await expect(service.create(acme, anItemInput({ sku: 'TAKEN' }))).rejects.toThrow();
    const other = await service.create(acme, anItemInput());
    await expect(service.update(acme, other.id, { sku: 'TAKEN' })).rejects.toThrow();
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(service.update(acme, unknown, { quantity: 1 })).rejects.toThrow();
    await expect(service.remove(acme, unknown)).rejects.toThrow();
    await service.update(acme, item.id, {});
    expect((await events()).map((event) => event.name)).toEqual(['warehouse.item_created']);
  });

  it('rolls the event back with its change', async () => {
    const outbox = new EventOutbox(db, config);
    const failing = outbox.transaction(async (trx) => {
      const item = await new ItemsRepository(trx).insert(acme, anItemInput());
      await trx.insertInto('event_outbox').values(outbox.itemEvent('item_created', item)).execute();
      throw new Error('the rest of the change failed');
    });
    await expect(failing).rejects.toThrow('the rest of the change failed');
    expect(await events()).toEqual([]);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([]);
  });

  it('writes no events with EVENTS=off', async () => {
    const off = new ItemsService(new ItemsRepository(db), new EventOutbox(db, aTestConfig()));
    const item = await off.create(acme, anItemInput());
    await off.remove(acme, item.id);
    expect(await events()).toEqual([]);
  });
});
