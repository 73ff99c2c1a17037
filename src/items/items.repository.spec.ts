// Covers ItemsRepository against a real (in-memory PGlite) database: tenant scoping, unique SKUs, paging.
import { Kysely, sql } from 'kysely';
import { Database, isUniqueViolation } from '../database';
import { createTestDatabase } from '../database/testing';
import { ITEMS_SKU_UNIQUE, ItemsRepository } from './items.repository';
import { anItemInput, aTenant } from './testing/builders';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

describe('ItemsRepository', () => {
  let db: Kysely<Database>;
  let repository: ItemsRepository;
  const acme = aTenant('org-acme', 'person-alice');
  const globex = aTenant('org-globex');

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = new ItemsRepository(db);
  });

  afterAll(() => db.destroy());

  beforeEach(() => db.deleteFrom('items').execute());

  it('inserts an item stamped with tenant and actor', async () => {
    const input = anItemInput({ quantity: 0, unit: 'kg' });
    const item = await repository.insert(acme, input);
    expect(item).toMatchObject({
      ...input,
      organization_id: 'org-acme',
      created_by_type: 'Person',
      created_by_id: 'person-alice',
      updated_by_type: 'Person',
      updated_by_id: 'person-alice',
    });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(item.updated_at).toEqual(item.created_at);
  });

  it('never finds, updates or deletes another tenant’s item', async () => {
    const item = await repository.insert(acme, anItemInput());
    expect(await repository.findById(globex.organizationId, item.id)).toBeUndefined();
    expect(await repository.update(globex, item.id, { name: 'stolen' })).toBeUndefined();
    expect(await repository.delete(globex.organizationId, item.id)).toBeUndefined();
    expect(await repository.findById(acme.organizationId, item.id)).toMatchObject({
      name: item.name,
    });
  });

  it('treats ids that are not UUIDs as missing instead of failing in SQL', async () => {
    expect(await repository.findById(acme.organizationId, 'not-a-uuid')).toBeUndefined();
    expect(await repository.update(acme, '1', { name: 'x' })).toBeUndefined();
    expect(await repository.delete(acme.organizationId, "'; drop table items; --")).toBeUndefined();
  });

  it('rejects a duplicate SKU within one organization only', async () => {
    await repository.insert(acme, anItemInput({ sku: 'DUP' }));
    const error = await repository
      .insert(acme, anItemInput({ sku: 'DUP' }))
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error, ITEMS_SKU_UNIQUE)).toBe(true);
    await expect(repository.insert(globex, anItemInput({ sku: 'DUP' }))).resolves.toBeDefined();
  });

  it('updates given fields and the updated_* stamp, leaving created_* alone', async () => {
    const item = await repository.insert(aTenant('org-acme'), anItemInput({ quantity: 1 }));
    const updated = await repository.update(acme, item.id, { quantity: 7 });
    expect(updated).toMatchObject({
      sku: item.sku,
      quantity: 7,
      created_by_type: 'Organization',
      updated_by_type: 'Person',
      updated_by_id: 'person-alice',
    });
    expect(updated!.created_at).toEqual(item.created_at);
    expect(updated!.updated_at.getTime()).toBeGreaterThanOrEqual(item.updated_at.getTime());
  });

  it('pages through the tenant’s items, counting only those', async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await repository.insert(acme, anItemInput()));
    await repository.insert(globex, anItemInput());

    expect(await repository.count(acme.organizationId)).toBe(5);
    expect(await repository.count('org-empty')).toBe(0);
    // Quick inserts may share a created_at, and then the id decides: compare with the full list.
    const all = (await repository.list(acme.organizationId, 100, 0)).map((item) => item.id);
    expect([...all].sort()).toEqual(created.map((item) => item.id).sort());
    const page2 = await repository.list(acme.organizationId, 2, 2);
    expect(page2.map((item) => item.id)).toEqual(all.slice(2, 4));
    expect(await repository.list(acme.organizationId, 2, 10)).toEqual([]);
  });

  it('orders by created_at first', async () => {
    const older = await repository.insert(acme, anItemInput());
    const newer = await repository.insert(acme, anItemInput());
    await sql`update items set created_at = now() - interval '1 day' where id = ${newer.id}`.execute(
      db,
    );
    const listed = await repository.list(acme.organizationId, 10, 0);
    expect(listed.map((item) => item.id)).toEqual([newer.id, older.id]);
  });

  it('breaks created_at ties by id', async () => {
    // One transaction: now() is the same for every row, so only the id orders them.
    const ids = await db.transaction().execute(async (trx) => {
      const tied = new ItemsRepository(trx);
      const rows = [];
      for (let i = 0; i < 3; i++) rows.push(await tied.insert(acme, anItemInput()));
      return rows.map((row) => row.id);
    });
    const listed = await repository.list(acme.organizationId, 10, 0);
    expect(listed.map((item) => item.id)).toEqual([...ids].sort());
  });
});
