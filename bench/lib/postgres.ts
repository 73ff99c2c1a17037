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
  // A bench stopped by a signal aimed at it alone (not Ctrl-C, which reaches PostgreSQL too) would
  // otherwise leave the server running, orphaned, with its files in the temporary directory.
  const stopOnSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping the private PostgreSQL ...\n`);
    void server.stop().finally(() => process.kill(process.pid, signal));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const database = await createDatabase(server.url, 'warehouse_bench');
    try {
      await run(database.url);
    } finally {
      await database.drop();
    }
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await server.stop();
  }
  return null;
}
