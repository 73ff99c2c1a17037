import type { PGlite } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  createQueryId,
  DatabaseConnection,
  Driver,
  IdentifierNode,
  QueryCompiler,
  RawNode,
  TransactionSettings,
} from 'kysely';
import { Mutex } from './mutex';
import { PGliteConnection } from './pglite-connection';

/**
 * A "pool" of exactly one connection guarded by a mutex. Kysely holds a connection for a whole
 * transaction (and for each single query otherwise), so serialising acquisition keeps other
 * requests' queries out of an open transaction. Consequence: inside a transaction use the
 * transaction object; the outer Kysely instance would wait for the transaction to end, forever.
 */
export class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: PGliteConnection;
  #release: (() => void) | null = null;

  constructor(private readonly pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.acquire();
    if (this.pglite.closed) {
      release();
      throw new Error('the PGlite database has already been closed');
    }
    this.#release = release;
    return this.#connection;
  }

  releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
    return Promise.resolve();
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    let statement = 'start transaction';
    if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) statement += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(statement));
  }

  async commitTransaction(): Promise<void> {
    // PostgreSQL completes COMMIT of a transaction aborted by an earlier error with a ROLLBACK tag;
    // report that instead of pretending the data was written (as Kysely's PostgresDriver does).
    const { command } = await this.#connection.run('commit');
    if (command === 'ROLLBACK') throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.#savepointCommand(connection, 'savepoint', name, compile);
  }

  rollbackToSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.#savepointCommand(c, 'rollback to', name, compile);
  }

  releaseSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.#savepointCommand(c, 'release', name, compile);
  }

  /** Waits for the current holder (e.g. an in-flight request at shutdown), then closes PGlite. */
  async destroy(): Promise<void> {
    const release = await this.#mutex.acquire();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      release();
    }
  }

  async #savepointCommand(
    connection: DatabaseConnection,
    command: string,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    // Compiled through Kysely so the savepoint name is quoted as an identifier, never spliced in.
    const node = RawNode.createWithChildren([
      RawNode.createWithSql(`${command} `),
      IdentifierNode.create(name),
    ]);
    await connection.executeQuery(compile(node, createQueryId()));
  }
}
