import type { PGlite, Results } from '@electric-sql/pglite';
import { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';

const COMMANDS_WITH_AFFECTED_ROWS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** Kysely's view of the single PGlite session. Exclusive use is the driver's job, not this one's. */
export class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  /** Runs one statement and returns PGlite's raw result (the driver needs the command tag). */
  run<R>(sql: string, parameters: readonly unknown[] = []): Promise<Results<R>> {
    return this.pglite.query<R>(sql, [...parameters]);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.run<R>(compiledQuery.sql, compiledQuery.parameters);
    return {
      rows: result.rows,
      // Same contract as Kysely's PostgresDriver (pg's rowCount), so numUpdatedRows, numDeletedRows
      // etc. mean the same on both engines.
      numAffectedRows:
        result.command !== undefined && COMMANDS_WITH_AFFECTED_ROWS.has(result.command)
          ? BigInt(result.affectedRows ?? 0)
          : undefined,
    };
  }

  /** This PGlite API has no cursors: run the query once and hand the rows out in chunks. */
  async *streamQuery<R>(
    compiledQuery: CompiledQuery,
    chunkSize = 100,
  ): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new Error('chunkSize must be a positive integer');
    }
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let start = 0; start < rows.length; start += chunkSize) {
      yield { rows: rows.slice(start, start + chunkSize) };
    }
  }
}
