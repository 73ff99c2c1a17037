import { createDatabase, serverPlan, startPostgres } from '../../test/support/servers';

/**
 * A private PostgreSQL for the bench: started from the installed Debian binaries (the same helper
 * the fleet tests use) on a free loopback port, one scratch database, everything removed again.
 * Resolves to null, with the reason, when PostgreSQL is not installed.
 */
export async function withPrivatePostgres(
  run: (databaseUrl: string) => Promise<void>,
): Promise<string | null> {
  const { postgresBin } = serverPlan();
  if (!postgresBin) return 'PostgreSQL is not installed (apt-get install postgresql)';
  const server = await startPostgres(postgresBin);
  try {
    const database = await createDatabase(server.url, 'warehouse_bench');
    try {
      await run(database.url);
    } finally {
      await database.drop();
    }
  } finally {
    await server.stop();
  }
  return null;
}
