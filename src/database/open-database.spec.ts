// Covers opening the database: embedded on disk (data survives a restart), start-up failures, the Nest module.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { Logger, LoggerService } from '@nestjs/common';
import { Kysely, sql } from 'kysely';
import { ConfigModule } from '../config/config.module';
import { DATABASE, DatabaseModule } from './database.module';
import { MigrationError } from './migrate';
import { EMBEDDED_SHARED_BUFFERS } from './embedded/embedded-cluster';
import { openDatabase } from './open-database';
import { Database } from './schema';
import { aTestConfig } from './testing';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

const silent: LoggerService = {
  log: () => undefined,
  error: () => undefined,
  warn: () => undefined,
};
const quietLogger = new Logger('test');
jest.spyOn(quietLogger, 'log').mockImplementation(() => undefined);

describe('openDatabase (embedded)', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'warehouse-db-'));
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true, maxRetries: 3 }));

  it('creates <dataDir>/pglite and keeps data across close and reopen', async () => {
    const options = { dataDir: join(dataDir, 'nested'), databaseUrl: null };
    const first = await openDatabase(options, quietLogger);
    await first
      .insertInto('person_settings')
      .values({ person_id: 'p-1', unit_system: 'imperial', locale: 'en-GB' })
      .execute();
    await first.destroy();
    expect(existsSync(join(dataDir, 'nested', 'pglite', 'PG_VERSION'))).toBe(true);

    const second = await openDatabase(options, quietLogger);
    try {
      const row = await second.selectFrom('person_settings').selectAll().executeTakeFirst();
      expect(row).toMatchObject({ person_id: 'p-1', unit_system: 'imperial', locale: 'en-GB' });
    } finally {
      await second.destroy();
    }
  });

  it('runs the embedded PostgreSQL with small shared buffers, so it stays light in memory', async () => {
    const db = await openDatabase({ dataDir, databaseUrl: null }, quietLogger);
    try {
      const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(db);
      expect(rows).toEqual([{ shared_buffers: EMBEDDED_SHARED_BUFFERS }]);
    } finally {
      await db.destroy();
    }
  });

  it('fails start-up clearly, without leaking the password, when PostgreSQL is unreachable', async () => {
    const databaseUrl = 'postgres://app:s3cret@127.0.0.1:1/warehouse';
    const error = await openDatabase({ dataDir, databaseUrl }, quietLogger).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/^Database migrations could not run: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('is provided by DatabaseModule and closed on application shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(aTestConfig({ dataDir })), DatabaseModule],
    })
      .setLogger(silent)
      .compile();
    const db = moduleRef.get<Kysely<Database>>(DATABASE);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([]);

    await moduleRef.close();
    await expect(db.selectFrom('items').selectAll().execute()).rejects.toThrow(/destroyed|closed/);
  });
});
