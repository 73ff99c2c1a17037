import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from './pglite-loader';
import { Logger } from '@nestjs/common';
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { migrateToLatest } from './migrate';
import { copyEmptyCluster, holdsCluster } from './pglite-template';
import { PGliteDialect } from './pglite-dialect';
import { Database } from './schema';

export interface DatabaseOptions {
  /** Embedded data lives in `<dataDir>/pglite`. */
  readonly dataDir: string;
  /** When set, a PostgreSQL server is used instead of the embedded database. */
  readonly databaseUrl: string | null;
}

/** Opens the configured database and brings its schema up to date; closes it again on failure. */
export async function openDatabase(
  options: DatabaseOptions,
  logger = new Logger('Database'),
): Promise<Kysely<Database>> {
  const db = options.databaseUrl
    ? createPostgresDatabase(options.databaseUrl, logger)
    : createPGliteDatabase(await openEmbedded(embeddedDataDir(options.dataDir)));
  try {
    const ran = await migrateToLatest(db);
    // Never log the URL: it usually carries a password.
    const engine = options.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${options.dataDir}`;
    logger.log(`Using ${engine}; migrations run: ${ran.length ? ran.join(', ') : 'none'}`);
    return db;
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}

/** Wraps a PGlite instance (on disk or in memory) without migrating: tests and tools use this. */
export function createPGliteDatabase(pglite: PGlite): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

function createPostgresDatabase(connectionString: string, logger: Logger): Kysely<Database> {
  // Without a connect timeout, an unreachable server would stall start-up instead of failing it.
  const pool = new Pool({ connectionString, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the
  // process. The pool replaces the client, so logging is enough.
  pool.on('error', (error) => logger.error(`PostgreSQL pool error: ${error.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * PostgreSQL's default 128 MB of shared buffers suit a server with a machine of its own; embedded,
 * they become resident WASM memory of this process (about 150 MB more RSS, measured in
 * BENCHMARKS.md). 16 MB hold this service's working set many times over; a deployment with more
 * data uses PostgreSQL through DATABASE_URL anyway.
 */
export const EMBEDDED_SHARED_BUFFERS = '16MB';
const embeddedStartParams = [
  ...PGlite.defaultStartParams,
  '-c',
  `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`,
];

async function openEmbedded(directory: string): Promise<PGlite> {
  if (!holdsCluster(directory)) await copyEmptyCluster(directory);
  return new PGlite(directory, { startParams: embeddedStartParams });
}

function embeddedDataDir(dataDir: string): string {
  const directory = join(dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  return directory;
}
