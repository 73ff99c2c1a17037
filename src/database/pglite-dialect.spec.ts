// Covers the PGlite Kysely dialect: serialised transactions, affected-row counts, errors, savepoints.
import { PGlite } from './pglite-loader';
import { AbortedTransactionError, Kysely, sql } from 'kysely';
import { isUniqueViolation } from './database-errors';
import { PGliteDialect } from './pglite-dialect';

// Each PGlite database boots a whole PostgreSQL (WASM): seconds, more under parallel load.
jest.setTimeout(30_000);

interface ScratchDb {
  notes: { id: number; body: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PGliteDialect', () => {
  let db: Kysely<ScratchDb>;

  beforeAll(async () => {
    db = new Kysely<ScratchDb>({ dialect: new PGliteDialect(new PGlite()) });
    await sql`create table notes (id integer primary key, body text not null)`.execute(db);
  });

  afterAll(() => db.destroy());

  beforeEach(() => db.deleteFrom('notes').execute());

  const countNotes = async (): Promise<number> => {
    const { count } = await db
      .selectFrom('notes')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    return Number(count);
  };

  it('keeps queries of others out of an open transaction', async () => {
    const events: string[] = [];
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, body: 'uncommitted' }).execute();
      events.push('insert');
      await sleep(50);
      events.push('commit');
    });
    await sleep(10); // the transaction now holds the session
    // Without the mutex this would run inside the transaction above and see the row early.
    const outside = countNotes().then((count) => events.push(`count=${count}`));
    await Promise.all([transaction, outside]);
    expect(events).toEqual(['insert', 'commit', 'count=1']);
  });

  it('does not let a rolled-back transaction leak into a concurrent one', async () => {
    const failing = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, body: 'rolled back' }).execute();
      await sleep(20);
      throw new Error('boom');
    });
    const succeeding = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 2, body: 'kept' }).execute();
    });
    await expect(failing).rejects.toThrow('boom');
    await succeeding;
    expect(await db.selectFrom('notes').select('id').execute()).toEqual([{ id: 2 }]);
  });

  it('reports affected rows for insert, update and delete', async () => {
    const inserted = await db
      .insertInto('notes')
      .values([
        { id: 1, body: 'a' },
        { id: 2, body: 'b' },
      ])
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
    const updated = await db.updateTable('notes').set({ body: 'c' }).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('notes').where('id', '=', 3).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(0n);
  });

  it('surfaces PostgreSQL error codes, e.g. unique violations', async () => {
    await db.insertInto('notes').values({ id: 1, body: 'a' }).execute();
    const error: unknown = await db
      .insertInto('notes')
      .values({ id: 1, body: 'b' })
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'notes_pkey')).toBe(true);
    expect(isUniqueViolation(error, 'other_constraint')).toBe(false);
  });

  it('refuses to commit a transaction an error has aborted', async () => {
    const run = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ id: 1, body: 'a' }).execute();
      // Swallowed by the caller, but PostgreSQL has aborted the transaction all the same.
      await sql`select 1 / 0`.execute(trx).catch(() => undefined);
    });
    await expect(run).rejects.toBeInstanceOf(AbortedTransactionError);
    expect(await countNotes()).toBe(0);
  });

  it('supports savepoints in controlled transactions', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('notes').values({ id: 1, body: 'kept' }).execute();
    const savepoint = await trx.savepoint('before second').execute();
    await savepoint.insertInto('notes').values({ id: 2, body: 'undone' }).execute();
    await savepoint.rollbackToSavepoint('before second').execute();
    await trx.commit().execute();
    expect(await db.selectFrom('notes').select('id').execute()).toEqual([{ id: 1 }]);
  });

  it('streams rows in chunks', async () => {
    await db
      .insertInto('notes')
      .values([1, 2, 3].map((id) => ({ id, body: `n${id}` })))
      .execute();
    const chunks: number[] = [];
    for await (const row of db.selectFrom('notes').select('id').orderBy('id').stream(2)) {
      chunks.push(row.id);
    }
    expect(chunks).toEqual([1, 2, 3]);
  });
});
