import { Logger } from '@nestjs/common';
import { Kysely, PostgresDialect, PostgresPool } from 'kysely';
import { Pool, PoolConfig } from 'pg';
import { EmbeddedDatabase } from './embedded/embedded-database';
import { migrateToLatest } from './migrate';
import { PGliteDialect } from './pglite-dialect';
import type { PGlite } from './pglite-loader';
import { Database } from './schema';

export interface DatabaseOptions {
  /** Embedded data lives in `<dataDir>/pglite`, served from a process of its own. */
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
    ? createPostgresDatabase({ connectionString: options.databaseUrl }, logger)
    : await openEmbeddedDatabase(options.dataDir, logger);
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

function createPostgresPool(config: PoolConfig, logger: Logger): Pool {
  // Without a connect timeout, an unreachable server would stall start-up instead of failing it.
  const pool = new Pool({ connectionTimeoutMillis: 10_000, ...config });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would kill the
  // process. The pool replaces the client, so logging is enough.
  pool.on('error', (error) => logger.error(`PostgreSQL pool error: ${error.message}`));
  // A connection that breaks while a query holds it emits 'error' on its client, and pg's pool
  // listens there only while the client is idle: unhandled, a database restart in the middle of
  // a request would end this process. The query fails on its own (the caller gets a 503) and the
  // pool drops the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn(`PostgreSQL connection lost: ${error.message}`));
  });
  return pool;
}

function createPostgresDatabase(config: PoolConfig, logger: Logger): Kysely<Database> {
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: createPostgresPool(config, logger) }),
  });
}

/**
 * The embedded database: its process is started first, and stopped when Kysely is destroyed,
 * after the pool has ended. PGlite is one session, so the pool holds one connection: queries
 * queue in pg's pool and a transaction keeps the session to itself.
 */
async function openEmbeddedDatabase(dataDir: string, logger: Logger): Promise<Kysely<Database>> {
  const embedded = await EmbeddedDatabase.start(dataDir, logger);
  const pool = createPostgresPool({ ...embedded.poolConfig, max: 1, idleTimeoutMillis: 0 }, logger);
  const poolThenProcess: PostgresPool = {
    connect: () => pool.connect(),
    end: async () => {
      try {
        await pool.end();
      } finally {
        await embedded.stop();
      }
    },
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: poolThenProcess }) });
}
