import type { PGlite } from '@electric-sql/pglite';
import {
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  QueryCompiler,
} from 'kysely';
import { PGliteDriver } from './pglite-driver';

/**
 * Kysely dialect for an embedded PGlite instance. PGlite *is* PostgreSQL, so Kysely's PostgreSQL
 * compiler, adapter (including the migration lock) and introspector are reused: only the transport
 * differs, and the same schema, migrations and queries run here and on a real server.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
