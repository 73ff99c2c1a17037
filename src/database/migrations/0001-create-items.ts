import { Kysely, sql } from 'kysely';

// Migrations are frozen history: they spell out their values instead of importing constants
// that may change later.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('items')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('sku', 'varchar(64)', (col) => col.notNull())
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 0`))
    .addColumn('unit', 'text', (col) =>
      col.notNull().check(sql`unit in ('sheets', 'kg', 'pieces', 'rolls')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('created_by_type', 'text', (col) =>
      col.notNull().check(sql`created_by_type in ('Organization', 'Person')`),
    )
    .addColumn('created_by_id', 'text', (col) => col.notNull())
    .addColumn('updated_by_type', 'text', (col) =>
      col.notNull().check(sql`updated_by_type in ('Organization', 'Person')`),
    )
    .addColumn('updated_by_id', 'text', (col) => col.notNull())
    // Named, because the repository recognises this constraint in unique-violation errors.
    .addUniqueConstraint('items_organization_id_sku_key', ['organization_id', 'sku'])
    .execute();

  // Serves the listing: WHERE organization_id = ? ORDER BY created_at, id LIMIT/OFFSET.
  await db.schema
    .createIndex('items_organization_id_created_at_id_idx')
    .on('items')
    .columns(['organization_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('items').execute();
}
