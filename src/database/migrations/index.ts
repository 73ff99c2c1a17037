import { Migration, MigrationProvider } from 'kysely';
import * as createItems from './0001-create-items';
import * as createPersonSettings from './0002-create-person-settings';
import * as createEventOutbox from './0003-create-event-outbox';

/**
 * Every migration, by name. Kysely runs them in name order and records names in
 * kysely_migration, so never rename or edit one that has shipped: add a new file instead.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-create-items': createItems,
  '0002-create-person-settings': createPersonSettings,
  '0003-create-event-outbox': createEventOutbox,
};

/** Static provider: works in the compiled bundle and under jest, unlike a folder scan. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
