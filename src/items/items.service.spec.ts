// Covers ItemsService on a real (in-memory PGlite) database: domain errors and partial updates.
import { Kysely } from 'kysely';
import { NotFoundError, ValidationFailedError } from '../common/domain-errors';
import { aTestConfig } from '../config/testing';
import { Database } from '../database';
import { createTestDatabase } from '../database/testing';
import { EventOutbox } from '../events';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';
import { anItemInput, aTenant } from './testing/builders';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

describe('ItemsService', () => {
  let db: Kysely<Database>;
  let service: ItemsService;
  const acme = aTenant('org-acme');
  const globex = aTenant('org-globex');

  beforeAll(async () => {
    db = await createTestDatabase();
    service = new ItemsService(new ItemsRepository(db), new EventOutbox(db, aTestConfig()));
  });

  afterAll(() => db.destroy());

  beforeEach(() => db.deleteFrom('items').execute());

  it('throws NotFoundError for another organization’s item on every operation', async () => {
    const { id } = await service.create(acme, anItemInput());
    await expect(service.get(globex, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.update(globex, id, { quantity: 1 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.update(globex, id, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.remove(globex, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(service.get(acme, id)).resolves.toMatchObject({ id });
  });

  it('throws NotFoundError for malformed and unknown ids', async () => {
    await expect(service.get(acme, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(service.remove(acme, unknown)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns a duplicate SKU into a validation error on create and on update', async () => {
    await service.create(acme, anItemInput({ sku: 'TAKEN' }));
    const taken = new ValidationFailedError({ sku: ['has already been taken'] });
    await expect(service.create(acme, anItemInput({ sku: 'TAKEN' }))).rejects.toEqual(taken);

    const other = await service.create(acme, anItemInput({ sku: 'FREE' }));
    await expect(service.update(acme, other.id, { sku: 'TAKEN' })).rejects.toEqual(taken);
    await expect(service.create(globex, anItemInput({ sku: 'TAKEN' }))).resolves.toBeDefined();
  });

  it('leaves an item untouched by an empty update, even if the DTO carries undefined fields', async () => {
    const item = await service.create(acme, anItemInput());
    const alice = aTenant('org-acme', 'person-alice');
    const unchanged = await service.update(alice, item.id, { sku: undefined, name: undefined });
    expect(unchanged).toEqual(item);
  });

  it('changes only the given fields', async () => {
    const item = await service.create(acme, anItemInput({ name: 'Before', quantity: 3 }));
    const updated = await service.update(acme, item.id, { name: 'After', quantity: undefined });
    expect(updated).toMatchObject({ name: 'After', quantity: 3, sku: item.sku, unit: item.unit });
  });

  it('lists one page with the total count', async () => {
    for (let i = 0; i < 3; i++) await service.create(acme, anItemInput());
    const { items, totalCount } = await service.list(acme, 2, 2);
    expect(items).toHaveLength(1);
    expect(totalCount).toBe(3);
  });

  it('deletes an item', async () => {
    const { id } = await service.create(acme, anItemInput());
    await service.remove(acme, id);
    await expect(service.get(acme, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
