import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kysely } from 'kysely';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { openDatabase } from './open-database';
import { Database } from './schema';

/** Injection token for the Kysely<Database> instance: `@Inject(DATABASE) db: Kysely<Database>`. */
export const DATABASE = Symbol('DATABASE');

/**
 * Opens the database (embedded PGlite unless a PostgreSQL URL is configured) and migrates it
 * before anything that injects DATABASE is created, so a failing migration fails start-up.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<Kysely<Database>> => openDatabase(config),
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Kysely<Database>) {}

  /** Runs after the HTTP server stopped taking requests: closes the pool or PGlite. */
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
