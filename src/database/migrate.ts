import { Kysely, MigrationProvider, Migrator } from 'kysely';
import { migrationProvider } from './migrations';

/** Start-up must stop on this: the schema the code expects is not there. */
export class MigrationError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/**
 * Runs every pending migration and returns the names it ran (none when up to date, so running it
 * again is harmless). On PostgreSQL, Kysely's migrator holds an advisory lock for the whole run,
 * so instances starting at the same time take turns, and the later ones find nothing to do.
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  provider: MigrationProvider = migrationProvider,
): Promise<string[]> {
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const what = failed ? `migration "${failed.migrationName}" failed` : 'migrations could not run';
    throw new MigrationError(`Database ${what}: ${describe(error)}`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
