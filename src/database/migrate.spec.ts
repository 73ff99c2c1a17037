// Covers migrations: the schema they create, re-running them, and failures that must stop start-up.
import { Kysely, Migration, sql } from 'kysely';
import { MigrationError, migrateToLatest } from './migrate';
import { MIGRATIONS } from './migrations';
import { createPGliteDatabase } from './open-database';
import { PGlite } from './pglite-loader';
import { Database } from './schema';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

describe('migrateToLatest', () => {
  let db: Kysely<Database>;

  beforeEach(() => {
    db = createPGliteDatabase(new PGlite());
  });

  afterEach(() => db.destroy());

  it('runs every migration once; running again is a no-op', async () => {
    expect(await migrateToLatest(db)).toEqual(Object.keys(MIGRATIONS));
    expect(await migrateToLatest(db)).toEqual([]);
    const tables = await db.introspection.getTables();
    expect(tables.map((table) => table.name).sort()).toEqual([
      'event_outbox',
      'items',
      'person_settings',
    ]);
  });

  it('creates the constraints the application relies on', async () => {
    await migrateToLatest(db);
    const { rows } = await sql<{ name: string }>`
      select conname as name from pg_constraint
      where conrelid in ('items'::regclass, 'person_settings'::regclass)
      order by conname`.execute(db);
    expect(rows.map((row) => row.name)).toEqual(
      expect.arrayContaining([
        'items_organization_id_sku_key',
        'items_pkey',
        'person_settings_pkey',
      ]),
    );
    const indexes = await sql<{ name: string }>`
      select indexname as name from pg_indexes where tablename = 'items'`.execute(db);
    expect(indexes.rows.map((row) => row.name)).toContain(
      'items_organization_id_created_at_id_idx',
    );
  });

  it('fails with a message naming the broken migration, and rolls it back', async () => {
    const broken: Migration = {
      up: async (trx) => {
        await sql`create table half_done (id int)`.execute(trx);
        await sql`select no_such_column from items`.execute(trx);
      },
    };
    const error = await migrateToLatest(db, {
      getMigrations: () => Promise.resolve({ ...MIGRATIONS, '9999-broken': broken }),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(
      /^Database migration "9999-broken" failed: .*no_such_column/,
    );
    // Transactional DDL: nothing of the failed run is left behind, not even the earlier migrations.
    const tables = await db.introspection.getTables();
    expect(tables.map((table) => table.name)).toEqual([]);
  });
});
