export { DATABASE, DatabaseModule } from './database.module';
export { isDatabaseUnreachable, isUniqueViolation } from './database-errors';
export { MigrationError, migrateToLatest } from './migrate';
export { createPGliteDatabase, openDatabase } from './open-database';
export type { DatabaseOptions } from './open-database';
export { PGliteDialect } from './pglite-dialect';
export { ITEM_UNITS, UNIT_SYSTEMS } from './schema';
export type {
  Database,
  ItemRow,
  ItemRowUpdate,
  ItemUnit,
  NewItemRow,
  NewOutboxRow,
  OutboxRow,
  OutboxStatus,
  PartyType,
  PersonSettingsRow,
  UnitSystem,
} from './schema';
