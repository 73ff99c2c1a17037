import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('person_settings')
    .addColumn('person_id', 'text', (col) => col.primaryKey())
    .addColumn('unit_system', 'text', (col) =>
      col.notNull().check(sql`unit_system in ('metric', 'imperial')`),
    )
    .addColumn('locale', 'varchar(35)', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('person_settings').execute();
}
