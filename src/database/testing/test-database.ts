import { PGlite } from '../pglite-loader';
import { Kysely } from 'kysely';
import { migrateToLatest } from '../migrate';
import { createPGliteDatabase } from '../open-database';
import { Database } from '../schema';

/** A migrated in-memory PGlite database for specs: the real engine, no files, no server. */
export async function createTestDatabase(): Promise<Kysely<Database>> {
  const db = createPGliteDatabase(new PGlite());
  await migrateToLatest(db);
  return db;
}
